"""The outcome loop: a pilot's measured KPI value becomes a KPI observation (so the municipality's gap
view follows it) and evidence on the solution piloted, in one transaction with its audit event."""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.access import Principal
from service.audit import service as audit
from service.errors import ConflictError, FieldError, FieldErrors, NotFoundError
from service.kpis import repository as kpis_repository
from service.kpis.bands import direction_for
from service.kpis.schemas import ObservationIn
from service.kpis.service import check_observations, stage_observations
from service.models import KpiObservation, Partnership, PartnershipOutcome
from service.needs.repository import needs_by_id
from service.partnerships import repository
from service.partnerships import service as partnerships_service
from service.partnerships.lifecycle import OUTCOME_STATUSES
from service.partnerships.schemas import OutcomeCorrection, OutcomeCreate, SolutionOutcomeRead
from service.solutions import service as solutions_service


def outcome_source(partnership_id: int) -> str:
    """The observation's source: the partnership, so a reader can trace the value to the pilot."""
    return f"Innomatch partnership {partnership_id}: pilot outcome"


def _municipalities_of(session: Session, partnership: Partnership) -> set[str]:
    numbers = {
        need.municipality_number
        for need in needs_by_id(session, partnership.need_ids).values()
        if need.municipality_number
    }
    if partnership.lead_municipality_number:
        numbers.add(partnership.lead_municipality_number)
    return numbers


def _piloted_solution(partnership: Partnership, outcome_in: OutcomeCreate) -> int | None:
    candidates = partnership.solution_ids
    if outcome_in.solution_id is None:
        if len(candidates) > 1:
            raise FieldErrors(
                [
                    FieldError(
                        ("solution_id",),
                        f"say which candidate was piloted: one of {', '.join(map(str, candidates))}",
                    )
                ]
            )
        return candidates[0] if candidates else None
    if outcome_in.solution_id not in candidates:
        listed = ", ".join(map(str, candidates)) or "none"
        raise FieldErrors(
            [
                FieldError(
                    ("solution_id",),
                    f"solution {outcome_in.solution_id} is not a candidate of partnership {partnership.id} "
                    f"(candidates: {listed})",
                )
            ]
        )
    return outcome_in.solution_id


def _one_measurement(session: Session, observation: ObservationIn, *, store: bool) -> None:
    """Check the value against its KPI (unit, range) and, with `store`, add it as the KPI observation."""
    try:
        if store:
            stage_observations(session=session, observations=[observation], location="outcome")
        else:
            check_observations(session, [observation], location="outcome")
    except FieldErrors as errors:
        # The import names rows as (outcome, 0, field); here there is one row: name the field alone.
        raise FieldErrors(
            [FieldError(error.location[2:], error.message, error.error_type) for error in errors.errors]
        ) from None


def _series(session: Session, observation: ObservationIn) -> dict[int, KpiObservation]:
    """The stored values of the observation's municipality, KPI and data point, by year."""
    return {
        year: stored
        for (_number, code, point, year), stored in kpis_repository.observations_of_municipalities(
            session, [observation.municipality_number]
        ).items()
        if code == observation.kpi_code and point == observation.data_point
    }


def _measured(observation: ObservationIn) -> str:
    point = f" ({observation.data_point})" if observation.data_point else ""
    return f"{observation.kpi_code}{point} in {observation.municipality_number} for {observation.year}"


def _refuse_a_second_value(session: Session, partnership_id: int, observation: ObservationIn) -> None:
    """One value per (municipality, KPI, data point, year): a 409 naming the one already there."""
    recorded = repository.outcome_measured(
        session,
        partnership_id=partnership_id,
        municipality_number=observation.municipality_number,
        kpi_code=observation.kpi_code,
        data_point=observation.data_point,
        year=observation.year,
    )
    if recorded is not None:
        raise ConflictError(
            f"Partnership {partnership_id} already has an outcome for {_measured(observation)}: outcome "
            f"{recorded.id}, {recorded.value:g} {recorded.unit}. To change its value, send the corrected "
            f"value with PATCH /api/v1/partnerships/{partnership_id}/outcomes/{recorded.id}."
        )
    same_year = _series(session, observation).get(observation.year)
    if same_year is not None and same_year.source != observation.source:
        # Never overwrite a measurement from elsewhere.
        raise ConflictError(
            f"{_measured(observation)} is already observed ({same_year.value:g} {same_year.unit}, source: "
            f"{same_year.source}); a pilot outcome does not replace another source's value. Record the "
            "year the pilot's value was measured."
        )


