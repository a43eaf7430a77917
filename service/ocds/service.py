"""The OCDS publication, to anyone: needs' releases (a need holds nothing private once its contact person
is left out) and the releases of partnerships that reached pilot (an award is public, as award notices
are; their notes, people and our assessments are never in a release). docs/ocds.md says why."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from service.errors import NotFoundError
from service.models import NeedRelease, PartnershipRelease
from service.moments import checked_period
from service.ocds import repository
from service.ocds.need_releases import need_release
from service.ocds.partnership_releases import partnership_release
from service.ocds.publication import Publication


@dataclass(frozen=True)
class ReleasePage:
    releases: list[dict[str, Any]]
    total: int


def _need_releases(
    session: Session, rows: list[NeedRelease], publication: Publication
) -> list[dict[str, Any]]:
    firsts = repository.first_release_ids(session, NeedRelease, [row.need_id for row in rows])
    return [need_release(row, first=row.id in firsts, publication=publication) for row in rows]


def need_releases(
    *,
    session: Session,
    publication: Publication,
    since: datetime | None,
    until: datetime | None,
    offset: int,
    limit: int,
) -> ReleasePage:
    """Every need's releases recorded from `since` (inclusive) until `until` (exclusive), oldest first."""
    since, until = checked_period(since, until)
    rows, total = repository.recorded_between(
        session, NeedRelease, since=since, until=until, offset=offset, limit=limit
    )
    return ReleasePage(_need_releases(session, rows, publication), total)


def releases_of_need(*, session: Session, publication: Publication, need_id: int) -> list[dict[str, Any]]:
    """One need's releases, oldest first; 404 for a need that does not exist or was never published."""
    rows = repository.releases_of(session, NeedRelease, need_id)
    if not rows:
        raise NotFoundError("Need", need_id)
    return _need_releases(session, rows, publication)


def _partnership_releases(
    session: Session, rows: list[PartnershipRelease], publication: Publication
) -> list[dict[str, Any]]:
    owners = [row.partnership_id for row in rows]
    firsts = repository.first_release_ids(session, PartnershipRelease, owners)
    return [partnership_release(row, first=row.id in firsts, publication=publication) for row in rows]


def partnership_releases(
    *,
    session: Session,
    publication: Publication,
    since: datetime | None,
    until: datetime | None,
    offset: int,
    limit: int,
) -> ReleasePage:
    """Every release of the partnerships that reached pilot, recorded in [since, until), oldest first."""
    since, until = checked_period(since, until)
    rows, total = repository.recorded_between(
        session, PartnershipRelease, since=since, until=until, offset=offset, limit=limit
    )
    return ReleasePage(_partnership_releases(session, rows, publication), total)


def releases_of_partnership(
    *, session: Session, publication: Publication, partnership_id: int
) -> list[dict[str, Any]]:
    """A partnership's releases, oldest first; 404 for one never published (it has not reached pilot, or
    does not exist)."""
    rows = repository.releases_of(session, PartnershipRelease, partnership_id)
    if not rows:
        raise NotFoundError("Partnership", partnership_id)
    return _partnership_releases(session, rows, publication)
