"""KPI observations: all-or-nothing batch import that names every bad row."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from service.access import Principal, ensure_municipality
from service.errors import FieldError, FieldErrors
from service.kpis import repository
from service.kpis.schemas import ImportResult, ObservationIn
from service.kpis.units import unit_problem
from service.models import KpiObservation
from service.municipalities.repository import existing_municipality_numbers

_FIELDS = ("municipality_number", "kpi_code", "data_point", "year", "value", "unit", "source", "synthetic")


def check_observations(session: Session, observations: Sequence[ObservationIn], *, location: str) -> None:
    """Every reference and unit checked; FieldErrors listing each bad row, located as (location, index, field)."""
    kpis = repository.all_kpis(session)
    municipalities = existing_municipality_numbers(session, {row.municipality_number for row in observations})
    errors: list[FieldError] = []
    first_seen: dict[repository.ObservationKey, int] = {}
    for index, row in enumerate(observations):
        if row.municipality_number not in municipalities:
            errors.append(
                FieldError(
                    (location, index, "municipality_number"),
                    f"unknown municipality number '{row.municipality_number}'",
                )
            )
        kpi = kpis.get(row.kpi_code)
        if kpi is None:
            errors.append(
                FieldError((location, index, "kpi_code"), f"unknown U4SSC KPI code '{row.kpi_code}'")
            )
        else:
            problem = unit_problem(kpi.unit_kind, row.unit, row.value)
            if problem:
                errors.append(FieldError((location, index, "unit"), f"{row.kpi_code}: {problem}"))
        key = (row.municipality_number, row.kpi_code, row.data_point, row.year)
        if key in first_seen:
            errors.append(
                FieldError(
                    (location, index),
                    f"the same observation as {location} {first_seen[key]} (municipality, KPI, data point and year)",
                )
            )
        first_seen.setdefault(key, index)
    if errors:
        raise FieldErrors(errors)


def import_observations(
    *,
    session: Session,
    observations: Sequence[ObservationIn],
    caller: Principal,
    location: str = "observations",
) -> ImportResult:
    """Store a batch in one transaction: all rows or, when any row is wrong, none. An officer imports
    only its own municipality's observations."""
    for municipality_number in sorted({item.municipality_number for item in observations}):
        ensure_municipality(caller, municipality_number)
    result = stage_observations(session=session, observations=observations, location=location)
    session.commit()
    return result


def stage_observations(
    *, session: Session, observations: Sequence[ObservationIn], location: str = "observations"
) -> ImportResult:
    """Check and add a batch to the caller's transaction without committing it."""
    check_observations(session, observations, location=location)
    existing = repository.observations_of_municipalities(
        session, {row.municipality_number for row in observations}
    )
    created = updated = unchanged = 0
    for row in observations:
        values = row.model_dump()
        stored = existing.get((row.municipality_number, row.kpi_code, row.data_point, row.year))
        if stored is None:
            session.add(KpiObservation(**values))
            created += 1
        elif any(getattr(stored, field) != values[field] for field in _FIELDS):
            for field in _FIELDS:
                setattr(stored, field, values[field])
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return ImportResult(created=created, updated=updated, unchanged=unchanged)
