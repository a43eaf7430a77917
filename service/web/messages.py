"""The words of the error pages, in one place, so that a message catalogue can take them over.

Each validation error of a page's address or form becomes one sentence: which field, what is wrong,
what is accepted. Pages name their fields as a person sees them (FIELD_LABELS), not as parameters.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from service.text_fields import PATTERN_MEANINGS

EXCERPT_LENGTH = 40  # of a wrong value quoted back: enough to recognise it, never a whole text


@dataclass(frozen=True)
class ErrorText:
    title: str
    explanation: str


HOME_LINK = "Back to the open needs"
ERROR_TEXTS = {
    400: ErrorText("Bad request", "The browser sent a request this site could not read."),
    401: ErrorText("Not signed in", "This page cannot be shown with the credentials the browser sent."),
    403: ErrorText("Not allowed", "You may not see or do this."),
    404: ErrorText(
        "Page not found",
        "There is no page at this address: it may have been removed, or the address may be mistyped.",
    ),
    405: ErrorText("Not possible here", "This address is a page to open, not a form to send."),
    409: ErrorText("Already there", "This clashes with what is already stored."),
    413: ErrorText("Too much sent", "What the browser sent is larger than this site accepts."),
    422: ErrorText("Check what you entered", "Something in the address or the form is not valid:"),
    500: ErrorText(
        "Something went wrong",
        "This page could not be shown because of an error on our side. Try again in a moment; if it"
        " keeps happening, tell the people who run this service.",
    ),
}
OTHER_ERROR = ErrorText("This page could not be shown", "The request could not be answered.")

FIELD_LABELS = {
    "q": "The search text",
    "need_id": "The need number in the address",
    "solution_id": "The solution number in the address",
    "offset": "The position in the list",
    "limit": "The number of needs on a page",
    "county": "The county",
    "municipality": "The municipality",
    "kpi": "The KPI",
    "dimension": "The U4SSC dimension",
    "language": "The language",
}


def error_text(status: int) -> ErrorText:
    return ERROR_TEXTS.get(status, OTHER_ERROR)


def _excerpt(value: object) -> str:
    text = str(value)
    return text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH] + "…"


def field_label(location: Sequence[str | int]) -> str:
    """The field a validation error is about, e.g. ("query", "q") -> "The search text"."""
    names = [str(part) for part in location if part not in ("query", "path", "body")]
    name = names[-1] if names else "request"
    return FIELD_LABELS.get(name, f"The field “{name}”")


def field_problem(error: Mapping[str, Any]) -> str:
    """One of FastAPI's validation errors (`loc`, `type`, `msg`, `ctx`, `input`) as a sentence."""
    label = field_label(error.get("loc", ()))
    kind, context, value = error.get("type"), error.get("ctx") or {}, error.get("input")
    if kind == "string_too_long":
        return f"{label} is too long: at most {context['max_length']:,} characters, not {len(str(value)):,}."
    if kind == "string_too_short":
        return f"{label} is too short: at least {context['min_length']:,} characters."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{label} must be a whole number, not “{_excerpt(value)}”."
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {"greater_than_equal": "at least", "less_than_equal": "at most"}.get(kind)
        limit = context.get("ge", context.get("le", context.get("gt", context.get("lt"))))
        comparison = bound or ("more than" if kind == "greater_than" else "less than")
        return f"{label} must be {comparison} {limit:,}."
    if kind == "literal_error":
        return f"{label} must be one of {context['expected']}, not “{_excerpt(value)}”."
    if kind == "string_pattern_mismatch" and context.get("pattern") in PATTERN_MEANINGS:
        return f"{label} {PATTERN_MEANINGS[context['pattern']]}, not “{_excerpt(value)}”."
    if kind == "missing":
        return f"{label} is missing."
    reason = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    return f"{label} is not valid: {reason}."
