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


def create(*, session: Session, token_in: TokenCreate, created_by: str) -> TokenCreated:
    check = ReferenceCheck(session)
    check_references(check, token_in.model_dump())
    check.raise_if_any()
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        **token_in.model_dump(), token_hash=hash_secret(secret), prefix=secret[:10], created_by=created_by
    )
    repository.add_token(session, token)
    session.flush()
    _record(session, token, actor=created_by, action="token.created")
    session.commit()
    return TokenCreated(**TokenRead.model_validate(token).model_dump(), token=secret)


def revoke(*, session: Session, token_id: int, revoked_by: str) -> ApiToken:
    """Revoke a token; revoking one already revoked keeps its first revocation time."""
    token = repository.get_token(session, token_id)
    if token is None:
        raise NotFoundError("Token", token_id)
    if token.revoked_at is None:
        token.revoked_at = utc_now()
        _record(session, token, actor=revoked_by, action="token.revoked")
        session.commit()
    return token


def _record(session: Session, token: ApiToken, *, actor: str, action: str) -> None:
    """The token's event in the caller's transaction: whose token, never its secret or hash."""
    detail = {"name": token.name, "role": token.role}
    record_event(
        session, actor=actor, action=action, subject_kind="token", subject_id=token.id, detail=detail
    )


def listed(*, session: Session, include_revoked: bool) -> Sequence[ApiToken]:
    return repository.list_tokens(session, include_revoked=include_revoked)


def find_active(*, session: Session, secret: str) -> ApiToken | None:
    return repository.active_token_by_hash(session, hash_secret(secret))
