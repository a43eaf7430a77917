"""All SQL about saved searches."""

from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from service.models import IndexChange, SavedSearch


def add_search(session: Session, search: SavedSearch) -> None:
    session.add(search)


def get_search(session: Session, search_id: int) -> SavedSearch | None:
    return session.get(SavedSearch, search_id)


def _owned(user_id: int | None, token_id: int | None) -> Select[SavedSearch]:
    statement = select(SavedSearch)
    if user_id is not None:
        return statement.where(SavedSearch.owner_user_id == user_id)
    if token_id is not None:
        return statement.where(SavedSearch.owner_token_id == token_id)
    return statement  # everyone's: an administrator's list


def list_searches(
    session: Session, *, user_id: int | None, token_id: int | None, offset: int, limit: int
) -> tuple[Sequence[SavedSearch], int]:
    statement = _owned(user_id, token_id)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = session.scalars(statement.order_by(SavedSearch.id).offset(offset).limit(limit)).all()
    return items, total


def last_change(session: Session) -> int:
    """The index change log's latest sequence number: what a new search has already seen."""
    return session.scalar(select(func.max(IndexChange.seq))) or 0


def delete_search(session: Session, search: SavedSearch) -> None:
    session.delete(search)
