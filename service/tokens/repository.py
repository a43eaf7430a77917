"""All SQL about tokens."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.models import ApiToken


def add_token(session: Session, token: ApiToken) -> None:
    session.add(token)


def active_token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    return session.scalars(
        select(ApiToken).where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None))
    ).one_or_none()


def get_token(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def list_tokens(
    session: Session, *, include_revoked: bool, owner_user_id: int | None = None
) -> Sequence[ApiToken]:
    query = select(ApiToken).order_by(ApiToken.id)
    if owner_user_id is not None:
        query = query.where(ApiToken.owner_user_id == owner_user_id)
    if not include_revoked:
        query = query.where(ApiToken.revoked_at.is_(None))
    return session.scalars(query).all()
