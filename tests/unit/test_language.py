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


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hjemmetjenesten trenger digitalt tilsyn om natten for brukere med demens.", "no"),
        ("Vi treng betre kollektivtilbod i distrikta.", "no"),
        ("Our home care service needs digital night-time supervision.", "en"),
        ("Smarte avfallsbeholdere", "no"),
    ],
)
def test_bokmal_nynorsk_and_english_sentences_are_detected(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_common_language_codes_are_normalised() -> None:
    assert normalise_language("NB") == "no"
    assert normalise_language("nn") == "no"
    assert normalise_language("eng") == "en"
    assert normalise_language("de") is None
