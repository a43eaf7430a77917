"""Who is calling over HTTP: a bearer token, or a person's session cookie; and the Annotated
dependencies that let roles through.

A signed-in person is the Principal a token of their role and binding would be: what each role may
see and change is in service/access.py, applied by the service functions, for both alike.
"""

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from service.access import ANONYMOUS, BOOTSTRAP_ADMIN, Principal, Role
from service.accounts import sessions
from service.accounts.browser_secrets import CSRF_HEADER, SESSION_COOKIE, csrf_token_for, same_token
from service.accounts.principals import principal_of
from service.accounts.sessions import SessionPolicy
from service.audit.writes import PRINCIPAL_SCOPE_KEY
from service.config import Settings
from service.db import utc_now
from service.deps import SessionDep
from service.tokens import service as tokens

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <token>`")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BEARER_FORM = "Send the token as 'Authorization: Bearer <token>'."
COOKIE_WITHOUT_CSRF = (
    "A request that changes data with the session cookie must send the page's CSRF token in the"
    f" {CSRF_HEADER} header; a program calling the API sends a bearer token instead."
)


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


@dataclass(frozen=True)
class SignedIn:
    """The person whose session cookie a request carries."""

    principal: Principal
    user_id: int
    name: str
    session_id: int
    csrf_token: str  # what the forms of their pages carry


def signed_in(request: Request, session: SessionDep) -> SignedIn | None:
    """The person signed in with this request's session cookie, or None (no cookie, or a session that
    has ended); kept on request.state for the pages' header."""
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return None
    policy = SessionPolicy.of(request.app.state.settings)
    active = sessions.find_active(session=session, secret=secret, policy=policy, now=utc_now())
    if active is None:
        return None
    user = active.user
    person = SignedIn(principal_of(user), user.id, user.name, active.session_id, csrf_token_for(secret))
    request.state.signed_in = person
    return person


def remember(request: Request, principal: Principal) -> None:
    """The caller, for the audit of writes and the request log."""
    request.scope[PRINCIPAL_SCOPE_KEY] = principal
    request.state.actor = principal.actor


def identify(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller: a token's holder, else the signed-in person, else anonymous; 401 for a token that is
    unknown or revoked, 403 for a change made with the session cookie but without the CSRF header."""
    principal = _principal(request, session, credentials)
    remember(request, principal)
    return principal


def _principal(
    request: Request, session: SessionDep, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    if credentials is None:
        person = signed_in(request, session)
        if person is None:
            return ANONYMOUS
        # A browser sends the cookie with a request any site makes it send; only a page of this site
        # knows the token. The pages' forms carry theirs in a field (service/web/forms.py).
        if request.method not in SAFE_METHODS and not same_token(
            request.headers.get(CSRF_HEADER), person.csrf_token
        ):
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail=COOKIE_WITHOUT_CSRF)
        return person.principal
    if credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise _unauthenticated(BEARER_FORM)
    return token_holder(session, credentials.credentials, request.app.state.admin_token)


def token_holder(session: Session, secret: str, admin_token: str) -> Principal:
    """The holder of the bearer token `secret`, for every entry point that takes one (the API, the MCP
    server); 401 for a token that is unknown or revoked, or whose holder has been disabled."""
    if hmac.compare_digest(secret.encode(), admin_token.encode()):
        return BOOTSTRAP_ADMIN
    token = tokens.find_active(session=session, secret=secret)
    if token is None:
        raise _unauthenticated("This token is unknown or has been revoked.")
    # One rule with the sessions (service/accounts/sessions.py is_open): a disabled person's own
    # tokens stop at once, even one that disabling did not revoke.
    if token.owner is not None and token.owner.disabled_at is not None:
        raise _unauthenticated("This token's holder has been disabled.")
    role: Role = token.role  # type: ignore[assignment]  # the column only ever holds a Role
    holder = f"{token.owner.name}, {token.name}" if token.owner else token.name  # a person's own token
    return Principal(
        role=role,
        actor=f"{holder} ({role} token {token.id})"[:100],
        municipality_number=token.municipality_number,
        supplier_id=token.supplier_id,
        user_id=token.owner_user_id,
        token_id=token.id,
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
SignedInCallerDep = Annotated[Principal, Depends(allow("admin", "staff", "officer", "supplier"))]
