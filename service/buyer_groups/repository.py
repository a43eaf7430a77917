"""The SQL buyer groups need: the open needs that can be grouped."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.models import Need, ProcurementNotice, Solution, Supplier


def groupable_needs(session: Session, *, limit: int) -> tuple[Sequence[Need], int]:
    """Open needs of a municipality, the newest `limit` of them in id order, and how many there are."""
    statement = select(Need).where(Need.status == "open", Need.municipality_number.is_not(None))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    newest = session.scalars(statement.order_by(Need.id.desc()).limit(limit)).all()
    return sorted(newest, key=lambda need: need.id), total


def notice_kpi_codes(session: Session) -> list[frozenset[str]]:
    """Per active procurement notice (open, closed or awarded), the KPIs of its need: its own codes, else
    its best suggested one; what a group's count of notices in its theme reads."""
    statement = (
        select(Need.kpi_codes, Need.suggested_kpis)
        .join(ProcurementNotice, ProcurementNotice.need_id == Need.id)
        .where(ProcurementNotice.status == "active")
    )
    found: list[frozenset[str]] = []
    for codes, suggested in session.execute(statement):
        best = [suggested[0]["code"]] if suggested else []
        found.append(frozenset(codes or best))
    return found


def supplier_numbers_of(session: Session, solution_ids: Sequence[int]) -> dict[int, str]:
    """Each solution's supplier's organisation number, digits only."""
    if not solution_ids:
        return {}
    rows = session.execute(
        select(Solution.id, Supplier.organisation_number)
        .join(Supplier, Solution.supplier_id == Supplier.id)
        .where(Solution.id.in_(solution_ids))
    )
    return {solution_id: "".join(c for c in number if c.isdigit()) for solution_id, number in rows}
