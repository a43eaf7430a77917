"""Partnership logic: check what a proposal refers to, assess its candidates, recommend a route and a
lead, follow its status; every change is recorded in the audit trail in the same transaction."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from service.audit import service as audit
from service.db import utc_now
from service.errors import ConflictError, NotFoundError
from service.indexing import Indexes
from service.kpis.bands import gap_severity
from service.matching.ranker import rank_solutions_for_need
from service.matching.schemas import MAX_MATCHES
from service.models import Need, Partnership, Solution
from service.needs.repository import needs_by_id
from service.partnerships import repository
from service.partnerships.lead import CandidateUse, LeadSuggestion, NeedGap, suggest_lead
from service.partnerships.lifecycle import transition_problem
from service.partnerships.procurement_route import CandidateFacts, RouteFacts, recommend_route
from service.partnerships.schemas import PartnershipCreate, PartnershipUpdate
from service.reasons import Reason
from service.references import ReferenceCheck
from service.solutions.repository import solutions_by_id


def get(*, session: Session, partnership_id: int) -> Partnership:
    partnership = repository.get_partnership(session, partnership_id)
    if partnership is None:
        raise NotFoundError("Partnership", partnership_id)
    return partnership


def _refuse_repeats(check: ReferenceCheck, field: str, kind: str, ids: Sequence[int]) -> None:
    seen: set[int] = set()
    for position, record_id in enumerate(ids):
        if record_id in seen:
            check.add(
                (field, position),
                f"{kind} {record_id} is listed twice",
                Reason(f"{kind}_twice", {"id": record_id}),
            )
        seen.add(record_id)


def check_references(check: ReferenceCheck, fields: Mapping[str, Any]) -> None:
    """What a proposal refers to: needs that exist and are not closed, candidates that exist, each
    listed once, and the lead municipality."""
    need_ids: Sequence[int] = fields.get("need_ids") or ()
    solution_ids: Sequence[int] = fields.get("solution_ids") or ()
    _refuse_repeats(check, "need_ids", "need", need_ids)
    _refuse_repeats(check, "solution_ids", "solution", solution_ids)
    needs = needs_by_id(check.session, need_ids)
    for position, need_id in enumerate(need_ids):
        if need_id not in needs:
            check.add(
                ("need_ids", position),
                f"need {need_id} does not exist",
                Reason("unknown_need", {"id": need_id}),
            )
        elif needs[need_id].status == "closed":
            check.add(
                ("need_ids", position),
                f"need {need_id} is closed: a partnership takes needs that are open or in progress",
                Reason("need_closed", {"id": need_id}),
            )
    solutions = solutions_by_id(check.session, solution_ids)
    for position, solution_id in enumerate(solution_ids):
        if solution_id not in solutions:
            check.add(
                ("solution_ids", position),
                f"solution {solution_id} does not exist",
                Reason("unknown_solution", {"id": solution_id}),
            )
    check.municipality("lead_municipality_number", fields.get("lead_municipality_number"))


def check_update_references(check: ReferenceCheck, fields: Mapping[str, Any]) -> None:
    """What a change of a partnership refers to: its new lead municipality."""
    check.municipality("lead_municipality_number", fields.get("lead_municipality_number"))


def _checked_records(
    session: Session, partnership_in: PartnershipCreate
) -> tuple[list[Need], list[Solution]]:
    """The needs and candidates, in the order given; FieldErrors naming every unknown, closed or repeated id."""
    check = ReferenceCheck(session)
    check_references(check, partnership_in.model_dump())
    check.raise_if_any()
    need_ids, solution_ids = (
        dict.fromkeys(partnership_in.need_ids),
        dict.fromkeys(partnership_in.solution_ids),
    )
    needs, solutions = needs_by_id(session, need_ids), solutions_by_id(session, solution_ids)
    return [needs[need_id] for need_id in need_ids], [solutions[solution_id] for solution_id in solution_ids]


@dataclass(frozen=True)
class BestMatch:
    rank: int  # 1 = the need's first match
    score: float
    need_id: int


def _best_matches(
    session: Session, indexes: Indexes, needs: Sequence[Need], candidate_ids: set[int]
) -> dict[int, BestMatch]:
    """Where each candidate ranks best among the needs' matches (ties: the higher score)."""
    best: dict[int, BestMatch] = {}
    if not candidate_ids:
        return best
    for need in needs:
        matches = rank_solutions_for_need(
            session=session, indexes=indexes, need_id=need.id, limit=MAX_MATCHES
        )
        for rank, match in enumerate(matches, start=1):
            solution_id = match.solution.id
            if solution_id not in candidate_ids:
                continue
            known = best.get(solution_id)
            if known is None or (rank, -match.score) < (known.rank, -known.score):
                best[solution_id] = BestMatch(rank, match.score, need.id)
    return best


