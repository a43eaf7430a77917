"""The need a notice becomes: language chosen, translations, CPV codes, open or closed."""

from datetime import UTC, date, datetime
from decimal import Decimal

from service.notices.need_fields import is_open, need_cpv_codes, need_text
from service.notices.parsed import Organisation, ParsedNotice

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _notice(titles: dict[str, str], descriptions: dict[str, str], languages: tuple[str, ...]) -> ParsedNotice:
    return ParsedNotice(
        notice_id="a",
        version="01",
        kind="cn",
        notice_type="cn-standard",
        subtype="16",
        publication_date=date(2026, 1, 5),
        languages=languages,
        buyer=Organisation("Oslo kommune", "958935420", "NOR", "NO081"),
        titles=titles,
        descriptions=descriptions,
        main_cpv=("45000000", "72000000"),
        additional_cpv=("72000000", "48000000"),
        nuts=("NO081",),
        procedure_type="open",
        estimated_value=Decimal("100000"),
        currency="NOK",
        tender_deadline=None,
    )


def test_norwegian_text_is_the_need_and_the_others_are_translations() -> None:
    notice = _notice(
        {"en": "Leak detection", "nn": "Lekkasjesøk"},
        {"en": "Find leaks in water mains.", "nn": "Finn lekkasjar i vassleidningane."},
        ("en", "nn"),
    )
    text = need_text(notice)
    assert (text.title, text.description, text.language) == (
        "Lekkasjesøk",
        "Finn lekkasjar i vassleidningane.",
        "no",
    )
    assert text.translations == {
        "en": {"title": "Leak detection", "description": "Find leaks in water mains."}
    }


def test_english_before_other_languages_and_a_missing_description_is_the_title() -> None:
    notice = _notice({"sv": "Läckagesökning", "en": "Leak detection"}, {"sv": "Hitta läckor."}, ("sv", "en"))
    text = need_text(notice)
    assert (text.title, text.description, text.language) == ("Leak detection", "Leak detection", "en")
    assert text.translations == {"sv": {"title": "Läckagesökning", "description": "Hitta läckor."}}


def test_another_language_is_its_first_and_long_titles_are_shortened() -> None:
    notice = _notice({"de": "Leck " * 100}, {"de": "Lecks finden."}, ("de",))
    text = need_text(notice)
    assert text.language == "de" and len(text.title) == 300 and text.title.endswith("…")


def test_control_characters_are_dropped_from_the_need_text() -> None:
    text = need_text(_notice({"en": "Framework —\x8d Market"}, {"en": "Line\none\x00."}, ("en",)))
    assert (text.title, text.description) == ("Framework — Market", "Line\none.")


def test_cpv_codes_main_then_additional_without_repeats() -> None:
    assert need_cpv_codes(_notice({"en": "x"}, {}, ("en",))) == ["45000000", "72000000", "48000000"]


def test_open_until_the_deadline_and_awards_voided_always_closed() -> None:
    before, after = datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)
    assert is_open(kind="cn", voided=False, tender_deadline=None, now=NOW)
    assert is_open(kind="pin", voided=False, tender_deadline=after, now=NOW)
    assert not is_open(kind="cn", voided=False, tender_deadline=before, now=NOW)
    assert not is_open(kind="cn", voided=True, tender_deadline=after, now=NOW)
    assert not is_open(kind="can", voided=False, tender_deadline=None, now=NOW)
    assert not is_open(kind="veat", voided=False, tender_deadline=None, now=NOW)
