"""All SQL of the OCDS publication."""

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.models import Municipality, Need, NeedRelease, Partnership, Solution, Supplier


def need_releases(
    session: Session, *, since: datetime | None, until: datetime | None, offset: int, limit: int
) -> tuple[list[NeedRelease], int]:
    """A page of the stored need releases recorded in [since, until), oldest first, and how many there are."""
    statement = select(NeedRelease)
    if since is not None:
        statement = statement.where(NeedRelease.recorded_at >= since)
    if until is not None:
        statement = statement.where(NeedRelease.recorded_at < until)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    page = session.scalars(
        statement.order_by(NeedRelease.recorded_at, NeedRelease.id).offset(offset).limit(limit)
    ).all()
    return list(page), total


def releases_of_need(session: Session, need_id: int) -> list[NeedRelease]:
    return list(
        session.scalars(select(NeedRelease).where(NeedRelease.need_id == need_id).order_by(NeedRelease.id))
    )


def first_release_ids(session: Session, need_ids: Collection[int]) -> set[int]:
    """The id of each need's earliest release: the one tagged `planning`, the later ones `planningUpdate`."""
    if not need_ids:
        return set()
    return set(
        session.scalars(
            select(func.min(NeedRelease.id))
            .where(NeedRelease.need_id.in_(set(need_ids)))
            .group_by(NeedRelease.need_id)
        )
    )


def published_partnerships(
    session: Session, *, statuses: Collection[str], offset: int, limit: int
) -> tuple[list[Partnership], int]:
    statement = select(Partnership).where(Partnership.status.in_(statuses))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    page = session.scalars(
        statement.order_by(Partnership.status_changed_at, Partnership.id).offset(offset).limit(limit)
    ).all()
    return list(page), total


def get_partnership(session: Session, partnership_id: int) -> Partnership | None:
    return session.get(Partnership, partnership_id)


def municipalities(session: Session, numbers: Collection[str]) -> list[Municipality]:
    if not numbers:
        return []
    return list(session.scalars(select(Municipality).where(Municipality.number.in_(set(numbers)))))


def published_solutions_with_suppliers(
    session: Session, solution_ids: Collection[int]
) -> list[tuple[Solution, Supplier | None]]:
    """The published solutions among `solution_ids` with their supplier organisations, by solution id."""
    if not solution_ids:
        return []
    rows = session.execute(
        select(Solution, Supplier)
        .outerjoin(Supplier, Supplier.id == Solution.supplier_id)
        .where(Solution.id.in_(set(solution_ids)), Solution.status == "published")
        .order_by(Solution.id)
    )
    return [(solution, supplier) for solution, supplier in rows]


def need_municipalities(session: Session, need_ids: Collection[int]) -> dict[int, str | None]:
    """The needs among `need_ids` that still exist, with their municipality numbers."""
    if not need_ids:
        return {}
    rows = session.execute(select(Need.id, Need.municipality_number).where(Need.id.in_(set(need_ids))))
    return {need_id: number for need_id, number in rows}
