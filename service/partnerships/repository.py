"""All SQL about partnerships and their outcomes."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from service.audit.service import CONTACT_VERDICTS
from service.models import Feedback, Municipality, Partnership, PartnershipOutcome


def get_partnership(session: Session, partnership_id: int) -> Partnership | None:
    return session.get(Partnership, partnership_id)


def list_partnerships(
    session: Session, *, offset: int, limit: int, status: str | None = None
) -> tuple[Sequence[Partnership], int]:
    statement = select(Partnership)
    if status:
        statement = statement.where(Partnership.status == status)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = session.scalars(statement.order_by(Partnership.id).offset(offset).limit(limit)).all()
    return items, total


def all_partnerships(session: Session, *, status: str | None = None) -> Sequence[Partnership]:
    statement = select(Partnership)
    if status:
        statement = statement.where(Partnership.status == status)
    return session.scalars(statement.order_by(Partnership.id)).all()


def change_status(
    session: Session, *, partnership_id: int, from_status: str, to_status: str, at: datetime
) -> bool:
    """Move the status only if it is still `from_status`: of two requests racing, one wins, one is refused."""
    statement = (
        update(Partnership)
        .where(Partnership.id == partnership_id, Partnership.status == from_status)
        .values(status=to_status, status_changed_at=at, updated_at=at)
    )
    result = cast(CursorResult[tuple[()]], session.execute(statement))
    return result.rowcount == 1


def suppliers_contacted(session: Session, need_ids: Iterable[int]) -> bool:
    """Whether an officer recorded a supplier contacted (or piloted) about any of the needs."""
    wanted = list(set(need_ids))
    if not wanted:
        return False
    statement = select(Feedback.id).where(
        Feedback.need_id.in_(wanted), Feedback.verdict.in_(sorted(CONTACT_VERDICTS))
    )
    return session.scalars(statement.limit(1)).first() is not None


def municipality_names(session: Session, numbers: Iterable[str]) -> dict[str, str]:
    wanted = set(numbers)
    if not wanted:
        return {}
    statement = select(Municipality.number, Municipality.name).where(Municipality.number.in_(wanted))
    return {number: name for number, name in session.execute(statement)}


def outcomes_of_solution(session: Session, solution_id: int) -> Sequence[PartnershipOutcome]:
    statement = (
        select(PartnershipOutcome)
        .where(PartnershipOutcome.solution_id == solution_id)
        .order_by(PartnershipOutcome.id)
    )
    return session.scalars(statement).all()


def get_outcome(session: Session, outcome_id: int) -> PartnershipOutcome | None:
    return session.get(PartnershipOutcome, outcome_id)


def outcome_measured(
    session: Session,
    *,
    partnership_id: int,
    municipality_number: str,
    kpi_code: str,
    data_point: str,
    year: int,
) -> PartnershipOutcome | None:
    """The partnership's outcome for this (municipality, KPI, data point, year), if it has one."""
    statement = select(PartnershipOutcome).where(
        PartnershipOutcome.partnership_id == partnership_id,
        PartnershipOutcome.municipality_number == municipality_number,
        PartnershipOutcome.kpi_code == kpi_code,
        PartnershipOutcome.data_point == data_point,
        PartnershipOutcome.year == year,
    )
    return session.scalars(statement).first()


def outcomes_measured_after(
    session: Session, *, municipality_number: str, kpi_code: str, data_point: str, baseline_year: int
) -> Sequence[PartnershipOutcome]:
    """Outcomes of any partnership whose 'before' is the value of `baseline_year`."""
    statement = select(PartnershipOutcome).where(
        PartnershipOutcome.municipality_number == municipality_number,
        PartnershipOutcome.kpi_code == kpi_code,
        PartnershipOutcome.data_point == data_point,
        PartnershipOutcome.baseline_year == baseline_year,
    )
    return session.scalars(statement.order_by(PartnershipOutcome.id)).all()
