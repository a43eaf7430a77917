"""HTTP layer for saved searches: each caller their own, administrators everyone's."""

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from service.alerts import service
from service.alerts.feed import FEED_MEDIA_TYPE, atom_feed, feed_url
from service.alerts.schemas import FeedAddress, SavedSearchFields, SavedSearchRead, SavedSearchUpdate
from service.auth import SignedInCallerDep
from service.deps import IndexesDep, SessionDep, SettingsDep
from service.pagination import Page, PageDep
from service.text_fields import RecordId

router = APIRouter(prefix="/api/v1/saved-searches", tags=["alerts"])
feed_router = APIRouter(tags=["alerts"])


@router.post("", response_model=SavedSearchRead, status_code=status.HTTP_201_CREATED)
def create_saved_search(
    session: SessionDep, indexes: IndexesDep, caller: SignedInCallerDep, fields: SavedSearchFields
) -> SavedSearchRead:
    """Save a search: from now on, what newly matches it is reported by its channels."""
    return SavedSearchRead.model_validate(
        service.create(session=session, indexes=indexes, fields=fields, caller=caller)
    )


@router.get("", response_model=Page[SavedSearchRead])
def list_saved_searches(
    session: SessionDep, caller: SignedInCallerDep, page: PageDep
) -> Page[SavedSearchRead]:
    """The caller's saved searches, oldest first; an administrator sees everyone's."""
    items, total = service.listed(session=session, caller=caller, offset=page.offset, limit=page.limit)
    return Page(
        items=[SavedSearchRead.model_validate(item) for item in items],
        total=total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/{search_id}", response_model=SavedSearchRead)
def get_saved_search(session: SessionDep, caller: SignedInCallerDep, search_id: RecordId) -> SavedSearchRead:
    return SavedSearchRead.model_validate(
        service.get_own(session=session, search_id=search_id, caller=caller)
    )


@router.patch("/{search_id}", response_model=SavedSearchRead)
def update_saved_search(
    session: SessionDep,
    indexes: IndexesDep,
    caller: SignedInCallerDep,
    search_id: RecordId,
    change: SavedSearchUpdate,
) -> SavedSearchRead:
    """Change, pause (`{"paused": true}`) or resume a saved search; the fields given replace the stored ones."""
    return SavedSearchRead.model_validate(
        service.update(session=session, indexes=indexes, search_id=search_id, change=change, caller=caller)
    )


@router.delete("/{search_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_saved_search(session: SessionDep, caller: SignedInCallerDep, search_id: RecordId) -> Response:
    """Delete a saved search and what it remembers having sent."""
    service.delete(session=session, search_id=search_id, caller=caller)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{search_id}/feed", response_model=FeedAddress)
def rotate_feed(
    session: SessionDep, settings: SettingsDep, caller: SignedInCallerDep, search_id: RecordId
) -> FeedAddress:
    """Make the search's Atom feed address, or replace it: the answer holds it this once, and the
    address given before stops working at once."""
    secret = service.rotate_feed(session=session, search_id=search_id, caller=caller)
    return FeedAddress(feed_url=feed_url(settings.public_base_url, secret))


@feed_router.get(
    "/alerts/feed/{secret}.atom",
    response_class=Response,
    responses={200: {"content": {FEED_MEDIA_TYPE: {}}, "description": "An Atom 1.0 feed."}},
)
def saved_search_feed(
    session: SessionDep, settings: SettingsDep, secret: Annotated[str, Path(max_length=100)]
) -> Response:
    """A saved search's latest matches (newest first, at most 50) as Atom; the secret in the address
    is the only credential. A paused search's feed still shows what it found."""
    search, matches = service.feed_of(session=session, secret=secret)
    self_url = feed_url(settings.public_base_url, secret)
    return Response(
        atom_feed(search, matches, base_url=settings.public_base_url, self_url=self_url),
        media_type=FEED_MEDIA_TYPE,
        # The reader's own cache may keep it, a shared one may not; search engines leave it out.
        headers={"Cache-Control": "private, max-age=0", "X-Robots-Tag": "noindex"},
    )
