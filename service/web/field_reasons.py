"""Why a field's value is wrong (a reference to nothing stored, a unit that does not fit its KPI) as a
page says it, in the reader's language, from the facts the service's FieldError carries
(service/reasons.py). The API's message stays English and names the API's lists to look in; a page
says what to do on the page. A reason without facts is shown as the service wrote it (or as the
catalogue has it, service.web.messages.service_reason).
"""

from typing import Any

from service.reasons import Reason
from service.web.i18n import N_, PageLocale
from service.web.messages import service_reason

SENTENCES = {
    "unknown_municipality": N_("there is no municipality number %(number)s"),
    "unknown_county": N_("there is no county number %(number)s"),
    "unknown_kpi": N_("there is no U4SSC KPI with the code %(code)s"),
    "unknown_supplier": N_("supplier %(id)s does not exist"),
    "unknown_need": N_("need %(id)s does not exist"),
    "unknown_solution": N_("solution %(id)s does not exist"),
    "need_twice": N_("need %(id)s is listed twice"),
    "solution_twice": N_("solution %(id)s is listed twice"),
    "need_closed": N_("need %(id)s is closed: a partnership takes needs that are open or in progress"),
    "not_a_member": N_(
        "municipality %(number)s is not one of the partnership's (its municipalities: %(members)s)"
    ),
    "which_candidate": N_("say which candidate was piloted: one of %(candidates)s"),
    "not_a_candidate": N_(
        "solution %(id)s is not a candidate of the partnership (candidates: %(candidates)s)"
    ),
    "unit_not_percent": N_("%(kpi)s is a percentage: the unit must be “%%”, not “%(unit)s”"),
    "percent_out_of_range": N_("a percentage must be between 0 and 100, not %(value)s"),
    "unit_not_per_100k": N_(
        "%(kpi)s is counted per 100 000 inhabitants: the unit must be “per 100 000”, not “%(unit)s”"
    ),
    "negative_rate": N_("a rate per 100 000 cannot be negative"),
    "unit_not_ratio": N_("%(kpi)s is a ratio: the unit must be “ratio”, not “%(unit)s”"),
    "not_yes_no": N_("%(kpi)s is yes/no: the unit must be “yes/no” and the value 0 or 1"),
    "count_not_percent": N_("%(kpi)s is a count, not a percentage"),
}
NONE = N_("none")


def reason_text(reason: Reason | None, message: str, page: PageLocale) -> str:
    """The reason in the page's language; `message` (translated if the catalogue has it) without one."""
    if reason is None or reason.code not in SENTENCES:
        return service_reason(message, page)
    words: dict[str, Any] = dict(reason.facts)
    for name in ("members", "candidates"):
        if name in words and words[name] in ("", "none"):
            words[name] = page.gettext(NONE)
    if isinstance(words.get("value"), int | float):
        words["value"] = page.number(words["value"])
    return page.gettext(SENTENCES[reason.code]) % words
