"""HTTP layer for saved searches: each caller their own, administrators everyone's."""

from fastapi import APIRouter, Response, status

from service.alerts import service
from service.alerts.schemas import SavedSearchFields, SavedSearchRead, SavedSearchUpdate
from service.auth import SignedInCallerDep
from service.deps import IndexesDep, SessionDep
from service.pagination import Page, PageDep
from service.text_fields import RecordId

router = APIRouter(prefix="/api/v1/saved-searches", tags=["alerts"])


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
