"""Norwegian compounds split into known words, weighed by how common the words are."""

from embeddings.lexical.compounds import CompoundSplitter

ZIPF = {
    "vann": 5.2,
    "lekkasje": 3.4,
    "lekkasjer": 3.2,
    "overvann": 3.2,
    "håndtering": 4.0,
    "over": 5.9,
    "sensor": 3.1,
    "gate": 4.8,
    "lys": 5.0,
    "syk": 4.6,
    "lister": 3.9,
    "syklister": 4.5,
    "buss": 4.1,
    "ene": 4.3,
    "mat": 5.0,
    "svinn": 3.0,
    "mats": 3.4,
}
SPLITTER = CompoundSplitter(ZIPF)


def test_a_compound_of_two_known_words_is_split_into_them() -> None:
    assert SPLITTER.parts("vannlekkasje") == ("vann", "lekkasje")
    assert SPLITTER.parts("vannlekkasjer") == ("vann", "lekkasjer")
    assert SPLITTER.parts("gatelys") == ("gate", "lys")


def test_a_linking_s_after_the_first_part_is_dropped() -> None:
    assert SPLITTER.parts("overvannshåndtering") == ("overvann", "håndtering")


def test_a_cut_without_a_linking_letter_is_preferred() -> None:
    assert SPLITTER.parts("matsvinn") == ("mat", "svinn")


def test_a_second_part_may_itself_be_a_compound_of_longer_words() -> None:
    assert SPLITTER.parts("vannlekkasjesensor") == ("vann", "lekkasje", "sensor")


def test_a_common_word_an_ending_or_a_word_without_known_parts_stays_whole() -> None:
    assert SPLITTER.parts("syklister") == ()  # common enough to be a word of its own
    assert SPLITTER.parts("bussene") == ()  # "ene" is an inflectional ending, not a part
    assert SPLITTER.parts("kvikkleire") == ()
    assert SPLITTER.parts("vann") == ()
    assert SPLITTER.parts("co2-utslipp") == ()
