"""Bearer tokens for writes. Issue 2 knows one role, admin; roles come later."""

import hmac
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.config import Settings

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


def require_writer(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The caller's identity for a write; 401 without a bearer token, 403 with a wrong one."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="This write needs a bearer token: send 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    expected: str = request.app.state.admin_token
    if not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="This token may not write here.")
    return "admin"


WriterDep = Annotated[str, Depends(require_writer)]


def identify_reader(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """Who reads, for the audit trail: 'anonymous' without a token; a wrong token is refused as for writes."""
    if credentials is None:
        return "anonymous"
    return require_writer(request, credentials)


ReaderDep = Annotated[str, Depends(identify_reader)]
