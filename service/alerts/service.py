"""Saved searches for their owners: who may save which search, and changing one.

A search belongs to a person (also when they call with their own token: the pages and the API show the
same list) or, for an integration, to a token that belongs to nobody. Only its owner and administrators
see or change it. A new search starts at the index change log's
latest entry, so it reports what is new from then on, not everything already there.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from service.access import Principal
from service.alerts import repository
from service.alerts.feed import FEED_ENTRIES, FEED_SECRET_PREFIX
from service.alerts.ownership import listed_owner, owned, owner_of
from service.alerts.schemas import SavedSearchFields, SavedSearchUpdate
from service.audit.service import record_event
from service.db import utc_now
from service.errors import FieldError, FieldErrors, ForbiddenError, NotFoundError
from service.indexing import Indexes
from service.indexing.repository import vector_to_bytes
from service.language import detect_language
from service.models import AlertMatch, SavedSearch
from service.needs import service as needs_service
from service.references import ReferenceCheck
from service.solutions import service as solutions_service
from service.tokens.service import hash_secret

STAFF_KINDS = frozenset({"new_needs", "new_buyer_groups"})


@dataclass(frozen=True)
class SearchSubject:
    """What the rule of who may save a search looks at: SavedSearchFields has it, and so has a search
    not yet named (may_save)."""

    kind: str
    solution_id: int | None = None
    need_id: int | None = None
    channels: Sequence[str] = ()


def _refuse(field: str, message: str) -> FieldErrors:
    return FieldErrors([FieldError((field,), message)])


def _ensure_may_save(
    session: Session, fields: SearchSubject | SavedSearchFields, caller: Principal, owner_user_id: int | None
) -> None:
    """Who may follow what: a supplier their own solutions, an officer their municipality's needs,
    programme staff and administrators anything; staff alone follow new needs and buyer groups. E-mail
    goes to the owning person: a token of nobody's has no address."""
    staff = caller.role in ("staff", "admin")
    if fields.kind in STAFF_KINDS and not staff:
        raise ForbiddenError(f"Only programme staff and administrators save {fields.kind} searches.")
    if fields.solution_id is not None:
        solution = solutions_service.get_visible(
            session=session, solution_id=fields.solution_id, caller=caller
        )
        if not staff and solution.supplier_id != caller.supplier_id:
            raise ForbiddenError("A supplier follows the matches of its own solutions only.")
    if fields.need_id is not None:
        need = needs_service.get(session=session, need_id=fields.need_id)
        if not staff and (caller.role != "officer" or need.municipality_number != caller.municipality_number):
            raise ForbiddenError("An officer follows the matches of their own municipality's needs only.")
    if "email" in fields.channels and owner_user_id is None:
        raise _refuse("channels", "an integration's token has no e-mail address: use webhook or feed")


def _check_filters(session: Session, filters: dict[str, Any]) -> None:
    check = ReferenceCheck(session).within("filters")
    check.municipality("municipality", filters.get("municipality"))
    check.counties("county", [filters["county"]] if filters.get("county") else None)
    check.kpi_codes("kpi", [filters["kpi"]] if filters.get("kpi") else None)
    check.raise_if_any()


def _stored_fields(fields: SavedSearchFields) -> dict[str, Any]:
    return {
        "name": fields.name,
        "kind": fields.kind,
        "solution_id": fields.solution_id,
        "need_id": fields.need_id,
        "query_text": fields.text,
        "filters": fields.filters.model_dump(exclude_none=True),
        "frequency": fields.frequency,
        "min_band": fields.min_band,
        "channels": list(fields.channels),
        "language": fields.language,
    }


def _encoded(indexes: Indexes, kind: str, text: str | None) -> dict[str, Any]:
    """A text search's query vector, as the ranker encodes an ad-hoc text (service/matching/ranker.py)."""
    if text is None:
        return {"query_vector": None, "query_model_id": None, "query_language": None}
    index = indexes.needs if kind == "needs_for_text" else indexes.solutions
    return {
        "query_vector": vector_to_bytes(index.encoder.encode_passages([text])[0]),
        "query_model_id": index.encoder.model_id,
        "query_language": detect_language(text),
    }


def create(
    *, session: Session, indexes: Indexes, fields: SavedSearchFields, caller: Principal
) -> SavedSearch:
    owner = owner_of(caller)
    _ensure_may_save(session, fields, caller, owner["owner_user_id"])
    stored = _stored_fields(fields)
    _check_filters(session, stored["filters"])
    search = SavedSearch(
        **owner,
        **stored,
        **_encoded(indexes, fields.kind, fields.text),
        paused_at=utc_now() if fields.paused else None,
        watermark=repository.last_change(session),
    )
    repository.add_search(session, search)
    session.flush()
    _record(session, search, caller, "saved_search.created")
    session.commit()
    return search


def get_own(*, session: Session, search_id: int, caller: Principal) -> SavedSearch:
    """The search if `caller` owns it or is an administrator; anyone else's is refused (403)."""
    return owned(repository.get_search(session, search_id), caller, kind="Saved search", record_id=search_id)


