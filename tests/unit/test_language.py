"""Norwegian or English: the neighbours of Norwegian count as Norwegian, and language codes in any spelling."""

import pytest

from service.language import detect_language, normalise_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Kommunen har brug for bedre løsninger til at finde utætheder i vandrørene.", "no"),  # Danish
        ("Kommunen behöver bättre lösningar för att hitta läckor i vattenledningarna.", "no"),  # Swedish
        ("Lekkasjer i vannledningene", "no"),
        ("Leaks in the water mains", "en"),
    ],
)
def test_scandinavian_neighbours_count_as_norwegian_and_short_texts_are_told_apart(
    text: str, language: str
) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("nor", "no"),
        (" NOB ", "no"),
        ("Nno", "no"),
        ("ENG", "en"),
        ("sv", None),
        ("english", None),
        ("", None),
    ],
)
def test_language_codes_are_normalised_or_refused(code: str, language: str | None) -> None:
    assert normalise_language(code) == language
