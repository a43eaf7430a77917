"""The words of the error pages, in one place, in the reader's language (service/web/i18n.py).

Each validation error of a page's address or form becomes one sentence: which field, what is wrong,
what is accepted. Pages name their fields as a person sees them (FIELD_LABELS), not as parameters.
The messages are marked with N_() where they are defined and translated where they are shown.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from service.errors import NotFoundError
from service.text_fields import COUNTY_PATTERN, CPV_PREFIX_PATTERN, MUNICIPALITY_PATTERN
from service.web.i18n import N_, PageLocale

EXCERPT_LENGTH = 40  # of a wrong value quoted back: enough to recognise it, never a whole text


@dataclass(frozen=True)
class ErrorText:
    title: str
    explanation: str


HOME_LINK = N_("Back to the open needs")
ERROR_TEXTS = {
    400: ErrorText(N_("Bad request"), N_("The browser sent a request this site could not read.")),
    401: ErrorText(
        N_("Not signed in"), N_("This page cannot be shown with the credentials the browser sent.")
    ),
    403: ErrorText(N_("Not allowed"), N_("You may not see or do this.")),
    404: ErrorText(
        N_("Page not found"),
        N_("There is no page at this address: it may have been removed, or the address may be mistyped."),
    ),
    405: ErrorText(N_("Not possible here"), N_("This address is a page to open, not a form to send.")),
    409: ErrorText(N_("Already there"), N_("This clashes with what is already stored.")),
    413: ErrorText(N_("Too much sent"), N_("What the browser sent is larger than this site accepts.")),
    422: ErrorText(N_("Check what you entered"), N_("Something in the address or the form is not valid:")),
    500: ErrorText(
        N_("Something went wrong"),
        N_(
            "This page could not be shown because of an error on our side. Try again in a moment; if it"
            " keeps happening, tell the people who run this service."
        ),
    ),
}
OTHER_ERROR = ErrorText(N_("This page could not be shown"), N_("The request could not be answered."))

FIELD_LABELS = {
    "q": N_("The search text"),
    "need_id": N_("The need number in the address"),
    "solution_id": N_("The solution number in the address"),
    "offset": N_("The position in the list"),
    "limit": N_("The number of needs on a page"),
    "county": N_("The county"),
    "municipality": N_("The municipality"),
    "kpi": N_("The KPI"),
    "dimension": N_("The U4SSC dimension"),
    "sdg": N_("The Sustainable Development Goal"),
    "size": N_("The municipality size"),
    "language": N_("The language"),
    "title": N_("The title"),
    "description": N_("The problem"),
    "kpi_codes": N_("The KPIs"),
    "cpv_codes": N_("The CPV codes"),
    "cpv": N_("The CPV code"),
    "trl_min": N_("The least mature TRL"),
    "contact_name": N_("The contact person"),
    "contact_email": N_("The contact e-mail"),
    "municipality_number": N_("The municipality"),
    "solution_description": N_("The description"),  # a solution's; a need's is its problem
    "trl": N_("The maturity (TRL)"),
    "regions_served": N_("The counties served"),
    "reference_municipalities": N_("The reference municipalities"),
    "status": N_("The status"),
    "need_ids": N_("The needs"),
    "solution_ids": N_("The solutions"),
    "lead_municipality_number": N_("The lead municipality"),
    "note": N_("The note"),
    "kpi_code": N_("The KPI"),
    "data_point": N_("The data point"),
    "year": N_("The year"),
    "value": N_("The value"),
    "unit": N_("The unit"),
    "name": N_("The name"),
    "text": N_("The search text"),
    "frequency": N_("How often"),
    "min_band": N_("The weakest match"),
    "channels": N_("The channels"),
}
# What a pattern of service.text_fields means, as the end of a sentence about the field.
PATTERN_MEANINGS = {
    MUNICIPALITY_PATTERN: N_("must be a four-digit municipality number (SSB numbering), e.g. 5001"),
    COUNTY_PATTERN: N_("must be a two-digit county number, e.g. 50"),
    CPV_PREFIX_PATTERN: N_("must be the first 2 to 8 digits of a CPV code, e.g. 4523"),
}
# Reasons the service gives in English (a validator's ValueError, an error's detail) that a page may
# show; a reason not listed here is shown as the service wrote it.
SERVICE_REASONS = (
    N_("must contain words: it has no letters, only digits, symbols or emoji"),
    N_(
        "language must be an ISO 639-1 code: 'no' (Norwegian, Bokmål or Nynorsk), 'en' (English) or"
        " another language's two-letter code, e.g. 'sv' (Swedish)"
    ),
    N_("This token is unknown or has been revoked."),
    N_("Send the token as 'Authorization: Bearer <token>'."),
    N_("This needs a bearer token: send 'Authorization: Bearer <token>'."),
)
NOT_FOUND = {
    "Need": N_("Need %(key)s does not exist."),
    "Solution": N_("Solution %(key)s does not exist."),
    "Municipality": N_("Municipality %(key)s does not exist."),
    "KPI": N_("KPI %(key)s does not exist."),
    "Supplier": N_("Supplier %(key)s does not exist."),
    "Partnership": N_("Partnership %(key)s does not exist."),
    "Buyer group": N_(
        "Buyer group %(key)s does not exist: its needs have changed since the list was made. Open the list again."
    ),
}


def error_text(status: int) -> ErrorText:
    return ERROR_TEXTS.get(status, OTHER_ERROR)


def service_reason(reason: str, page: PageLocale) -> str:
    """A reason the service wrote in English, translated when the catalogue has it."""
    return page.gettext(reason) if reason in SERVICE_REASONS else reason


def not_found(error: NotFoundError, page: PageLocale) -> str:
    if error.kind in NOT_FOUND:
        return page.gettext(NOT_FOUND[error.kind]) % {"key": error.key}
    return f"{error}."


def _excerpt(value: object) -> str:
    text = str(value)
    return text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH] + "…"


def field_label(location: Sequence[str | int], page: PageLocale) -> str:
    """The field a validation error is about, e.g. ("query", "q") -> "The search text"."""
    names = [str(part) for part in location if part not in ("query", "path", "body")]
    name = names[-1] if names else "request"
    if name in FIELD_LABELS:
        return page.gettext(FIELD_LABELS[name])
    return page.gettext("The field “%(name)s”") % {"name": name}


def _comparison(kind: str, limit: float | None, page: PageLocale) -> str:
    bound = "?" if limit is None else page.number(limit)
    if kind == "greater_than_equal":
        return page.gettext("must be at least %(bound)s") % {"bound": bound}
    if kind == "less_than_equal":
        return page.gettext("must be at most %(bound)s") % {"bound": bound}
    if kind == "greater_than":
        return page.gettext("must be more than %(bound)s") % {"bound": bound}
    return page.gettext("must be less than %(bound)s") % {"bound": bound}


def field_problem(error: Mapping[str, Any], page: PageLocale) -> str:
    """One of FastAPI's validation errors (`loc`, `type`, `msg`, `ctx`, `input`) as a sentence."""
    label = field_label(error.get("loc", ()), page)
    kind, context, value = error.get("type"), error.get("ctx") or {}, error.get("input")
    words = {"label": label, "value": _excerpt(value)}
    if kind == "string_too_long":
        maximum, length = page.number(context["max_length"]), page.number(len(str(value)))
        sentence = page.gettext("%(label)s is too long: at most %(maximum)s characters, not %(length)s.")
        return sentence % {**words, "maximum": maximum, "length": length}
    if kind == "string_too_short" and not str(value or "").strip():  # left empty, or only spaces
        return page.gettext("%(label)s is empty: write something here.") % words
    if kind == "string_too_short":
        sentence = page.gettext("%(label)s is too short: at least %(minimum)s characters.")
        return sentence % {**words, "minimum": page.number(context["min_length"])}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return page.gettext("%(label)s must be a whole number, not “%(value)s”.") % words
    if kind in ("float_parsing", "float_type", "finite_number"):
        return page.gettext("%(label)s must be a number, not “%(value)s”.") % words
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        limit = context.get("ge", context.get("le", context.get("gt", context.get("lt"))))
        return page.gettext("%(label)s %(comparison)s.") % {
            **words,
            "comparison": _comparison(kind, limit, page),
        }
    if kind == "literal_error":
        # pydantic lists the choices in English: "'Economy', 'Environment' or 'Society and Culture'".
        choices, _, last = str(context["expected"]).rpartition(" or ")
        expected = " ".join((choices, page.gettext("or"), last)) if choices else last
        sentence = page.gettext("%(label)s must be one of %(expected)s, not “%(value)s”.")
        return sentence % {**words, "expected": expected}
    if kind == "string_pattern_mismatch" and context.get("pattern") in PATTERN_MEANINGS:
        meaning = page.gettext(PATTERN_MEANINGS[context["pattern"]])
        return page.gettext("%(label)s %(meaning)s, not “%(value)s”.") % {**words, "meaning": meaning}
    if kind == "missing":
        return page.gettext("%(label)s is missing.") % words
    reason = str(error.get("msg", "")).removeprefix("Value error, ")
    if not reason:
        return page.gettext("%(label)s is not valid.") % words
    return page.gettext("%(label)s is not valid: %(reason)s.") % {
        **words,
        "reason": service_reason(reason, page),
    }
