"""All SQL about counties and municipalities."""

from collections.abc import Iterable, Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from service.models import County, Municipality, MunicipalityPopulation


def list_municipalities(
    session: Session, *, offset: int, limit: int, county_number: str | None = None, name: str | None = None
) -> tuple[Sequence[Municipality], int]:
    statement = select(Municipality)
    if county_number:
        statement = statement.where(Municipality.county_number == county_number)
    if name:
        statement = statement.where(or_(Municipality.name.ilike(f"%{name}%"), Municipality.number == name))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = session.scalars(statement.order_by(Municipality.number).offset(offset).limit(limit)).all()
    return items, total


def get_municipality(session: Session, number: str) -> Municipality | None:
    return session.get(Municipality, number)


def existing_municipality_numbers(session: Session, numbers: Iterable[str]) -> set[str]:
    wanted = set(numbers)
    if not wanted:
        return set()
    return set(session.scalars(select(Municipality.number).where(Municipality.number.in_(wanted))))


def existing_county_numbers(session: Session, numbers: Iterable[str]) -> set[str]:
    wanted = set(numbers)
    if not wanted:
        return set()
    return set(session.scalars(select(County.number).where(County.number.in_(wanted))))


def latest_populations(session: Session) -> dict[str, int]:
    """Each municipality's most recent population figure."""
    latest = (
        select(
            MunicipalityPopulation.municipality_number, func.max(MunicipalityPopulation.year).label("year")
        )
        .group_by(MunicipalityPopulation.municipality_number)
        .subquery()
    )
    statement = select(MunicipalityPopulation.municipality_number, MunicipalityPopulation.population).join(
        latest,
        (MunicipalityPopulation.municipality_number == latest.c.municipality_number)
        & (MunicipalityPopulation.year == latest.c.year),
    )
    return {number: population for number, population in session.execute(statement)}


def counties_of(session: Session, numbers: Iterable[str]) -> dict[str, str]:
    """The county number of each municipality number given."""
    wanted = set(numbers)
    if not wanted:
        return {}
    statement = select(Municipality.number, Municipality.county_number).where(Municipality.number.in_(wanted))
    return {number: county for number, county in session.execute(statement)}


def counties_by_number(session: Session, numbers: Iterable[str]) -> dict[str, County]:
    wanted = set(numbers)
    if not wanted:
        return {}
    return {
        county.number: county for county in session.scalars(select(County).where(County.number.in_(wanted)))
    }


def latest_population_year(session: Session) -> int | None:
    """The most recent year with a population figure, if any."""
    return session.scalar(select(func.max(MunicipalityPopulation.year)))