def listed(
    *, session: Session, caller: Principal, offset: int, limit: int
) -> tuple[Sequence[SavedSearch], int]:
    """The caller's own searches; an administrator's list holds everyone's."""
    return repository.list_searches(session, **listed_owner(caller), offset=offset, limit=limit)


def update(
    *, session: Session, indexes: Indexes, search_id: int, change: SavedSearchUpdate, caller: Principal
) -> SavedSearch:
    """Replace the fields given; the whole search is checked again as if it were new (an administrator
    changing someone's search with an administrator's rights)."""
    search = get_own(session=session, search_id=search_id, caller=caller)
    current = {
        "name": search.name,
        "kind": search.kind,
        "solution_id": search.solution_id,
        "need_id": search.need_id,
        "text": search.query_text,
        "filters": search.filters,
        "frequency": search.frequency,
        "min_band": search.min_band,
        "channels": search.channels,
        "language": search.language,
        "paused": search.paused,
    }
    given = change.model_dump(exclude_unset=True)
    try:
        fields = SavedSearchFields.model_validate(current | given)
    except ValidationError as error:  # the change leaves the search incomplete (a text search without text)
        raise FieldErrors(
            [
                FieldError(item["loc"], item["msg"].removeprefix("Value error, "), item["type"])
                for item in error.errors()
            ]
        ) from error
    _ensure_may_save(session, fields, caller, search.owner_user_id)
    stored = _stored_fields(fields)
    _check_filters(session, stored["filters"])
    if stored["query_text"] != search.query_text:
        stored |= _encoded(indexes, fields.kind, fields.text)
    for name, value in stored.items():
        setattr(search, name, value)
    if fields.paused != search.paused:
        search.paused_at = utc_now() if fields.paused else None
    _record(session, search, caller, "saved_search.updated", changed=sorted(given))
    session.commit()
    return search


def delete(*, session: Session, search_id: int, caller: Principal) -> None:
    search = get_own(session=session, search_id=search_id, caller=caller)
    _record(session, search, caller, "saved_search.deleted")
    repository.delete_search(session, search)
    session.commit()


def may_save(
    *,
    session: Session,
    caller: Principal,
    kind: str,
    solution_id: int | None = None,
    need_id: int | None = None,
) -> bool:
    """Whether `caller` may save a search of `kind` (on that solution or need): the rule `create` applies,
    asked before there is a name or a text, so that a page offers "Save this search" only to those."""
    if caller.user_id is None and caller.token_id is None:
        return False  # nobody to own it
    subject = SearchSubject(kind=kind, solution_id=solution_id, need_id=need_id)
    try:
        _ensure_may_save(session, subject, caller, caller.user_id)
    except (ForbiddenError, NotFoundError):
        return False
    return True


def subject_titles(
    *, session: Session, searches: Sequence[SavedSearch]
) -> tuple[dict[int, str], dict[int, str]]:
    """The titles of the needs and of the solutions that `searches` follow."""
    need_ids = [search.need_id for search in searches if search.need_id is not None]
    solution_ids = [search.solution_id for search in searches if search.solution_id is not None]
    return repository.need_titles(session, need_ids), repository.solution_titles(session, solution_ids)


def last_notification_sizes(*, session: Session, searches: Sequence[SavedSearch]) -> dict[int, int]:
    """How many records each search's last notification held (searches never notified are absent)."""
    return repository.last_notification_sizes(session, [search.id for search in searches])


def rotate_feed(*, session: Session, search_id: int, caller: Principal) -> str:
    """A new secret for the search's feed address, returned this once (only its hash is kept); the
    address with the old secret, if there was one, stops working at once."""
    search = get_own(session=session, search_id=search_id, caller=caller)
    secret = FEED_SECRET_PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    replaced = search.feed_secret_hash is not None
    search.feed_secret_hash = hash_secret(secret)
    _record(session, search, caller, "saved_search.feed_rotated", replaced_earlier=replaced)
    session.commit()
    return secret


def feed_of(*, session: Session, secret: str) -> tuple[SavedSearch, Sequence[AlertMatch]]:
    """The search whose feed address holds `secret`, and its latest matches, newest first. The secret
    is the caller's only credential: an unknown one is a search that does not exist (404). A paused
    search still shows what it found."""
    search = repository.search_by_feed_hash(session, hash_secret(secret))
    if search is None:
        raise NotFoundError("Feed", "at this address")
    return search, repository.latest_matches(session, search.id, limit=FEED_ENTRIES)


def _record(session: Session, search: SavedSearch, caller: Principal, action: str, **extra: Any) -> None:
    detail = {
        "name": search.name,
        "kind": search.kind,
        "owner_user_id": search.owner_user_id,
        "owner_token_id": search.owner_token_id,
        **extra,
    }
    record_event(
        session,
        actor=caller.actor,
        action=action,
        subject_kind="saved_search",
        subject_id=search.id,
        detail=detail,
    )
