"""All SQL of the OCDS publication (what the recorders write is read by them: service.models).

Need releases and partnership releases are stored alike (an owner, when recorded, a snapshot), so one
set of queries serves both kinds."""

from collections.abc import Collection
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from service.models import NeedRelease, PartnershipRelease

StoredRelease = TypeVar("StoredRelease", NeedRelease, PartnershipRelease)


def _owner(kind: type[NeedRelease] | type[PartnershipRelease]) -> InstrumentedAttribute[int]:
    """The column naming the record a release is of."""
    return NeedRelease.need_id if kind is NeedRelease else PartnershipRelease.partnership_id


def recorded_between(
    session: Session,
    kind: type[StoredRelease],
    *,
    since: datetime | None,
    until: datetime | None,
    offset: int,
    limit: int,
) -> tuple[list[StoredRelease], int]:
    """A page of the releases of one kind recorded in [since, until), oldest first, and how many there are."""
    statement = select(kind)
    if since is not None:
        statement = statement.where(kind.recorded_at >= since)
    if until is not None:
        statement = statement.where(kind.recorded_at < until)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    page = session.scalars(statement.order_by(kind.recorded_at, kind.id).offset(offset).limit(limit)).all()
    return list(page), total


def releases_of(session: Session, kind: type[StoredRelease], owner_id: int) -> list[StoredRelease]:
    """One need's or partnership's releases, oldest first."""
    return list(session.scalars(select(kind).where(_owner(kind) == owner_id).order_by(kind.id)))


def first_release_ids(
    session: Session, kind: type[NeedRelease] | type[PartnershipRelease], owner_ids: Collection[int]
) -> set[int]:
    """The id of each owner's earliest release: the one tagged `planning` (a need) or tender and award
    (a partnership); the later ones are updates."""
    if not owner_ids:
        return set()
    owner = _owner(kind)
    return set(session.scalars(select(func.min(kind.id)).where(owner.in_(set(owner_ids))).group_by(owner)))