def _candidate_facts(solution: Solution, best: BestMatch | None) -> CandidateFacts:
    supplier_key = f"supplier {solution.supplier_id}" if solution.supplier_id else f"solution {solution.id}"
    return CandidateFacts(
        solution.id,
        solution.trl,
        supplier_key,
        best.score if best else None,
        best.rank if best else None,
    )


def _assessment(solutions: Sequence[Solution], best: dict[int, BestMatch]) -> list[dict[str, Any]]:
    assessed = []
    for solution in solutions:
        match = best.get(solution.id)
        assessed.append(
            {
                "solution_id": solution.id,
                "title": solution.title,
                "trl": solution.trl,
                "supplier_id": solution.supplier_id,
                "match_score": match.score if match else None,
                "match_rank": match.rank if match else None,
                "best_need_id": match.need_id if match else None,
                "matches_well": _candidate_facts(solution, match).matches_well,
                "reference_municipalities": list(solution.reference_municipalities),
            }
        )
    return assessed


def _need_gap(need: Need) -> NeedGap:
    evidence = need.evidence or {}
    percent = evidence.get("percent_of_target")
    return NeedGap(
        need_id=need.id,
        municipality_number=need.municipality_number,
        kpi_code=evidence.get("kpi_code"),
        band=evidence.get("band"),
        severity=gap_severity(percent) if percent is not None else None,
    )


def _age_in_days(moment: datetime, now: datetime) -> int:
    return max((now - moment).days, 0)


# A partnership's title when the proposer gives none, from the first need's title and the number of
# other needs; the API's is English, a page passes its reader's wording.
TitleWording = Callable[[str, int], str]


def english_title(first: str, others: int) -> str:
    return f"{first} (+{others} more need{'s' if others > 1 else ''})" if others else first


def _default_title(needs: Sequence[Need], wording: TitleWording) -> str:
    return wording(needs[0].title, len(needs) - 1)[:300]


def create(
    *,
    session: Session,
    indexes: Indexes,
    partnership_in: PartnershipCreate,
    actor: str,
    title_wording: TitleWording = english_title,
) -> Partnership:
    needs, solutions = _checked_records(session, partnership_in)
    best = _best_matches(session, indexes, needs, {solution.id for solution in solutions})
    now = utc_now()
    route = recommend_route(
        RouteFacts(
            candidates=[_candidate_facts(solution, best.get(solution.id)) for solution in solutions],
            oldest_need_age_days=max(_age_in_days(need.created_at, now) for need in needs),
            suppliers_contacted=repository.suppliers_contacted(session, [need.id for need in needs]),
        )
    )
    if partnership_in.lead_municipality_number:
        lead = LeadSuggestion(
            partnership_in.lead_municipality_number,
            "given",
            f"Chosen by {actor}.",
            Reason("chosen", {"actor": actor}),
        )
    else:
        numbers = {need.municipality_number for need in needs if need.municipality_number}
        numbers |= {number for solution in solutions for number in solution.reference_municipalities}
        lead = suggest_lead(
            [_need_gap(need) for need in needs],
            [CandidateUse(s.id, s.title, s.reference_municipalities) for s in solutions],
            repository.municipality_names(session, numbers),
        )
    partnership = Partnership(
        title=partnership_in.title or _default_title(needs, title_wording),
        status="proposed",
        need_ids=[need.id for need in needs],
        solution_ids=[solution.id for solution in solutions],
        buyer_group_key=partnership_in.buyer_group_key,
        lead_municipality_number=lead.municipality_number,
        lead_rule=lead.rule,
        lead_reason=lead.reason,
        lead_reason_facts=lead.facts.as_json() if lead.facts else None,
        route=route.route,
        route_rule=route.rule,
        route_reasons=route.reasons,
        route_reason_facts=[reason.as_json() for reason in route.facts],
        candidate_assessment=_assessment(solutions, best),
        created_by=actor,
        created_at=now,
        updated_at=now,
        status_changed_at=now,
    )
    session.add(partnership)
    session.flush()
    audit.record_event(
        session,
        actor=actor,
        action="partnership_created",
        subject_kind="partnership",
        subject_id=partnership.id,
        detail={
            "need_ids": partnership.need_ids,
            "solution_ids": partnership.solution_ids,
            "buyer_group_key": partnership.buyer_group_key,
            "lead_municipality_number": partnership.lead_municipality_number,
            "lead_rule": partnership.lead_rule,
            "route": partnership.route,
            "route_rule": partnership.route_rule,
        },
    )
    session.commit()
    session.refresh(partnership)  # loads the lead municipality's name
    return partnership


