"""An audit event's details in words: keys named, times and roles said as a person says them, and
what the subject already says left out."""

from service.web.audit_details import detail_lines
from service.web.i18n import PageLocale

BOKMAL, ENGLISH = PageLocale("nb"), PageLocale("en")


def test_keys_roles_and_times_are_said_in_the_readers_language() -> None:
    invited = {"expires_at": "2026-12-09T22:41:46.445525+00:00"}
    assert detail_lines(invited, BOKMAL) == [("gyldig til", "9. des. 2026, 23:41:46")]
    assert detail_lines(invited, ENGLISH) == [("valid until", "Dec 9, 2026, 11:41:46\u202fPM")]
    moved = {"from": "officer", "to": "staff", "tokens_revoked": 2}
    assert detail_lines(moved, BOKMAL) == [
        ("fra", "Innkjøper"),
        ("til", "Programansatt"),
        ("API-nøkler trukket tilbake", "2"),
    ]


def test_what_the_subject_says_is_left_out_and_unknown_keys_stay_as_stored() -> None:
    view = {"need_id": 3, "offset": 10, "solution_ids": [4, 5], "supplier_ids": [1, None], "extra": "x"}
    assert detail_lines(view, ENGLISH) == [("extra", "x")]
    assert detail_lines({"note": "", "name": None, "changed": []}, ENGLISH) == []
    assert detail_lines({"changed": ["name", "paused"], "name": "Vann"}, ENGLISH) == [
        ("name", "Vann"),
        ("fields changed", "name, paused"),
    ]
