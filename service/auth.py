"""Who is calling over HTTP: bearer tokens, and the Annotated dependencies that let roles through.

What each role may see and change is in service/access.py, applied by the service functions.
"""

import hmac
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.access import ANONYMOUS, BOOTSTRAP_ADMIN, Principal, Role
from service.audit.writes import PRINCIPAL_SCOPE_KEY
from service.config import Settings
from service.deps import SessionDep
from service.tokens import service as tokens

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <token>`")


def resolve_admin_token(settings: Settings) -> str:
    """The configured admin token, or one generated once and kept in DATA_DIR/admin-token (mode 600)."""
    if settings.admin_token:
        return settings.admin_token
    token_file = settings.data_dir / "admin-token"
    if token_file.exists():
        return token_file.read_text(encoding="utf-8").strip()
    token_file.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    _write_private(token_file, token)
    return token


def _write_private(path: Path, content: str) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(content + "\n", encoding="utf-8")
    temporary.chmod(0o600)
    temporary.replace(path)


def identify(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller: anonymous without a token; 401 for a token that is unknown or revoked."""
    principal = _principal(request, session, credentials)
    request.scope[PRINCIPAL_SCOPE_KEY] = principal
    request.state.actor = principal.actor  # for the request log
    return principal


def _principal(
    request: Request, session: SessionDep, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    if credentials is None:
        return ANONYMOUS
    secret = credentials.credentials
    if credentials.scheme.lower() != "bearer" or not secret:
        raise _unauthenticated("Send the token as 'Authorization: Bearer <token>'.")
    if hmac.compare_digest(secret.encode(), request.app.state.admin_token.encode()):
        return BOOTSTRAP_ADMIN
    token = tokens.find_active(session=session, secret=secret)
    if token is None:
        raise _unauthenticated("This token is unknown or has been revoked.")
    role: Role = token.role  # type: ignore[assignment]  # the column only ever holds a Role
    return Principal(
        role=role,
        actor=f"{token.name} ({role} token {token.id})"[:100],
        municipality_number=token.municipality_number,
        supplier_id=token.supplier_id,
    )


def _unauthenticated(message: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED, detail=message, headers={"WWW-Authenticate": "Bearer"}
    )


def allow(*roles: Role) -> Callable[..., Principal]:
    """A dependency that lets only `roles` through: 401 without a token, 403 with another role's."""

    def dependency(principal: Annotated[Principal, Depends(identify)]) -> Principal:
        if principal.role == "anonymous":
            raise _unauthenticated("This needs a bearer token: send 'Authorization: Bearer <token>'.")
        if principal.role not in roles:
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=refusal(principal.role, roles))
        return principal

    return dependency


def refusal(role: str, allowed: tuple[Role, ...]) -> str:
    """Why a token of `role` is refused: "An officer token may not do this; it needs an admin or staff token."."""
    either = allowed[0] if len(allowed) == 1 else ", ".join(allowed[:-1]) + " or " + allowed[-1]
    return f"{with_article(role).capitalize()} token may not do this; it needs {with_article(either)} token."


def with_article(word: str) -> str:
    """`word` after "a" or "an", chosen by its first letter: right for the role names, which are said
    as they are spelt ("an admin", "an officer", "a staff", "a supplier")."""
    return f"{'an' if word[:1].lower() in {'a', 'e', 'i', 'o'} else 'a'} {word}"


CallerDep = Annotated[Principal, Depends(identify)]
AdminDep = Annotated[Principal, Depends(allow("admin"))]
StaffDep = Annotated[Principal, Depends(allow("admin", "staff"))]
NeedWriterDep = Annotated[Principal, Depends(allow("admin", "staff", "officer"))]
SolutionWriterDep = Annotated[Principal, Depends(allow("admin", "supplier"))]
SupplierEditorDep = Annotated[Principal, Depends(allow("admin", "staff", "supplier"))]
