"""The KPI catalogue's entries, and KPI observations: all-or-nothing batch import that names every bad row."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from service.access import Principal, ensure_municipality
from service.errors import FieldError, FieldErrors, NotFoundError, UncheckedRequest
from service.identifiers import compact_kpi_code
from service.kpis import repository
from service.kpis.schemas import MAX_OBSERVATIONS, ImportResult, KpiRead, ObservationIn
from service.kpis.units import unit_mismatch
from service.models import KpiObservation
from service.municipalities.repository import existing_municipality_numbers
from service.reasons import Reason
from service.well_formed import well_formed_items

_FIELDS = ("municipality_number", "kpi_code", "data_point", "year", "value", "unit", "source", "synthetic")
_KEY_FIELDS = ("municipality_number", "kpi_code", "data_point", "year")  # one observation each
CSV_LINES = "line"  # the location of the rows of a CSV file (innomatch import-kpis)


def read_kpi(*, session: Session, code: str) -> KpiRead:
    """One KPI by its code, in either form (`EC-I-WS-3C` or `EC: I: WS: 3C`)."""
    kpi = repository.get_kpi(session, compact_kpi_code(code))
    if kpi is None:
        raise NotFoundError("KPI", code)
    return KpiRead.model_validate(kpi)


def row_name(location: str, index: int) -> str:
    """A row as its sender counts: a line of a CSV file (from 1, the header first), else its position."""
    return f"line {index + 2}" if location == CSV_LINES else f"{location}[{index}]"


def observation_errors(
    session: Session, observations: Sequence[Mapping[str, Any]], *, location: str
) -> list[FieldError]:
    """What is wrong with each row's references and unit, located as (location, index, field): every row
    is read as a dict of its fields, and a field left out is not checked."""
    kpis = repository.all_kpis(session)
    numbers = {row["municipality_number"] for row in observations if "municipality_number" in row}
    municipalities = existing_municipality_numbers(session, numbers)
    errors: list[FieldError] = []
    first_seen: dict[tuple[Any, ...], int] = {}
    for index, row in enumerate(observations):
        number, code = row.get("municipality_number"), row.get("kpi_code")
        if number is not None and number not in municipalities:
            errors.append(
                FieldError(
                    (location, index, "municipality_number"),
                    f"unknown municipality number '{number}'",
                    reason=Reason("unknown_municipality", {"number": number}),
                )
            )
        kpi = kpis.get(code) if code is not None else None
        if code is not None and kpi is None:
            errors.append(
                FieldError(
                    (location, index, "kpi_code"),
                    f"unknown U4SSC KPI code '{code}'",
                    reason=Reason("unknown_kpi", {"code": code}),
                )
            )
        elif kpi is not None and "unit" in row and "value" in row:
            problem = unit_mismatch(kpi.unit_kind, row["unit"], row["value"])
            if problem:
                message, reason = problem
                reason = Reason(reason.code, {**reason.facts, "kpi": code})
                errors.append(FieldError((location, index, "unit"), f"{code}: {message}", reason=reason))
        key = tuple(row.get(field) for field in _KEY_FIELDS)
        if None in key:
            continue
        if key in first_seen:
            errors.append(
                FieldError(
                    (location, index),
                    f"the same municipality, KPI, data point and year as {row_name(location, first_seen[key])}",
                    reason=Reason("repeated_row", {"location": location, "index": first_seen[key]}),
                )
            )
        first_seen.setdefault(key, index)
    return errors


def unchecked_observation_errors(session: Session, request: UncheckedRequest) -> list[FieldError]:
    """`observation_errors` of a batch that failed its shape check, on its well-formed fields."""
    rows = well_formed_items(ObservationIn, request.body, "observations", MAX_OBSERVATIONS)
    return observation_errors(session, rows, location="observations")


def check_observations(session: Session, observations: Sequence[ObservationIn], *, location: str) -> None:
    """Every reference and unit checked; FieldErrors listing each bad row, located as (location, index, field)."""
    errors = observation_errors(session, [row.model_dump() for row in observations], location=location)
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


@dataclass(frozen=True)
class PlannedChange:
    """What an import would do to one observation: add it (before is None) or change its value."""

    municipality_number: str
    kpi_code: str
    data_point: str
    year: int
    before: float | None
    after: float


def planned_changes(
    session: Session, observations: Sequence[ObservationIn]
) -> tuple[list[PlannedChange], int]:
    """The observations a valid batch would add or change, and how many it leaves as they are; nothing
    is written (the preview of an import). Raises FieldErrors as the import would."""
    check_observations(session, observations, location=CSV_LINES)
    existing = repository.observations_of_municipalities(
        session, {row.municipality_number for row in observations}
    )
    changes, unchanged = [], 0
    for row in observations:
        values = row.model_dump()
        stored = existing.get((row.municipality_number, row.kpi_code, row.data_point, row.year))
        if stored is not None and all(getattr(stored, field) == values[field] for field in _FIELDS):
            unchanged += 1
            continue
        before = None if stored is None else stored.value
        changes.append(
            PlannedChange(row.municipality_number, row.kpi_code, row.data_point, row.year, before, row.value)
        )
    return changes, unchanged
