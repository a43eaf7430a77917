"""The outcome loop: a pilot's measured KPI value becomes a KPI observation (so the municipality's gap
view follows it) and evidence on the solution piloted, in one transaction with its audit event."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.access import Principal
from service.audit import service as audit
from service.errors import ConflictError, FieldError, NotFoundError, UncheckedRequest
from service.kpis import repository as kpis_repository
from service.kpis.bands import direction_for
from service.kpis.schemas import ObservationIn
from service.kpis.service import observation_errors, stage_observations
from service.models import KpiObservation, Partnership, PartnershipOutcome
from service.needs.repository import needs_by_id
from service.partnerships import repository
from service.partnerships import service as partnerships_service
from service.partnerships.lifecycle import OUTCOME_STATUSES
from service.partnerships.schemas import OutcomeCorrection, OutcomeCreate, SolutionOutcomeRead
from service.reasons import Reason
from service.references import ReferenceCheck
from service.solutions import service as solutions_service
from service.well_formed import well_formed, well_formed_id


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


def _check_member(check: ReferenceCheck, partnership: Partnership, number: str | None) -> None:
    members = _municipalities_of(check.session, partnership)
    if number is not None and number not in members:
        listed = ", ".join(sorted(members)) or "none"
        check.add(
            ("municipality_number",),
            f"municipality {number} is not part of partnership {partnership.id} (its municipalities: {listed})",
            Reason("not_a_member", {"number": number, "members": listed}),
        )


def _check_candidate(check: ReferenceCheck, partnership: Partnership, solution_id: int | None) -> None:
    candidates = partnership.solution_ids
    listed = ", ".join(map(str, candidates))
    if solution_id is None and len(candidates) > 1:
        check.add(
            ("solution_id",),
            f"say which candidate was piloted: one of {listed}",
            Reason("which_candidate", {"candidates": listed}),
        )
    elif solution_id is not None and solution_id not in candidates:
        check.add(
            ("solution_id",),
            f"solution {solution_id} is not a candidate of partnership {partnership.id} "
            f"(candidates: {listed or 'none'})",
            Reason("not_a_candidate", {"id": solution_id, "candidates": listed}),
        )


def _check_measurement(check: ReferenceCheck, fields: Mapping[str, Any]) -> None:
    """The KPI code, and the value and unit against the KPI's unit, of the fields given."""
    for error in observation_errors(check.session, [fields], location="outcome"):
        # Named as a row of an import, (outcome, 0, field); here there is one row: name the field alone.
        check.add(error.location[2:], error.message, error.reason)


def check_outcome(check: ReferenceCheck, fields: Mapping[str, Any], partnership: Partnership | None) -> None:
    """What an outcome refers to: a municipality of the partnership, one of its candidates, a known KPI
    whose unit the value fits. Without its partnership (unknown), only the KPI and the unit."""
    if partnership is not None:
        _check_member(check, partnership, fields.get("municipality_number"))
        if "solution_id" in fields:  # left out when malformed; None when not sent
            _check_candidate(check, partnership, fields["solution_id"])
    # The membership check names a municipality outside the partnership, an unknown number among them.
    _check_measurement(
        check, {name: value for name, value in fields.items() if name != "municipality_number"}
    )


def check_correction(check: ReferenceCheck, fields: Mapping[str, Any], outcome: PartnershipOutcome) -> None:
    """A corrected value and unit against the outcome's KPI; a field not sent (or malformed) stays as stored."""
    value, unit = fields.get("value"), fields.get("unit")
    _check_measurement(
        check,
        {
            "kpi_code": outcome.kpi_code,
            "value": outcome.value if value is None else value,
            "unit": unit or outcome.unit,
        },
    )


def _outcome_of(session: Session, partnership: Partnership, outcome_id: int) -> PartnershipOutcome | None:
    outcome = repository.get_outcome(session, outcome_id)
    return outcome if outcome is not None and outcome.partnership_id == partnership.id else None


