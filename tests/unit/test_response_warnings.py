"""The warnings of an answer about a language Innomatch does not serve: what it is, and what to do."""

from service.response_warnings import match_warnings, search_warnings, written_text_warnings


def test_a_detected_language_that_is_not_served_is_named_with_what_to_do() -> None:
    [warning] = written_text_warnings("sv", language_given=False)
    assert warning.code == "language-not-served"
    assert warning.message == (
        "The text looks Swedish (sv). Innomatch matches Norwegian and English; matches for this text may be"
        " weak. Write it in Norwegian or English, or set language if the detection is wrong."
    )


def test_a_language_set_by_the_writer_is_not_called_a_detection() -> None:
    [warning] = written_text_warnings("de", language_given=True)
    assert warning.message == (
        "The language is set to German (de). Innomatch matches Norwegian and English; matches for this text"
        " may be weak."
    )


def test_searches_and_matches_of_stored_records_say_it_in_their_own_words() -> None:
    assert [warning.message for warning in search_warnings("da")] == [
        "The search text looks Danish (da). Innomatch matches Norwegian and English; these results may be"
        " weak. Search in Norwegian or English."
    ]
    assert [warning.message for warning in match_warnings("need", "fi")] == [
        "The need is in Finnish (fi). Innomatch matches Norwegian and English; its matches may be weak."
    ]


def test_norwegian_and_english_need_no_warning() -> None:
    for language in ("no", "en"):
        assert written_text_warnings(language, language_given=False) == []
        assert search_warnings(language) == []
        assert match_warnings("solution", language) == []
