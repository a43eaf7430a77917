"""All SQL about saved searches."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.orm import Session

from service.models import (
    AlertDelivery,
    AlertMatch,
    IndexChange,
    Need,
    ProcurementNotice,
    SavedSearch,
    Solution,
    WebhookEndpoint,
)

ID_CHUNK = 5000  # ids in one IN (...): well under SQLite's limit on bound parameters


def add_search(session: Session, search: SavedSearch) -> None:
    session.add(search)


def get_search(session: Session, search_id: int) -> SavedSearch | None:
    return session.get(SavedSearch, search_id)


OwnedModel = TypeVar("OwnedModel", SavedSearch, WebhookEndpoint)
RowT = TypeVar("RowT", AlertMatch, AlertDelivery)


def _of_owner(
    model: type[OwnedModel], owner_user_id: int | None, owner_token_id: int | None
) -> Select[OwnedModel]:
    """The owner's records (a person's, else a token's); everyone's when neither is given."""
    statement = select(model)
    if owner_user_id is not None:
        return statement.where(model.owner_user_id == owner_user_id)
    if owner_token_id is not None:
        return statement.where(model.owner_token_id == owner_token_id)
    return statement


def _page_of_owner(
    session: Session,
    model: type[OwnedModel],
    *,
    owner_user_id: int | None,
    owner_token_id: int | None,
    offset: int,
    limit: int,
) -> tuple[Sequence[OwnedModel], int]:
    statement = _of_owner(model, owner_user_id, owner_token_id)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = session.scalars(statement.order_by(model.id).offset(offset).limit(limit)).all()
    return items, total


def list_searches(
    session: Session, *, owner_user_id: int | None, owner_token_id: int | None, offset: int, limit: int
) -> tuple[Sequence[SavedSearch], int]:
    return _page_of_owner(
        session,
        SavedSearch,
        owner_user_id=owner_user_id,
        owner_token_id=owner_token_id,
        offset=offset,
        limit=limit,
    )


def last_change(session: Session) -> int:
    """The index change log's latest sequence number: what a new search has already seen."""
    return session.scalar(select(func.max(IndexChange.seq))) or 0


def search_by_feed_hash(session: Session, secret_hash: str) -> SavedSearch | None:
    return session.scalar(select(SavedSearch).where(SavedSearch.feed_secret_hash == secret_hash))


def latest_matches(session: Session, search_id: int, *, limit: int) -> Sequence[AlertMatch]:
    """What the search found, newest first (the later of two found at once first)."""
    statement = (
        select(AlertMatch)
        .where(AlertMatch.saved_search_id == search_id)
        .order_by(AlertMatch.found_at.desc(), AlertMatch.id.desc())
        .limit(limit)
    )
    return session.scalars(statement).all()


def _searches_of_owner(owner_user_id: int | None, owner_token_id: int | None) -> Select[int]:
    return _of_owner(SavedSearch, owner_user_id, owner_token_id).with_only_columns(SavedSearch.id)


def _named_page(
    session: Session, statement: Select[RowT, str], *order: Any, offset: int, limit: int
) -> tuple[list[tuple[RowT, str]], int]:
    """A page of (row, its search's name) in `order`, and how many rows in all."""
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = session.execute(statement.order_by(*order).offset(offset).limit(limit)).all()
    return [(row, name) for row, name in rows], total


def owners_matches(
    session: Session, *, owner_user_id: int | None, owner_token_id: int | None, offset: int, limit: int
) -> tuple[list[tuple[AlertMatch, str]], int]:
    """What the owner's searches found, each with its search's name, newest first; and how many.
    The owner as `_of_owner` takes it: a person's, else a token's (everyone's when neither is given)."""
    statement = (
        select(AlertMatch, SavedSearch.name)
        .join(SavedSearch, AlertMatch.saved_search_id == SavedSearch.id)
        .where(SavedSearch.id.in_(_searches_of_owner(owner_user_id, owner_token_id)))
    )
    order = (AlertMatch.found_at.desc(), AlertMatch.id.desc())
    return _named_page(session, statement, *order, offset=offset, limit=limit)


def owners_deliveries(
    session: Session, *, owner_user_id: int | None, owner_token_id: int | None, offset: int, limit: int
) -> tuple[list[tuple[AlertDelivery, str]], int]:
    """The sendings of the owner's searches, each with its search's name, newest first; and how many."""
    statement = (
        select(AlertDelivery, SavedSearch.name)
        .join(SavedSearch, AlertDelivery.saved_search_id == SavedSearch.id)
        .where(SavedSearch.id.in_(_searches_of_owner(owner_user_id, owner_token_id)))
    )
    order = (AlertDelivery.created_at.desc(), AlertDelivery.id.desc())
    return _named_page(session, statement, *order, offset=offset, limit=limit)


