"""Who owns a saved search or a webhook endpoint, and who may see one: one rule for both.

A record belongs to a person (also when they call with their own token: the pages and the API show
one list) or, for an integration, to a token that belongs to nobody. Its owner and administrators see
and change it; anyone else is refused (403) with the reason.
"""

from typing import Protocol, TypeVar

from service.access import Principal
from service.errors import ForbiddenError, NotFoundError

NO_OWNER = (
    "Saved searches and webhooks belong to a person or to an integration's token; the bootstrap "
    "administrator token is neither. Sign in, or call with a token made for the person or the integration."
)


class Owned(Protocol):
    owner_user_id: int | None
    owner_token_id: int | None


OwnedT = TypeVar("OwnedT", bound=Owned)


def owner_of(caller: Principal) -> dict[str, int | None]:
    """The owner columns of a record `caller` makes."""
    if caller.user_id is not None:
        return {"owner_user_id": caller.user_id, "owner_token_id": None}
    if caller.token_id is not None:
        return {"owner_user_id": None, "owner_token_id": caller.token_id}
    raise ForbiddenError(NO_OWNER)


def listed_owner(caller: Principal) -> dict[str, int | None]:
    """Whose records a list shows `caller`: their own, or everyone's (all None) to an administrator."""
    return {"owner_user_id": None, "owner_token_id": None} if caller.role == "admin" else owner_of(caller)


def may_see(record: Owned, caller: Principal) -> bool:
    if caller.role == "admin":
        return True
    if caller.user_id is not None:
        return record.owner_user_id == caller.user_id
    return caller.token_id is not None and record.owner_token_id == caller.token_id


def owned(record: OwnedT | None, caller: Principal, *, kind: str, record_id: int) -> OwnedT:
    """`record` if `caller` may see it: 404 when there is none, 403 when it is someone else's."""
    if record is None:
        raise NotFoundError(kind, record_id)
    if not may_see(record, caller):
        raise ForbiddenError(
            f"{kind} {record_id} belongs to someone else: only they and administrators see it."
        )
    return record
