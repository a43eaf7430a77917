"""The problems of a KPI file (service/kpis/csv_import.py and the references service.kpis.service checks)
as the import page says them, in the reader's language, from the facts each problem carries.

The service's messages stay English; in English a page says the same sentence (a unit test holds them
together). A problem without facts, or with a code this module has no words for, is shown as written.
"""

from dataclasses import replace

from service.kpis.csv_import import RowProblem
from service.kpis.service import CSV_LINES
from service.reasons import Reason
from service.web.field_reasons import reason_text
from service.web.i18n import N_, PageLocale
from service.web.messages import field_problem

STRUCTURE = {
    "missing_columns": N_("missing column(s) %(missing)s; expected %(expected)s"),
    "unknown_columns": N_("unknown column(s) %(unknown)s"),
    "more_fields": N_("more fields than columns"),
    "no_observations": N_("the file has a header but no observations"),
    "synthetic": N_("synthetic must be true or false, got '%(value)s'"),
}
REPEATED_ROW = N_("the same municipality, KPI, data point and year as line %(line)s")


def problem_text(reason: Reason | None, message: str, field: str, page: PageLocale) -> str:
    """The problem in the page's language; `message` as the service wrote it when it has no words here."""
    if reason is None:
        return reason_text(reason, message, page)
    if reason.code in STRUCTURE:
        return page.gettext(STRUCTURE[reason.code]) % dict(reason.facts)
    if reason.code == "repeated_row" and reason.facts.get("location") == CSV_LINES:
        index = reason.facts.get("index")
        if isinstance(index, int):
            return page.gettext(REPEATED_ROW) % {"line": page.number(index + 2)}
    if reason.code == "invalid":
        return field_problem({**reason.facts, "loc": (field.rpartition(".")[2] or "value",)}, page)
    return reason_text(reason, message, page)


def said(problem: RowProblem, page: PageLocale) -> RowProblem:
    """The problem with its message in the page's language."""
    return replace(problem, message=problem_text(problem.reason, problem.message, problem.field, page))