def record_outcome(
    *, session: Session, partnership_id: int, outcome_in: OutcomeCreate, actor: str
) -> PartnershipOutcome:
    partnership = partnerships_service.get(session=session, partnership_id=partnership_id)
    if partnership.status not in OUTCOME_STATUSES:
        raise ConflictError(
            f"Outcomes are measured after a pilot: partnership {partnership.id} is '{partnership.status}'. "
            "Move it to 'pilot' first."
        )
    number = outcome_in.municipality_number
    members = _municipalities_of(session, partnership)
    if number not in members:
        listed = ", ".join(sorted(members)) or "none"
        raise FieldErrors(
            [
                FieldError(
                    ("municipality_number",),
                    f"municipality {number} is not part of partnership {partnership.id} "
                    f"(its municipalities: {listed})",
                )
            ]
        )
    solution_id = _piloted_solution(partnership, outcome_in)
    observation = ObservationIn(
        municipality_number=number,
        kpi_code=outcome_in.kpi_code,
        data_point=outcome_in.data_point,
        year=outcome_in.year,
        value=outcome_in.value,
        unit=outcome_in.unit,
        source=outcome_source(partnership.id),
        synthetic=False,
    )
    _refuse_a_second_value(session, partnership_id, observation)
    try:
        outcome = _store(session, partnership_id, solution_id, observation, actor)
    except IntegrityError:
        # A simultaneous request stored the same value after the check: refuse as the check would have.
        session.rollback()
        _refuse_a_second_value(session, partnership_id, observation)
        raise
    session.commit()
    return outcome


def _store(
    session: Session, partnership_id: int, solution_id: int | None, observation: ObservationIn, actor: str
) -> PartnershipOutcome:
    """The observation, the outcome with its baseline, and the audit event, flushed, not committed."""
    series = _series(session, observation)
    earlier = [year for year in series if year < observation.year]
    baseline = series[max(earlier)] if earlier else None
    _one_measurement(session, observation, store=True)
    stored = _series(session, observation)[observation.year]
    outcome = PartnershipOutcome(
        partnership_id=partnership_id,
        solution_id=solution_id,
        municipality_number=observation.municipality_number,
        kpi_code=observation.kpi_code,
        data_point=observation.data_point,
        year=observation.year,
        value=observation.value,
        unit=observation.unit,
        baseline_year=baseline.year if baseline else None,
        baseline_value=baseline.value if baseline else None,
        observation_id=stored.id,
        recorded_by=actor,
    )
    session.add(outcome)
    session.flush()
    audit.record_event(
        session,
        actor=actor,
        action="partnership_outcome_recorded",
        subject_kind="partnership",
        subject_id=partnership_id,
        detail={
            "outcome_id": outcome.id,
            "solution_id": solution_id,
            "municipality_number": outcome.municipality_number,
            "kpi_code": outcome.kpi_code,
            "data_point": outcome.data_point,
            "year": outcome.year,
            "value": outcome.value,
            "unit": outcome.unit,
            "baseline_value": outcome.baseline_value,
            "observation_id": stored.id,
        },
    )
    return outcome


