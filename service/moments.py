"""Moments in query strings (`since`, `until`): ISO 8601 only, read as UTC, for every endpoint that
filters by time."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Query
from pydantic import BeforeValidator

from service.errors import FieldError, FieldErrors


def _iso_8601(value: object) -> object:
    """Refuse a bare number, which pydantic would read as seconds since 1970: the schema says ISO 8601."""
    if isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit():
        raise ValueError("must be an ISO 8601 date or time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z")
    return value


Moment = Annotated[
    datetime | None,
    Query(description="ISO 8601; without a time zone, UTC. `since` is inclusive, `until` exclusive."),
    BeforeValidator(_iso_8601),
]


def as_utc(moment: datetime | None) -> datetime | None:
    """A moment without a zone is read as UTC, as every time Innomatch stores."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def checked_period(since: datetime | None, until: datetime | None) -> tuple[datetime | None, datetime | None]:
    """Both moments in UTC; a 422 on `until` when it is not later than `since`."""
    since, until = as_utc(since), as_utc(until)
    if since is not None and until is not None and since >= until:
        problem = f"'until' ({until.isoformat()}) must be later than 'since' ({since.isoformat()})."
        raise FieldErrors([FieldError(("until",), problem, source="query")])
    return since, until