def _partnership_in_path(session: Session, request: UncheckedRequest) -> Partnership | None:
    partnership_id = well_formed_id(request.path.get("partnership_id"))
    return None if partnership_id is None else repository.get_partnership(session, partnership_id)


def unchecked_outcome_errors(session: Session, request: UncheckedRequest) -> list[FieldError]:
    """`check_outcome` of a request that failed its shape check, on its well-formed fields."""
    check = ReferenceCheck(session)
    check_outcome(check, well_formed(OutcomeCreate, request.body), _partnership_in_path(session, request))
    return check.errors


def unchecked_correction_errors(session: Session, request: UncheckedRequest) -> list[FieldError]:
    """`check_correction` of a request that failed its shape check, when its outcome is found."""
    partnership = _partnership_in_path(session, request)
    outcome_id = well_formed_id(request.path.get("outcome_id"))
    outcome = (
        None if partnership is None or outcome_id is None else _outcome_of(session, partnership, outcome_id)
    )
    check = ReferenceCheck(session)
    if outcome is not None:
        check_correction(check, well_formed(OutcomeCorrection, request.body), outcome)
    return check.errors


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


def _measured_facts(observation: ObservationIn) -> dict[str, str | int | None]:
    return {
        "kpi": observation.kpi_code,
        "data_point": observation.data_point,
        "municipality": observation.municipality_number,
        "year": observation.year,
    }


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
            f"value with PATCH /api/v1/partnerships/{partnership_id}/outcomes/{recorded.id}.",
            Reason("outcome_recorded", {**_measured_facts(observation), "outcome": recorded.id}),
        )
    same_year = _series(session, observation).get(observation.year)
    if same_year is not None and same_year.source != observation.source:
        # Never overwrite a measurement from elsewhere.
        raise ConflictError(
            f"{_measured(observation)} is already observed ({same_year.value:g} {same_year.unit}, source: "
            f"{same_year.source}); a pilot outcome does not replace another source's value. Record the "
            "year the pilot's value was measured.",
            Reason(
                "observed_elsewhere",
                {
                    **_measured_facts(observation),
                    "value": same_year.value,
                    "unit": same_year.unit,
                    "source": same_year.source,
                },
            ),
        )


def record_outcome(
    *, session: Session, partnership_id: int, outcome_in: OutcomeCreate, actor: str
) -> PartnershipOutcome:
    """Every wrong field at once (422) before the partnership's state: not yet in pilot, or a value
    already recorded for the year (409)."""
    partnership = partnerships_service.get(session=session, partnership_id=partnership_id)
    check = ReferenceCheck(session)
    check_outcome(check, outcome_in.model_dump(), partnership)
    check.raise_if_any()
    if partnership.status not in OUTCOME_STATUSES:
        raise ConflictError(
            f"Outcomes are measured after a pilot: partnership {partnership.id} is '{partnership.status}'. "
            "Move it to 'pilot' first.",
            Reason("not_in_pilot", {"status": partnership.status}),
        )
    # The check has refused a missing choice among several candidates: this is the one piloted, if any.
    solution_id = outcome_in.solution_id or next(iter(partnership.solution_ids), None)
    observation = ObservationIn(
        municipality_number=outcome_in.municipality_number,
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
    stage_observations(session=session, observations=[observation], location="outcome")
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
    outcome = _outcome_of(session, partnership, outcome_id)
    if outcome is None:
        raise NotFoundError(f"Outcome {outcome_id} of partnership", partnership.id)
    check = ReferenceCheck(session)
    check_correction(check, correction.model_dump(), outcome)
    check.raise_if_any()
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
    if after == before:
        return outcome
    stored = _series(session, observation).get(observation.year)
    pilots_observation = stored if stored is not None and stored.source == observation.source else None
    rebased = []
    if pilots_observation is not None:
        stage_observations(session=session, observations=[observation], location="outcome")
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
