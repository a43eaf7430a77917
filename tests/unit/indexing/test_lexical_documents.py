"""What BM25 reads of a record: its texts each stemmed in its own language, and its KPIs' names in both;
what a search with it looks for: those terms and their translations."""

from service.indexing.lexical_documents import LexicalDocument
from service.indexing.texts import record_text

KPI_NAMES = {"EC-I-WS-3C": ("Vanntap", "Water loss")}


def test_the_record_text_is_the_trimmed_title_and_description_on_two_lines() -> None:
    assert record_text("  Lekkasjesøk ", "\nFinner lekkasjer.\n") == "Lekkasjesøk\nFinner lekkasjer."
    assert record_text("Tittel", "") == "Tittel\n"


def test_translations_follow_the_own_text_and_one_in_the_own_language_is_ignored() -> None:
    document = LexicalDocument.of(
        "Lekkasjesøk",
        "Finner lekkasjer.",
        "no",
        ["EC-I-WS-3C"],
        {"no": {"title": "Annen tittel", "description": "x"}, "en": {"title": "Leak detection"}},
    )
    assert document.texts == [("Lekkasjesøk\nFinner lekkasjer.", "no"), ("Leak detection\n", "en")]
    assert document.kpi_codes == ["EC-I-WS-3C"]


def test_a_row_from_the_database_makes_the_same_document() -> None:
    row = (7, "Leak detection", "Finds leaks.", "en", ["EC-I-WS-3C"], {"no": {"title": "Lekkasjesøk"}})
    assert LexicalDocument.of_row(row) == LexicalDocument.of(
        "Leak detection", "Finds leaks.", "en", ["EC-I-WS-3C"], {"no": {"title": "Lekkasjesøk"}}
    )


def test_a_norwegian_text_is_stemmed_in_norwegian_without_stop_words() -> None:
    document = LexicalDocument.of("Lekkasje", "og lekkasjer i rørene", "no", [])
    # Snowball's Norwegian stemmer takes -e and -er off: both words become "lekkasj"; "og" and "i" are stop words.
    assert document.terms({})[:2] == ["lekkasj", "lekkasj"]
    assert "og" not in document.terms({}) and "i" not in document.terms({})


def test_an_english_text_is_stemmed_in_english() -> None:
    assert LexicalDocument.of("Leaking", "the pipes", "en", []).terms({}) == ["leak", "pipe"]


def test_kpi_names_in_both_languages_are_added_as_terms_and_unknown_codes_add_nothing() -> None:
    document = LexicalDocument.of("Leaking", "", "en", ["EC-I-WS-3C", "XX-UNKNOWN"])
    # "Vanntap" is a compound: its parts follow it.
    assert document.terms(KPI_NAMES) == ["leak", "vanntap", "vann", "tap", "water", "loss"]


def test_a_translation_adds_its_terms_in_its_own_language() -> None:
    document = LexicalDocument.of("Leaking", "", "en", [], {"no": {"title": "Lekkasjer"}})
    assert document.terms({}) == ["leak", "lekkasj"]


def test_words_by_term_lists_each_written_word_once_and_leaves_kpi_names_out() -> None:
    document = LexicalDocument.of("Lekkasje", "Lekkasjer, lekkasje og LEKKASJER", "no", ["EC-I-WS-3C"])
    words = document.words_by_term()
    assert words == {"lekkasj": ["lekkasje", "lekkasjer"]}


def test_a_norwegian_compound_is_stored_whole_and_in_its_parts() -> None:
    terms = LexicalDocument.of("Vannlekkasje", "", "no", []).terms({})
    assert terms == ["vannlekkasj", "vann", "lekkasj"]


def test_a_query_also_looks_for_the_translations_of_its_words_and_a_record_stores_none() -> None:
    document = LexicalDocument.of("Lekkasje", "", "no", [])
    assert document.terms({}) == ["lekkasj"]
    assert "leak" in document.query_terms({})
    assert "lekkasj" in LexicalDocument.of("Leak", "", "en", []).query_terms({})


def test_a_translated_query_term_is_explained_by_the_word_it_came_from() -> None:
    words = LexicalDocument.of("Vannlekkasje", "", "no", []).query_words_by_term()
    assert words["leak"] == ["vannlekkasje"]
    assert words["vann"] == ["vannlekkasje"]
    assert "leak" not in LexicalDocument.of("Vannlekkasje", "", "no", []).words_by_term()
