"""All SQL about solutions."""

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.solutions.models import Solution


def get_solution(session: Session, solution_id: int) -> Solution | None:
    return session.get(Solution, solution_id)


def solutions_by_id(session: Session, solution_ids: Iterable[int]) -> dict[int, Solution]:
    wanted = list(set(solution_ids))
    if not wanted:
        return {}
    return {item.id: item for item in session.scalars(select(Solution).where(Solution.id.in_(wanted)))}


def list_solutions(
    session: Session,
    *,
    offset: int,
    limit: int,
    supplier_id: int | None = None,
    status: str | None = None,
) -> tuple[Sequence[Solution], int]:
    statement = select(Solution)
    if supplier_id is not None:
        statement = statement.where(Solution.supplier_id == supplier_id)
    if status:
        statement = statement.where(Solution.status == status)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = session.scalars(statement.order_by(Solution.id).offset(offset).limit(limit)).all()
    return items, total
