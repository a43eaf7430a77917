"""All SQL of the OCDS publication (what the recorders write is read by them: service.models)."""

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.models import NeedRelease, PartnershipRelease


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


def partnership_releases(
    session: Session, *, since: datetime | None, until: datetime | None, offset: int, limit: int
) -> tuple[list[PartnershipRelease], int]:
    """A page of the stored partnership releases recorded in [since, until), oldest first, and how many."""
    statement = select(PartnershipRelease)
    if since is not None:
        statement = statement.where(PartnershipRelease.recorded_at >= since)
    if until is not None:
        statement = statement.where(PartnershipRelease.recorded_at < until)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    page = session.scalars(
        statement.order_by(PartnershipRelease.recorded_at, PartnershipRelease.id).offset(offset).limit(limit)
    ).all()
    return list(page), total


def releases_of_partnership(session: Session, partnership_id: int) -> list[PartnershipRelease]:
    return list(
        session.scalars(
            select(PartnershipRelease)
            .where(PartnershipRelease.partnership_id == partnership_id)
            .order_by(PartnershipRelease.id)
        )
    )


def first_partnership_release_ids(session: Session, partnership_ids: Collection[int]) -> set[int]:
    """The id of each partnership's earliest release: the one tagged tender and award."""
    if not partnership_ids:
        return set()
    return set(
        session.scalars(
            select(func.min(PartnershipRelease.id))
            .where(PartnershipRelease.partnership_id.in_(set(partnership_ids)))
            .group_by(PartnershipRelease.partnership_id)
        )
    )
