"""HTTP layer for tokens: admins only."""

from fastapi import APIRouter, status

from service.auth import AdminDep
from service.deps import SessionDep
from service.errors import checks_references
from service.references import checks_of_record
from service.text_fields import RecordId
from service.tokens import service
from service.tokens.schemas import TokenCreate, TokenCreated, TokenRead

router = APIRouter(prefix="/api/v1/tokens", tags=["tokens"])


@router.post("", response_model=TokenCreated, status_code=status.HTTP_201_CREATED)
@checks_references(checks_of_record(TokenCreate, service.check_references))
def create_token(session: SessionDep, admin: AdminDep, token_in: TokenCreate) -> TokenCreated:
    """Create a token for one role; the secret is in this answer only and is stored as a hash."""
    return service.create(session=session, token_in=token_in, created_by=admin.actor)


@router.get("", response_model=list[TokenRead])
def list_tokens(session: SessionDep, _admin: AdminDep, include_revoked: bool = False) -> list[TokenRead]:
    """Tokens, without their secrets, oldest first."""
    return [
        TokenRead.model_validate(token)
        for token in service.listed(session=session, include_revoked=include_revoked)
    ]


@router.delete("/{token_id}", response_model=TokenRead)
def revoke_token(session: SessionDep, admin: AdminDep, token_id: RecordId) -> TokenRead:
    """Revoke a token: it stops working at once. Revoking twice keeps the first time."""
    return TokenRead.model_validate(
        service.revoke(session=session, token_id=token_id, revoked_by=admin.actor)
    )
