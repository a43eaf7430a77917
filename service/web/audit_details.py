"""An audit event's details as a person reads them: each key in words, a time in the reader's time
zone and language, a role by its name; what the event's subject already says (the ids a view showed)
is left out. A key these words do not know is shown as stored."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from service.web.i18n import N_, PageLocale

KEY_WORDS = {
    "role": N_("role"),
    "from": N_("from"),
    "to": N_("to"),
    "note": N_("note"),
    "status": N_("answer"),
    "route": N_("address"),
    "expires_at": N_("valid until"),
    "sessions_ended": N_("sessions ended"),
    "tokens_revoked": N_("API tokens revoked"),
    "name": N_("name"),
    "kind": N_("kind"),
    "verdict": N_("verdict"),
    "changed": N_("fields changed"),
    "kpi": N_("KPI"),
    "dimension": N_("dimension"),
    "county": N_("county"),
    "municipality_number": N_("municipality"),
    "supplier_id": N_("supplier"),
    "solution_id": N_("solution"),
    "outcome_id": N_("outcome"),
    "feedback_id": N_("feedback"),
}
ROLE_WORDS = {
    "admin": N_("Administrator"),
    "staff": N_("Programme staff"),
    "officer": N_("Procurement officer"),
    "supplier": N_("Supplier"),
}
# Said by the event's subject ("the matches for need X: 10 solutions from 7 suppliers"), or internal.
SAID_BY_THE_SUBJECT = frozenset(
    {"need_id", "need_ids", "solution_ids", "supplier_ids", "offset", "owner_user_id", "owner_token_id"}
)


def _value(key: str, value: Any, page: PageLocale) -> str:
    if isinstance(value, list):
        return ", ".join(_value(key, item, page) for item in value)
    if key in ("role", "from", "to") and value in ROLE_WORDS:
        return page.gettext(ROLE_WORDS[value])
    if isinstance(value, str) and key.endswith("_at"):
        try:
            return page.moment(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, bool):
        return page.gettext(N_("yes")) if value else page.gettext(N_("no"))
    if isinstance(value, int | float):
        return page.number(value)
    return str(value)


def detail_lines(detail: Mapping[str, Any], page: PageLocale) -> list[tuple[str, str]]:
    """(what, value) for each detail worth showing, in a fixed order: the known keys first."""
    shown = [key for key in detail if key not in SAID_BY_THE_SUBJECT and detail[key] not in (None, "", [])]
    shown.sort(
        key=lambda key: (key not in KEY_WORDS, list(KEY_WORDS).index(key) if key in KEY_WORDS else 0, key)
    )
    return [
        (page.gettext(KEY_WORDS[key]) if key in KEY_WORDS else key, _value(key, detail[key], page))
        for key in shown
    ]
