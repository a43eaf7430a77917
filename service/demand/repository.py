"""The SQL the demand views need beyond what the other domains' repositories offer."""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.models import County, Municipality, Need, Solution
from service.municipalities.repository import latest_populations
from service.needs.demand_now import counts_as_demand


@dataclass(frozen=True)
class Place:
    """A municipality as the demand views show it: name, county and latest population."""

    number: str
    name: str
    county_number: str
    county_name: str
    population: int  # 0 when SSB has no figure


def places(session: Session, numbers: Iterable[str]) -> dict[str, Place]:
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    populations = latest_populations(session)
    statement = (
        select(Municipality.number, Municipality.name, Municipality.county_number, County.name)
        .join(County, County.number == Municipality.county_number)
        .where(Municipality.number.in_(wanted))
    )
    return {
        number: Place(number, name, county_number, county_name, populations.get(number, 0))
        for number, name, county_number, county_name in session.execute(statement)
    }


def county_name(session: Session, number: str) -> str | None:
    county = session.get(County, number)
    return county.name if county else None


def needs_not_closed_with_kpis(
    session: Session, kpi_codes: Collection[str], county_number: str | None = None
) -> list[Need]:
    """Needs that count as demand now (not closed, no passed notice deadline) and carry one of the KPIs
    (optionally only in one county), by id."""
    statement = select(Need).where(counts_as_demand(datetime.now(UTC)))
    if county_number:
        statement = statement.join(Municipality, Municipality.number == Need.municipality_number).where(
            Municipality.county_number == county_number
        )
    # KPI codes are a JSON list: filtered here, as the match filters do.
    wanted = set(kpi_codes)
    return [need for need in session.scalars(statement.order_by(Need.id)) if wanted & set(need.kpi_codes)]


def published_solutions_with_kpis(
    session: Session, kpi_codes: Collection[str], county_number: str | None = None
) -> Sequence[Solution]:
    """Published solutions tagged with one of the KPIs that serve the county (or all of Norway), by id."""
    wanted = set(kpi_codes)
    statement = select(Solution).where(Solution.status == "published").order_by(Solution.id)
    return [
        solution
        for solution in session.scalars(statement)
        if wanted & set(solution.kpi_codes)
        and (county_number is None or not solution.regions_served or county_number in solution.regions_served)
    ]
