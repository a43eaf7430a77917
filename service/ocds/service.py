"""What the OCDS publication shows whom: needs' releases to anyone (a need holds nothing private once its
contact person is left out), pilot partnerships' releases to programme staff, as partnerships are."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from service.access import Principal
from service.errors import FieldError, FieldErrors, ForbiddenError, NotFoundError
from service.models import NeedRelease, Partnership
from service.moments import as_utc
from service.ocds import repository
from service.ocds.need_releases import need_release
from service.ocds.partnership_releases import (
    PUBLISHED_PARTNERSHIP_STATUSES,
    PartnershipFacts,
    partnership_release,
)
from service.ocds.publication import Publication


@dataclass(frozen=True)
class ReleasePage:
    releases: list[dict[str, Any]]
    total: int


def _need_releases(
    session: Session, rows: list[NeedRelease], publication: Publication
) -> list[dict[str, Any]]:
    firsts = repository.first_release_ids(session, [row.need_id for row in rows])
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
    since, until = as_utc(since), as_utc(until)
    if since is not None and until is not None and since >= until:
        problem = f"'until' ({until.isoformat()}) must be later than 'since' ({since.isoformat()})."
        raise FieldErrors([FieldError(("until",), problem, source="query")])
    rows, total = repository.need_releases(session, since=since, until=until, offset=offset, limit=limit)
    return ReleasePage(_need_releases(session, rows, publication), total)


def releases_of_need(*, session: Session, publication: Publication, need_id: int) -> list[dict[str, Any]]:
    """One need's releases, oldest first; 404 for a need that does not exist or was never published."""
    rows = repository.releases_of_need(session, need_id)
    if not rows:
        raise NotFoundError("Need", need_id)
    return _need_releases(session, rows, publication)


def _ensure_staff(caller: Principal) -> None:
    if not caller.sees_everything:
        raise ForbiddenError("Partnerships, and so their releases, are shown to programme staff only.")


def _facts(session: Session, partnership: Partnership) -> PartnershipFacts:
    needs = repository.need_municipalities(session, partnership.need_ids)
    numbers = {number for number in needs.values() if number is not None}
    if partnership.lead_municipality_number:
        numbers.add(partnership.lead_municipality_number)
    return PartnershipFacts(
        partnership=partnership,
        municipalities=repository.municipalities(session, numbers),
        chosen=repository.published_solutions_with_suppliers(session, partnership.solution_ids),
        need_ids=sorted(needs),
    )


def partnership_releases(
    *, session: Session, caller: Principal, publication: Publication, offset: int, limit: int
) -> ReleasePage:
    """The releases of the partnerships that reached pilot, by when they reached their present status."""
    _ensure_staff(caller)
    partnerships, total = repository.published_partnerships(
        session, statuses=PUBLISHED_PARTNERSHIP_STATUSES, offset=offset, limit=limit
    )
    releases = [partnership_release(_facts(session, item), publication=publication) for item in partnerships]
    return ReleasePage(releases, total)


def releases_of_partnership(
    *, session: Session, caller: Principal, publication: Publication, partnership_id: int
) -> list[dict[str, Any]]:
    """A partnership's release; 404 for one that has not reached pilot (nothing is published of it)."""
    _ensure_staff(caller)
    partnership = repository.get_partnership(session, partnership_id)
    if partnership is None or partnership.status not in PUBLISHED_PARTNERSHIP_STATUSES:
        raise NotFoundError("Partnership", partnership_id)
    return [partnership_release(_facts(session, partnership), publication=publication)]
