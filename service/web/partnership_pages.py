"""The partnership board for programme staff: partnerships by status, and each partnership's page with
its procurement route and lead (and the service's reasons), its history from the audit trail, a form
that moves its status and one that records a pilot's KPI outcome, shown as before and after.

The rules are the API's: a move goes through service.partnerships.service.update (PATCH
/api/v1/partnerships/{id}), an outcome through outcomes.record_outcome (POST .../outcomes). A move the
lifecycle refuses (409) or a wrong field (422) is explained next to its field and nothing is stored.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from service.audit.repository import AuditQuery, all_events
from service.auth import SignedIn
from service.deps import SessionDep
from service.errors import ConflictError, FieldErrors
from service.kpis.repository import all_kpis
from service.models import Kpi, Need, Partnership
from service.needs.repository import needs_by_id
from service.partnerships import outcomes, repository
from service.partnerships import service as partnerships
from service.partnerships.lifecycle import NEXT_STATUSES, OUTCOME_STATUSES, transition_problem
from service.partnerships.schemas import OutcomeCreate, PartnershipUpdate
from service.text_fields import RecordId
from service.web.browser_cookies import no_store
from service.web.field_reasons import reason_text
from service.web.forms import SignedInFormDep
from service.web.i18n import N_, PageLocale, page_locale
from service.web.messages import field_label, field_problem
from service.web.reason_texts import lead_reason_text, route_reason_texts
from service.web.staff_pages import is_staff, refused, staff_member
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
BOARD_COLUMNS = ("proposed", "in_dialogue", "pilot", "scaled", "stopped")
NEXT_STEP = {
    "proposed": N_("Open the dialogue with the candidates' suppliers."),
    "in_dialogue": N_("Agree on a pilot with a supplier."),
    "pilot": N_("Record the pilot's outcome, then scale it or stop."),
    "scaled": N_("Follow the outcomes in the municipalities."),
    "stopped": N_("None: the partnership is stopped."),
}
STATUS_WORDS = {
    "proposed": N_("proposed"),
    "in_dialogue": N_("in dialogue"),
    "pilot": N_("pilot"),
    "scaled": N_("scaled"),
    "stopped": N_("stopped"),
}
CHOOSE_A_STATUS = N_("Choose the status to move the partnership to.")
REFUSED_MOVE = N_("A partnership that is %(current)s can move to %(allowed)s, not to %(wanted)s.")
CHANGED_MEANWHILE = N_(
    "The partnership changed meanwhile: it is now “%(current)s”, not “%(before)s”. Reload the page and try"
    " again."
)
STOPPED_IS_FINAL = N_("The partnership is stopped, which is final: propose a new partnership to start again.")
MEASURED = N_("%(kpi)s in %(municipality)s for %(year)s")
MEASURED_POINT = N_("%(kpi)s (%(data_point)s) in %(municipality)s for %(year)s")
OUTCOME_REFUSED = {
    "not_in_pilot": N_(
        "Outcomes are measured after a pilot: the partnership is “%(status)s”. Move it to “pilot” first."
    ),
    "outcome_recorded": N_(
        "The partnership already has an outcome for %(measured)s (outcome %(outcome)s). Only one value is"
        " recorded for each year."
    ),
    "observed_elsewhere": N_(
        "%(measured)s is already observed (%(value)s %(unit)s, source: %(source)s); a pilot outcome does not"
        " replace another source's value. Record the year the pilot's value was measured."
    ),
}
OUTCOME_FIELDS = ("municipality_number", "kpi_code", "data_point", "year", "value", "unit", "solution_id")


@dataclass(frozen=True)
class Card:
    """A partnership as the board shows it."""

    partnership: Partnership
    municipalities: list[str]  # names, the lead first
    solutions: list[str]  # the candidates' titles
    next_step: str  # in the reader's language


def _municipalities(session: Session, partnerships_shown: Sequence[Partnership]) -> dict[int, list[str]]:
    """Each partnership's municipalities by name: the lead's, then its needs' in alphabetical order."""
    needs = needs_by_id(session, {need_id for item in partnerships_shown for need_id in item.need_ids})
    numbers_of = {
        item.id: {
            needs[need_id].municipality_number
            for need_id in item.need_ids
            if need_id in needs and needs[need_id].municipality_number
        }
        for item in partnerships_shown
    }
    all_numbers = {number for numbers in numbers_of.values() for number in numbers if number}
    all_numbers |= {
        item.lead_municipality_number for item in partnerships_shown if item.lead_municipality_number
    }
    names = repository.municipality_names(session, all_numbers)
    named: dict[int, list[str]] = {}
    for item in partnerships_shown:
        lead = item.lead_municipality_number
        others = sorted(
            names.get(number or "", number or "") for number in numbers_of[item.id] if number != lead
        )
        named[item.id] = ([names.get(lead, lead)] if lead else []) + others
    return named


