"""Token logic: create (the secret is returned once), revoke, and find the token behind a secret."""

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from service.audit.service import record_event
from service.db import utc_now
from service.errors import NotFoundError
from service.models import ApiToken
from service.references import ReferenceCheck
from service.tokens import repository
from service.tokens.schemas import TokenCreate, TokenCreated, TokenRead

SECRET_PREFIX = "im_"  # marks Innomatch secrets, so secret scanners and people recognise a leaked one


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_references(check: ReferenceCheck, fields: Mapping[str, Any]) -> None:
    """What a token is bound to: an officer's municipality, a supplier's organisation."""
    check.municipality("municipality_number", fields.get("municipality_number"))
    check.supplier("supplier_id", fields.get("supplier_id"))


def create(
    *, session: Session, token_in: TokenCreate, created_by: str, owner_user_id: int | None = None
) -> TokenCreated:
    """A new token; with `owner_user_id`, a person's own (made on their profile page, theirs to revoke)."""
    check = ReferenceCheck(session)
    check_references(check, token_in.model_dump())
    check.raise_if_any()
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        **token_in.model_dump(),
        token_hash=hash_secret(secret),
        prefix=secret[:10],
        created_by=created_by,
        owner_user_id=owner_user_id,
    )
    repository.add_token(session, token)
    session.flush()
    _record(session, token, actor=created_by, action="token.created")
    session.commit()
    return TokenCreated(**TokenRead.model_validate(token).model_dump(), token=secret)


def revoke(*, session: Session, token_id: int, revoked_by: str, owner_user_id: int | None = None) -> ApiToken:
    """Revoke a token; revoking one already revoked keeps its first revocation time. With
    `owner_user_id`, only that person's own token: anyone else's is 404 to them."""
    token = repository.get_token(session, token_id)
    if token is None or (owner_user_id is not None and token.owner_user_id != owner_user_id):
        raise NotFoundError("Token", token_id)
    if token.revoked_at is None:
        token.revoked_at = utc_now()
        _record(session, token, actor=revoked_by, action="token.revoked")
        session.commit()
    return token


def revoke_all_of_owner(*, session: Session, owner_user_id: int, revoked_by: str) -> int:
    """Revoke a person's tokens in the caller's transaction (their account is disabled); how many."""
    tokens = repository.list_tokens(session, include_revoked=False, owner_user_id=owner_user_id)
    for token in tokens:
        token.revoked_at = utc_now()
        _record(session, token, actor=revoked_by, action="token.revoked")
    return len(tokens)


def _record(session: Session, token: ApiToken, *, actor: str, action: str) -> None:
    """The token's event in the caller's transaction: whose token, never its secret or hash."""
    detail = {"name": token.name, "role": token.role, "owner_user_id": token.owner_user_id}
    record_event(
        session, actor=actor, action=action, subject_kind="token", subject_id=token.id, detail=detail
    )


def listed(
    *, session: Session, include_revoked: bool, owner_user_id: int | None = None
) -> Sequence[ApiToken]:
    """Tokens oldest first; with `owner_user_id`, only that person's own."""
    return repository.list_tokens(session, include_revoked=include_revoked, owner_user_id=owner_user_id)


def find_active(*, session: Session, secret: str) -> ApiToken | None:
    return repository.active_token_by_hash(session, hash_secret(secret))
