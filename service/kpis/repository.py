"""All SQL about KPIs."""

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.kpis.models import Kpi


def list_kpis(
    session: Session, *, offset: int, limit: int, dimension: str | None = None
) -> tuple[Sequence[Kpi], int]:
    statement = select(Kpi)
    if dimension:
        statement = statement.where(Kpi.dimension == dimension)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = session.scalars(statement.order_by(Kpi.code).offset(offset).limit(limit)).all()
    return items, total


def get_kpi(session: Session, code: str) -> Kpi | None:
    return session.get(Kpi, code)


def kpis_by_code(session: Session, codes: Iterable[str]) -> dict[str, Kpi]:
    wanted = set(codes)
    if not wanted:
        return {}
    return {kpi.code: kpi for kpi in session.scalars(select(Kpi).where(Kpi.code.in_(wanted)))}
