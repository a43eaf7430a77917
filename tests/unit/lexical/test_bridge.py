"""The bridge between English and Norwegian terms, from word pairs."""

from embeddings.lexical.bridge import MAX_TRANSLATIONS, Bridge
from embeddings.lexical.lexicon import WordPair


def _terms(text: str, _language: str) -> list[str]:
    return text.split()


def _pair(english: str, norwegian: str, english_zipf: float = 4.0, norwegian_zipf: float = 4.0) -> WordPair:
    return WordPair(english, norwegian, "freedict", english_zipf, norwegian_zipf)


BRIDGE = Bridge(
    [
        _pair("leak", "lekkasje"),
        _pair("street light", "gatelys"),
        _pair("water", "vann", 5.5, 5.2),
        _pair("lake", "vann", 4.8, 5.2),
        _pair("baptize", "vann", 2.7, 5.2),
        _pair("leaks", "lekkasjer"),
        _pair("a b c", "x"),
    ],
    _terms,
)


def test_a_word_is_carried_both_ways() -> None:
    assert BRIDGE.translate([("lekkasje", "lekkasjen")], "no") == [("leak", "lekkasjen")]
    assert BRIDGE.translate([("leak", "leaking")], "en") == [("lekkasje", "leaking")]


def test_two_adjacent_words_are_translated_together() -> None:
    assert BRIDGE.translate([("street", "street"), ("light", "lights")], "en") == [
        ("gatelys", "street lights")
    ]
    assert BRIDGE.translate([("gatelys", "gatelys")], "no") == [
        ("street", "gatelys"),
        ("light", "gatelys"),
    ]


def test_only_the_most_common_translations_are_kept() -> None:
    assert MAX_TRANSLATIONS == 2
    assert [term for term, _word in BRIDGE.translate([("vann", "vann")], "no")] == ["water", "lake"]


def test_phrases_of_more_than_two_terms_and_unknown_words_are_left_out() -> None:
    assert BRIDGE.translate([("x", "x")], "no") == []
    assert BRIDGE.translate([("unknown", "unknown")], "en") == []
    assert BRIDGE.translate([("vann", "vann")], "de") == []