def correct_outcome(
    *, session: Session, partnership_id: int, outcome_id: int, correction: OutcomeCorrection, actor: str
) -> PartnershipOutcome:
    """Correct a recorded value or unit (a typo). The KPI observation follows while it still holds the
    pilot's value; where, which KPI and which year stay as recorded."""
    partnership = partnerships_service.get(session=session, partnership_id=partnership_id)
    outcome = repository.get_outcome(session, outcome_id)
    if outcome is None or outcome.partnership_id != partnership.id:
        raise NotFoundError(f"Outcome {outcome_id} of partnership", partnership.id)
    before = {"value": outcome.value, "unit": outcome.unit}
    after = {
        "value": outcome.value if correction.value is None else correction.value,
        "unit": correction.unit or outcome.unit,
    }
    observation = ObservationIn(
        municipality_number=outcome.municipality_number,
        kpi_code=outcome.kpi_code,
        data_point=outcome.data_point,
        year=outcome.year,
        value=after["value"],
        unit=after["unit"],
        source=outcome_source(partnership.id),
        synthetic=False,
    )
    _one_measurement(session, observation, store=False)
    if after == before:
        return outcome
    stored = _series(session, observation).get(observation.year)
    pilots_observation = stored if stored is not None and stored.source == observation.source else None
    rebased = []
    if pilots_observation is not None:
        _one_measurement(session, observation, store=True)
        rebased = _follow_baselines(session, outcome, was=outcome.value, now=observation.value)
    outcome.value, outcome.unit = observation.value, observation.unit
    audit.record_event(
        session,
        actor=actor,
        action="partnership_outcome_corrected",
        subject_kind="partnership",
        subject_id=partnership.id,
        detail={
            "outcome_id": outcome.id,
            "from": before,
            "to": after,
            "note": correction.note,
            "observation_id": pilots_observation.id if pilots_observation is not None else None,
            "baseline_of_outcome_ids": rebased,
        },
    )
    session.commit()
    return outcome


def _follow_baselines(session: Session, outcome: PartnershipOutcome, *, was: float, now: float) -> list[int]:
    """Later outcomes whose 'before' was the corrected value get the corrected one; their ids."""
    later = repository.outcomes_measured_after(
        session,
        municipality_number=outcome.municipality_number,
        kpi_code=outcome.kpi_code,
        data_point=outcome.data_point,
        baseline_year=outcome.year,
    )
    rebased = [item for item in later if item.baseline_value == was]
    for item in rebased:
        item.baseline_value = now
    return [item.id for item in rebased]


def outcomes_of_solution(
    *, session: Session, solution_id: int, caller: Principal
) -> list[SolutionOutcomeRead]:
    """The solution's measured pilot results, oldest first: its evidence from practice. Who recorded
    each is for staff and admins only; a solution the caller may not see is a 404."""
    solutions_service.get_visible(session=session, solution_id=solution_id, caller=caller)
    outcomes = repository.outcomes_of_solution(session, solution_id)
    kpis = kpis_repository.kpis_by_code(session, {outcome.kpi_code for outcome in outcomes})
    names = repository.municipality_names(session, {outcome.municipality_number for outcome in outcomes})
    evidence = []
    for outcome in outcomes:
        kpi = kpis[outcome.kpi_code]
        change = None if outcome.baseline_value is None else round(outcome.value - outcome.baseline_value, 6)
        evidence.append(
            SolutionOutcomeRead(
                id=outcome.id,
                partnership_id=outcome.partnership_id,
                solution_id=outcome.solution_id,
                municipality_number=outcome.municipality_number,
                kpi_code=outcome.kpi_code,
                data_point=outcome.data_point,
                year=outcome.year,
                value=outcome.value,
                unit=outcome.unit,
                baseline_year=outcome.baseline_year,
                baseline_value=outcome.baseline_value,
                recorded_by=outcome.recorded_by if caller.sees_everything else None,
                recorded_at=outcome.recorded_at,
                municipality_name=names.get(outcome.municipality_number, outcome.municipality_number),
                kpi_name_en=kpi.name_en,
                kpi_name_no=kpi.name_no,
                direction=direction_for(kpi.direction, kpi.direction_note, outcome.data_point),
                change=change,
                partnership_status=outcome.partnership.status,
            )
        )
    return evidence