def delete_search(session: Session, search: SavedSearch) -> None:
    session.delete(search)


def searches_behind(session: Session, horizon: int) -> Sequence[SavedSearch]:
    """The active searches that have not yet weighed the changes up to `horizon`."""
    statement = select(SavedSearch).where(SavedSearch.paused_at.is_(None), SavedSearch.watermark < horizon)
    return session.scalars(statement.order_by(SavedSearch.id)).all()


def changed_records(session: Session, *, after: int, upto: int) -> dict[str, dict[int, int]]:
    """Per kind, each record written (not deleted) in the change log after `after` up to `upto`, with
    the sequence number of its latest write."""
    statement = (
        select(IndexChange.owner_kind, IndexChange.owner_id, func.max(IndexChange.seq))
        .where(IndexChange.seq > after, IndexChange.seq <= upto, IndexChange.operation == "upsert")
        .group_by(IndexChange.owner_kind, IndexChange.owner_id)
    )
    changed: dict[str, dict[int, int]] = {}
    for kind, owner_id, seq in session.execute(statement):
        changed.setdefault(kind, {})[owner_id] = seq
    return changed


def found_keys(session: Session, search_ids: Collection[int]) -> set[tuple[int, str, str]]:
    """What these searches have already found: (search, record kind, record id)."""
    ids = sorted(search_ids)
    keys: set[tuple[int, str, str]] = set()
    for start in range(0, len(ids), ID_CHUNK):
        statement = select(AlertMatch.saved_search_id, AlertMatch.record_kind, AlertMatch.record_id).where(
            AlertMatch.saved_search_id.in_(ids[start : start + ID_CHUNK])
        )
        keys |= {(search_id, kind, record_id) for search_id, kind, record_id in session.execute(statement)}
    return keys


class FoundMatch(NamedTuple):
    """A match a round found, before it is stored: plain, since a round can find a great many."""

    saved_search_id: int
    record_kind: str
    record_id: str
    title: str
    score: float | None = None
    band: str | None = None
    reason_en: str = ""
    reason_no: str = ""


def add_matches(session: Session, matches: Sequence[FoundMatch]) -> None:
    """In one multi-row insert."""
    if matches:
        session.execute(insert(AlertMatch), [match._asdict() for match in matches])


def kpi_codes_of(session: Session, record_kind: str, ids: Sequence[int]) -> dict[int, set[str]]:
    model = Need if record_kind == "need" else Solution
    statement = select(model.id, model.kpi_codes).where(model.id.in_(ids))
    return {record_id: set(codes or ()) for record_id, codes in session.execute(statement)}


def query_kpi_codes(session: Session, searches: Sequence[SavedSearch]) -> dict[int, set[str]]:
    """The KPI codes chosen on each search's record (its need or solution); a text has none."""
    need_ids = [s.need_id for s in searches if s.need_id is not None]
    solution_ids = [s.solution_id for s in searches if s.solution_id is not None]
    needs = kpi_codes_of(session, "need", need_ids) if need_ids else {}
    solutions = kpi_codes_of(session, "solution", solution_ids) if solution_ids else {}
    return {
        s.id: needs.get(s.need_id or 0, set()) | solutions.get(s.solution_id or 0, set()) for s in searches
    }


def need_titles(session: Session, ids: Sequence[int]) -> dict[int, str]:
    return {
        need_id: title
        for need_id, title in session.execute(select(Need.id, Need.title).where(Need.id.in_(ids)))
    }


def solution_titles(session: Session, ids: Sequence[int]) -> dict[int, str]:
    return {
        solution_id: title
        for solution_id, title in session.execute(
            select(Solution.id, Solution.title).where(Solution.id.in_(ids))
        )
    }


def last_notification_sizes(session: Session, search_ids: Collection[int]) -> dict[int, int]:
    """How many records each search's last notification held: a delivery marks its matches notified at
    the very moment it records as the search's last_delivered_at."""
    statement = (
        select(AlertMatch.saved_search_id, func.count())
        .join(SavedSearch, SavedSearch.id == AlertMatch.saved_search_id)
        .where(
            AlertMatch.saved_search_id.in_(search_ids),
            AlertMatch.notified_at == SavedSearch.last_delivered_at,
        )
        .group_by(AlertMatch.saved_search_id)
    )
    return {search_id: count for search_id, count in session.execute(statement)}


@dataclass(frozen=True)
class FoundRecord:
    """A match as planning needs it: which, and of what."""

    id: int
    record_kind: str
    record_id: str