def update(
    *, session: Session, partnership_id: int, partnership_in: PartnershipUpdate, actor: str
) -> Partnership:
    """Change the lead and/or move the status one step; an impossible move is refused and nothing stored."""
    partnership = get(session=session, partnership_id=partnership_id)
    changes = partnership_in.model_dump(exclude_unset=True)
    note = changes.get("note")
    wanted_status = changes.get("status")
    if wanted_status is not None and wanted_status != partnership.status:
        problem = transition_problem(partnership.status, wanted_status)
        if problem:
            raise ConflictError(problem)
    check = ReferenceCheck(session)
    check_update_references(check, changes)
    check.raise_if_any()
    now = utc_now()
    if "lead_municipality_number" in changes and changes["lead_municipality_number"] != (
        partnership.lead_municipality_number
    ):
        _change_lead(session, partnership, changes["lead_municipality_number"], actor, note, now)
    if wanted_status is not None and wanted_status != partnership.status:
        _change_status(session, partnership, wanted_status, actor, note, now)
    session.commit()
    session.refresh(partnership)
    return partnership


def _change_lead(
    session: Session,
    partnership: Partnership,
    number: str | None,
    actor: str,
    note: str | None,
    now: datetime,
) -> None:
    before = partnership.lead_municipality_number
    partnership.lead_municipality_number = number
    partnership.lead_rule = "given" if number else "none"
    partnership.lead_reason = f"Chosen by {actor}." if number else f"Cleared by {actor}."
    partnership.lead_reason_facts = Reason("chosen" if number else "cleared", {"actor": actor}).as_json()
    partnership.updated_at = now
    audit.record_event(
        session,
        actor=actor,
        action="partnership_lead_changed",
        subject_kind="partnership",
        subject_id=partnership.id,
        detail={"from": before, "to": number, "note": note},
    )


def _change_status(
    session: Session, partnership: Partnership, wanted: str, actor: str, note: str | None, now: datetime
) -> None:
    before = partnership.status
    session.flush()
    if not repository.change_status(
        session, partnership_id=partnership.id, from_status=before, to_status=wanted, at=now
    ):
        session.rollback()
        current = get(session=session, partnership_id=partnership.id).status
        raise ConflictError(
            f"The partnership changed meanwhile: it is now '{current}', not '{before}'. Reload and try again.",
            Reason("changed_meanwhile", {"current": current, "before": before}),
        )
    audit.record_event(
        session,
        actor=actor,
        action="partnership_status_changed",
        subject_kind="partnership",
        subject_id=partnership.id,
        detail={"from": before, "to": wanted, "note": note},
    )


EXPORT_HEADER = (
    "id",
    "title",
    "status",
    "route",
    "route_rule",
    "route_reasons",
    "lead_municipality_number",
    "lead_municipality_name",
    "lead_rule",
    "lead_reason",
    "need_ids",
    "solution_ids",
    "buyer_group_key",
    "outcomes",
    "created_by",
    "created_at",
    "status_changed_at",
)


def export_rows(*, session: Session, status: str | None) -> list[list[object]]:
    """Every partnership (of a status), oldest first, as rows under EXPORT_HEADER."""
    return [
        [
            item.id,
            item.title,
            item.status,
            item.route,
            item.route_rule,
            " | ".join(item.route_reasons),
            item.lead_municipality_number,
            item.lead_municipality_name,
            item.lead_rule,
            item.lead_reason,
            item.need_ids,
            item.solution_ids,
            item.buyer_group_key,
            len(item.outcomes),
            item.created_by,
            item.created_at,
            item.status_changed_at,
        ]
        for item in repository.all_partnerships(session, status=status)
    ]