def _card(partnership: Partnership, municipalities: list[str], page: PageLocale) -> Card:
    titles = [str(candidate["title"]) for candidate in partnership.candidate_assessment]
    return Card(partnership, municipalities, titles, page.gettext(NEXT_STEP[partnership.status]))


@router.get("/partnerships", response_class=HTMLResponse)
def partnership_board(request: Request, session: SessionDep) -> Response:
    """Every partnership, in a column per status."""
    person = staff_member(request, session)
    if isinstance(person, Response):
        return person
    shown = repository.all_partnerships(session)
    municipalities, page = _municipalities(session, shown), page_locale(request)
    columns: dict[str, list[Card]] = {status: [] for status in BOARD_COLUMNS}
    for item in shown:
        columns[item.status].append(_card(item, municipalities[item.id], page))
    context: dict[str, Any] = {"columns": columns, "total": len(shown)}
    return no_store(templates.TemplateResponse(request, "partnerships.html", context))


# -- one partnership --


def _outcome_kpis(session: Session, needs: Sequence[Need]) -> list[Kpi]:
    """The KPIs an outcome may be about: the needs' KPIs first, then every other, by code."""
    kpis = all_kpis(session)
    own = sorted({code for need in needs for code in need.kpi_codes if code in kpis})
    return [kpis[code] for code in own] + [kpis[code] for code in sorted(kpis) if code not in own]


