"""All SQL about solutions."""

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from service.db import json_row
from service.models import Solution


def get_solution(session: Session, solution_id: int) -> Solution | None:
    return session.get(Solution, solution_id)


def solutions_by_id(session: Session, solution_ids: Iterable[int]) -> dict[int, Solution]:
    wanted = list(set(solution_ids))
    if not wanted:
        return {}
    return {item.id: item for item in session.scalars(select(Solution).where(Solution.id.in_(wanted)))}


class SolutionFacts(NamedTuple):
    """What the ranking reads of a candidate: a fraction of loading the whole record."""

    language: str
    kpi_codes: list[str]
    suggested_kpis: list[dict[str, Any]] | None  # [{"code", "confidence"}]; null until derived
    sdgs: list[int]
    trl: int | None
    cpv_codes: list[str]
    regions_served: list[str]
    reference_municipalities: list[str]


def facts_by_id(session: Session, solution_ids: Iterable[int]) -> dict[int, SolutionFacts]:
    wanted = list(set(solution_ids))
    if not wanted:
        return {}
    facts = json_row(
        session.get_bind().dialect.name,
        Solution.language,
        Solution.kpi_codes,
        Solution.suggested_kpis,
        Solution.sdgs,
        Solution.trl,
        Solution.cpv_codes,
        Solution.regions_served,
        Solution.reference_municipalities,
    )
    rows = session.execute(select(Solution.id, facts).where(Solution.id.in_(wanted)))
    return {owner_id: SolutionFacts(*values) for owner_id, values in rows}


def list_solutions(
    session: Session,
    *,
    offset: int,
    limit: int,
    supplier_id: int | None = None,
    status: str | None = None,
    unpublished_of: int | None = None,
    all_unpublished: bool = True,
) -> tuple[Sequence[Solution], int]:
    """Solutions; without `all_unpublished`, drafts and archived ones only of supplier `unpublished_of`."""
    statement = select(Solution)
    if not all_unpublished:
        statement = statement.where(
            or_(Solution.status == "published", Solution.supplier_id == unpublished_of)
            if unpublished_of is not None
            else Solution.status == "published"
        )
    if supplier_id is not None:
        statement = statement.where(Solution.supplier_id == supplier_id)
    if status:
        statement = statement.where(Solution.status == status)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = session.scalars(statement.order_by(Solution.id).offset(offset).limit(limit)).all()
    return items, total
