"""Officers' verdicts on a need's matches; they change that need's very next ranking.

`not_useful` takes a solution out of the need's results; `useful`, `contacted` and `piloted` lift it.
Across needs, every verdict feeds a prior on the solution (see features.feedback_prior). Both weights
are chosen, not fitted: the evaluation set has no feedback to fit them on.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.access import Principal, ensure_municipality
from service.audit.service import record_supplier_contact
from service.matching.features import POSITIVE_VERDICTS
from service.models import Feedback
from service.needs import service as needs_service
from service.solutions import service as solutions_service
from service.text_fields import RecordId

Verdict = Literal["useful", "not_useful", "contacted", "piloted"]


class FeedbackCreate(BaseModel):
    solution_id: RecordId
    verdict: Verdict


class FeedbackRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    need_id: int
    solution_id: int
    verdict: Verdict
    given_by: str
    created_at: datetime


def record(*, session: Session, need_id: int, feedback_in: FeedbackCreate, caller: Principal) -> Feedback:
    """An officer gives feedback on the needs of its own municipality."""
    need = needs_service.get(session=session, need_id=need_id)
    ensure_municipality(caller, need.municipality_number)
    solutions_service.get(session=session, solution_id=feedback_in.solution_id)
    feedback = Feedback(
        need_id=need_id,
        solution_id=feedback_in.solution_id,
        verdict=feedback_in.verdict,
        given_by=caller.actor,
    )
    session.add(feedback)
    record_supplier_contact(session, feedback)  # equal-treatment audit trail, same transaction
    session.commit()
    return feedback


def history(*, session: Session, need_id: int, caller: Principal) -> Sequence[Feedback]:
    """For staff, admins and the officers of the need's municipality."""
    ensure_municipality(caller, needs_service.get(session=session, need_id=need_id).municipality_number)
    return session.scalars(select(Feedback).where(Feedback.need_id == need_id).order_by(Feedback.id)).all()


def latest_verdicts(session: Session, need_id: int) -> dict[int, str]:
    """The latest verdict per solution: a later verdict replaces an earlier one."""
    statement = (
        select(Feedback.solution_id, Feedback.verdict)
        .where(Feedback.need_id == need_id)
        .order_by(Feedback.id)
    )
    return {solution_id: verdict for solution_id, verdict in session.execute(statement)}


def verdict_counts(
    session: Session, solution_ids: Sequence[int], *, excluding_need: int | None
) -> dict[int, tuple[int, int]]:
    """(positive, not_useful) latest verdicts per solution over every need but `excluding_need`."""
    statement = (
        select(Feedback.need_id, Feedback.solution_id, Feedback.verdict)
        .where(Feedback.solution_id.in_(solution_ids))
        .order_by(Feedback.id)
    )
    latest = {(need_id, solution_id): verdict for need_id, solution_id, verdict in session.execute(statement)}
    counts: dict[int, tuple[int, int]] = {}
    for (need_id, solution_id), verdict in latest.items():
        if need_id == excluding_need:
            continue
        positive, negative = counts.get(solution_id, (0, 0))
        if verdict in POSITIVE_VERDICTS:
            positive += 1
        elif verdict == "not_useful":
            negative += 1
        counts[solution_id] = (positive, negative)
    return counts