def _partnership_page(
    request: Request,
    session: Session,
    person: SignedIn,
    partnership: Partnership,
    *,
    move: Mapping[str, str] | None = None,
    outcome: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    needs_of = needs_by_id(session, partnership.need_ids)
    needs = [needs_of[need_id] for need_id in partnership.need_ids if need_id in needs_of]
    municipalities = _municipalities(session, [partnership])[partnership.id]
    numbers = sorted({need.municipality_number for need in needs if need.municipality_number})
    if partnership.lead_municipality_number and partnership.lead_municipality_number not in numbers:
        numbers.insert(0, partnership.lead_municipality_number)
    history = all_events(session, AuditQuery(subject_kind="partnership", subject_id=str(partnership.id)))
    page = page_locale(request)
    route_reasons = route_reason_texts(partnership.route_reason_facts, partnership.route_reasons, page)
    lead_reason = lead_reason_text(partnership.lead_reason_facts, partnership.lead_reason, page)
    context: dict[str, Any] = {
        "partnership": partnership,
        # Worded from their facts in the reader's language; a partnership stored before reasons kept
        # their facts has them as the API gives them, in English.
        "route_reasons": route_reasons,
        "route_reasons_in_english": route_reasons is partnership.route_reasons,
        "lead_reason": lead_reason,
        "lead_reason_in_english": lead_reason is partnership.lead_reason,
        "needs": needs,
        "municipalities": municipalities,
        "member_names": repository.municipality_names(session, numbers),
        "member_numbers": numbers,
        "next_statuses": NEXT_STATUSES[partnership.status],
        "next_step": page.gettext(NEXT_STEP[partnership.status]),
        "takes_outcomes": partnership.status in OUTCOME_STATUSES,
        "outcome_kpis": _outcome_kpis(session, needs),
        "history": history,
        "move": move or {"status": "", "note": ""},
        "outcome": outcome or {"municipality_number": partnership.lead_municipality_number or ""},
        "errors": errors or {},
        "outcome_problem": any(name.startswith("outcome_") for name in errors or {}),
        "csrf_token": person.csrf_token,
    }
    return no_store(templates.TemplateResponse(request, "partnership.html", context, status_code=status_code))


@router.get("/partnerships/{partnership_id}", response_class=HTMLResponse)
def partnership_page(request: Request, session: SessionDep, partnership_id: RecordId) -> Response:
    """One partnership: route, lead, needs, candidates, outcomes and history, and its forms."""
    person = staff_member(request, session)
    if isinstance(person, Response):
        return person
    partnership = partnerships.get(session=session, partnership_id=partnership_id)
    return _partnership_page(request, session, person, partnership)


def _problems(request: Request, error: ValidationError | FieldErrors, fallback: str) -> dict[str, str]:
    """One sentence per wrong field (its first problem), keyed by the field's name."""
    page, problems = page_locale(request), dict[str, str]()
    if isinstance(error, FieldErrors):
        for wrong in error.errors:
            name = str(wrong.location[0]) if wrong.location else fallback
            problems.setdefault(
                name, f"{field_label((name,), page)}: {reason_text(wrong.reason, wrong.message, page)}"
            )
        return problems
    for item in error.errors(include_url=False):
        name = str(item["loc"][0]) if item["loc"] else fallback
        problems.setdefault(name, field_problem({**item, "loc": (name,)}, page))
    return problems


def _refused_move(page: PageLocale, current: str, wanted: str) -> str:
    """Why the lifecycle refuses the move, in the reader's words (the service says it in English)."""
    allowed = NEXT_STATUSES[current]
    if not allowed:
        return page.gettext(STOPPED_IS_FINAL)
    words = [f"“{page.gettext(STATUS_WORDS[status])}”" for status in allowed]
    return page.gettext(REFUSED_MOVE) % {
        "current": f"“{page.gettext(STATUS_WORDS[current])}”",
        "allowed": f" {page.gettext('or')} ".join(words),
        "wanted": f"“{page.gettext(STATUS_WORDS.get(wanted, wanted))}”",
    }


def conflict_text(page: PageLocale, error: ConflictError) -> str:
    """A move refused because another person moved the partnership first, in the reader's words."""
    facts = error.reason.facts if error.reason and error.reason.code == "changed_meanwhile" else None
    if facts is None:
        return str(error)
    words = {
        name: page.gettext(STATUS_WORDS.get(str(facts.get(name)), str(facts.get(name))))
        for name in ("current", "before")
    }
    return page.gettext(CHANGED_MEANWHILE) % words


@router.post("/partnerships/{partnership_id}/status", response_class=HTMLResponse)
def move_partnership(
    request: Request, session: SessionDep, form: SignedInFormDep, partnership_id: RecordId
) -> Response:
    """Move the status one step (or to stopped), with a note for the audit trail."""
    principal = form.person.principal
    if not is_staff(principal):
        return refused(request)
    partnership = partnerships.get(session=session, partnership_id=partnership_id)
    move = {"status": form.fields.get("status", "").strip(), "note": form.fields.get("note", "")}
    page = page_locale(request)
    if not move["status"]:
        errors = {"status": page.gettext(CHOOSE_A_STATUS)}
        return _partnership_page(
            request, session, form.person, partnership, move=move, errors=errors, status_code=422
        )
    try:
        update = PartnershipUpdate.model_validate(
            {"status": move["status"], "note": move["note"].strip() or None}
        )
        partnerships.update(
            session=session, partnership_id=partnership_id, partnership_in=update, actor=principal.actor
        )
    except (ValidationError, FieldErrors) as error:
        session.rollback()
        errors = _problems(request, error, "status")
        return _partnership_page(
            request, session, form.person, partnership, move=move, errors=errors, status_code=422
        )
    except ConflictError as error:
        session.rollback()
        partnership = partnerships.get(session=session, partnership_id=partnership_id)
        known = transition_problem(partnership.status, move["status"]) is not None
        reason = (
            _refused_move(page, partnership.status, move["status"]) if known else conflict_text(page, error)
        )
        return _partnership_page(
            request, session, form.person, partnership, move=move, errors={"status": reason}, status_code=409
        )
    return RedirectResponse(f"/partnerships/{partnership_id}", status_code=303)


def _outcome_fields(sent: Mapping[str, str]) -> dict[str, Any]:
    """The form's values as the API's JSON would send them: an empty optional field is absent."""
    fields: dict[str, Any] = {name: sent[name].strip() for name in OUTCOME_FIELDS if name in sent}
    if not fields.get("solution_id"):
        fields.pop("solution_id", None)
    return fields


def _refused_outcome(page: PageLocale, error: ConflictError) -> str:
    """Why the outcome was not recorded, in the reader's words (the service says it in English)."""
    reason = error.reason
    if reason is None or reason.code not in OUTCOME_REFUSED:
        return str(error)
    facts = dict(reason.facts)
    words = {
        **facts,
        "measured": "",
        "status": page.gettext(STATUS_WORDS.get(str(facts.get("status")), "")),
    }
    if "kpi" in facts:
        words["measured"] = page.gettext(MEASURED_POINT if facts.get("data_point") else MEASURED) % facts
    if isinstance(facts.get("value"), int | float):
        words["value"] = page.number(float(facts["value"]))  # type: ignore[arg-type]
    return page.gettext(OUTCOME_REFUSED[reason.code]) % words


@router.post("/partnerships/{partnership_id}/outcomes", response_class=HTMLResponse)
def record_outcome(
    request: Request, session: SessionDep, form: SignedInFormDep, partnership_id: RecordId
) -> Response:
    """Record a KPI value measured after the pilot; the page then shows it before and after."""
    principal = form.person.principal
    if not is_staff(principal):
        return refused(request)
    partnership = partnerships.get(session=session, partnership_id=partnership_id)
    sent = {name: form.fields.get(name, "") for name in OUTCOME_FIELDS}
    try:
        outcome_in = OutcomeCreate.model_validate(_outcome_fields(sent))
        outcomes.record_outcome(
            session=session, partnership_id=partnership_id, outcome_in=outcome_in, actor=principal.actor
        )
    except (ValidationError, FieldErrors) as error:
        session.rollback()
        errors = {f"outcome_{name}": text for name, text in _problems(request, error, "value").items()}
        return _partnership_page(
            request, session, form.person, partnership, outcome=sent, errors=errors, status_code=422
        )
    except ConflictError as error:
        session.rollback()
        return _partnership_page(
            request,
            session,
            form.person,
            partnership,
            outcome=sent,
            errors={"outcome": _refused_outcome(page_locale(request), error)},
            status_code=409,
        )
    return RedirectResponse(f"/partnerships/{partnership_id}#outcomes", status_code=303)
