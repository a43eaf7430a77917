"""All SQL about KPIs."""

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.models import Kpi, KpiObservation, KpiTarget


def list_kpis(
    session: Session, *, offset: int, limit: int, dimension: str | None = None
) -> tuple[Sequence[Kpi], int]:
    statement = select(Kpi)
    if dimension:
        statement = statement.where(Kpi.dimension == dimension)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = session.scalars(statement.order_by(Kpi.code).offset(offset).limit(limit)).all()
    return items, total


def kpi_codes_of_dimension(session: Session, dimension: str) -> set[str]:
    return set(session.scalars(select(Kpi.code).where(Kpi.dimension == dimension)))


def kpi_codes_of_theme(session: Session, theme: str) -> set[str]:
    return set(session.scalars(select(Kpi.code).where(Kpi.subdimension == theme)))


def get_kpi(session: Session, code: str) -> Kpi | None:
    return session.get(Kpi, code)


def kpis_by_code(session: Session, codes: Iterable[str]) -> dict[str, Kpi]:
    wanted = set(codes)
    if not wanted:
        return {}
    return {kpi.code: kpi for kpi in session.scalars(select(Kpi).where(Kpi.code.in_(wanted)))}


ObservationKey = tuple[str, str, str, int]  # municipality, KPI, data point, year


def observations_of_municipalities(
    session: Session, numbers: Iterable[str]
) -> dict[ObservationKey, KpiObservation]:
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    statement = select(KpiObservation).where(KpiObservation.municipality_number.in_(wanted))
    return {
        (item.municipality_number, item.kpi_code, item.data_point, item.year): item
        for item in session.scalars(statement)
    }


def all_kpis(session: Session) -> dict[str, Kpi]:
    return {kpi.code: kpi for kpi in session.scalars(select(Kpi))}


def targets_by_kpi(session: Session) -> dict[tuple[str, str], list[KpiTarget]]:
    targets: dict[tuple[str, str], list[KpiTarget]] = {}
    for target in session.scalars(select(KpiTarget)):
        targets.setdefault((target.kpi_code, target.data_point), []).append(target)
    return targets


def all_observations(session: Session) -> Sequence[KpiObservation]:
    return session.scalars(select(KpiObservation)).all()