def unnotified_matches(session: Session) -> list[tuple[SavedSearch, list[FoundRecord]]]:
    """Each active search with matches no delivery has taken yet, its matches oldest first."""
    statement = (
        select(AlertMatch.saved_search_id, AlertMatch.id, AlertMatch.record_kind, AlertMatch.record_id)
        .join(SavedSearch, AlertMatch.saved_search_id == SavedSearch.id)
        .where(AlertMatch.notified_at.is_(None), SavedSearch.paused_at.is_(None))
        .order_by(AlertMatch.saved_search_id, AlertMatch.id)
    )
    grouped: dict[int, list[FoundRecord]] = {}
    for search_id, match_id, record_kind, record_id in session.execute(statement):
        grouped.setdefault(search_id, []).append(FoundRecord(match_id, record_kind, record_id))
    search_ids = list(grouped)
    by_id: dict[int, SavedSearch] = {}
    for start in range(0, len(search_ids), ID_CHUNK):
        chunk = search_ids[start : start + ID_CHUNK]
        by_id |= {s.id: s for s in session.scalars(select(SavedSearch).where(SavedSearch.id.in_(chunk)))}
    return [(by_id[search_id], found) for search_id, found in grouped.items()]


def mark_notified(session: Session, match_ids: Sequence[int], now: datetime) -> bool:
    """Mark these matches taken by a delivery, if none was taken already (by a concurrent round)."""
    marked = 0
    for start in range(0, len(match_ids), ID_CHUNK):
        marked += session.execute(
            update(AlertMatch)
            .where(AlertMatch.id.in_(match_ids[start : start + ID_CHUNK]), AlertMatch.notified_at.is_(None))
            .values(notified_at=now)
            .execution_options(synchronize_session=False)  # planning holds no match objects
        ).rowcount  # type: ignore[attr-defined]
    return marked == len(match_ids)


def add_delivery(session: Session, delivery: AlertDelivery) -> None:
    session.add(delivery)


def get_delivery(session: Session, delivery_id: int) -> AlertDelivery | None:
    return session.get(AlertDelivery, delivery_id)


def claim_delivery(session: Session, delivery: AlertDelivery, *, lease_until: datetime) -> bool:
    """Count an attempt of `delivery` as this process's, if no other process counted it first."""
    claimed = session.execute(
        update(AlertDelivery)
        .where(
            AlertDelivery.id == delivery.id,
            AlertDelivery.attempts == delivery.attempts,
            AlertDelivery.status == "pending",
        )
        .values(attempts=AlertDelivery.attempts + 1, next_attempt_at=lease_until)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.refresh(delivery)
    return True


def due_delivery_ids(session: Session, now: datetime) -> list[int]:
    statement = select(AlertDelivery.id).where(
        AlertDelivery.status == "pending", AlertDelivery.next_attempt_at <= now
    )
    return list(session.scalars(statement.order_by(AlertDelivery.id)))


def matches_by_id(session: Session, ids: Sequence[int]) -> list[AlertMatch]:
    return list(session.scalars(select(AlertMatch).where(AlertMatch.id.in_(ids)).order_by(AlertMatch.id)))


def add_endpoint(session: Session, endpoint: WebhookEndpoint) -> None:
    session.add(endpoint)


def get_endpoint(session: Session, endpoint_id: int) -> WebhookEndpoint | None:
    return session.get(WebhookEndpoint, endpoint_id)


def delete_endpoint(session: Session, endpoint: WebhookEndpoint) -> None:
    session.delete(endpoint)


def list_endpoints(
    session: Session, *, owner_user_id: int | None, owner_token_id: int | None, offset: int, limit: int
) -> tuple[Sequence[WebhookEndpoint], int]:
    return _page_of_owner(
        session,
        WebhookEndpoint,
        owner_user_id=owner_user_id,
        owner_token_id=owner_token_id,
        offset=offset,
        limit=limit,
    )


def active_endpoints_of(session: Session, search: SavedSearch) -> list[WebhookEndpoint]:
    """The webhook endpoints of the search's owner that still receive, oldest first."""
    statement = _of_owner(WebhookEndpoint, search.owner_user_id, search.owner_token_id)
    return list(
        session.scalars(statement.where(WebhookEndpoint.disabled_at.is_(None)).order_by(WebhookEndpoint.id))
    )


def notices_of_matches(session: Session, matches: Sequence[AlertMatch]) -> dict[str, ProcurementNotice]:
    """The procurement notices the matched needs carry, by the match's record id (the need's id)."""
    need_ids = [int(match.record_id) for match in matches if match.record_kind == "need"]
    if not need_ids:
        return {}
    statement = select(ProcurementNotice).where(ProcurementNotice.need_id.in_(need_ids))
    return {str(notice.need_id): notice for notice in session.scalars(statement)}
