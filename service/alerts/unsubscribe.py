"""The unsubscribe link of an alert e-mail: it pauses its one search, without signing in.

The link carries the search's id and an HMAC-SHA256 of it under the service's secret key
(INNOMATCH_SECRET_KEY, else DATA_DIR/secret-key, generated once), so that only the service can make one
and a changed id or signature is refused. It does not expire: an e-mail read months later still stops
what it is about. All it can do is pause (RFC 8058 one-click), which the owner undoes when signed in.
"""

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from service.alerts import repository
from service.audit.service import record_event
from service.config import Settings
from service.db import utc_now
from service.models import SavedSearch

SECRET_KEY_FILE = "secret-key"
UNSUBSCRIBE_PATH = "/alerts/unsubscribe/{token}"
UNSUBSCRIBE_ACTOR = "unsubscribe link"
_PURPOSE = b"innomatch.alerts.unsubscribe:"  # a key signing something else later signs other bytes


def resolve_secret_key(settings: Settings) -> bytes:
    """The configured secret key, or the one generated once in DATA_DIR/secret-key (mode 600). Two
    processes starting together agree: the first to link its file in place wins, the other reads it."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    key_file = settings.data_dir / SECRET_KEY_FILE
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        _create_once(key_file, secrets.token_urlsafe(32))
    return key_file.read_text(encoding="utf-8").strip().encode()


def _create_once(path: Path, content: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-key.")  # mode 600
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as written:
            written.write(content + "\n")
        with contextlib.suppress(FileExistsError):  # another process made it first: theirs is kept
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def _signature(secret_key: bytes, search_id: int) -> str:
    digest = hmac.new(secret_key, _PURPOSE + str(search_id).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def unsubscribe_token(secret_key: bytes, search_id: int) -> str:
    """`<id>.<signature>`, URL-safe."""
    return f"{search_id}.{_signature(secret_key, search_id)}"


def search_of_token(secret_key: bytes, token: str) -> int | None:
    """The search id a token was made for, or None for a token the service did not make."""
    number, _, signature = token.partition(".")
    if not number.isascii() or not number.isdigit() or len(number) > 18:
        return None
    search_id = int(number)
    if not hmac.compare_digest(signature.encode(), _signature(secret_key, search_id).encode()):
        return None
    return search_id


def unsubscribe_url(settings: Settings, search: SavedSearch) -> str:
    """The link of the search's e-mails, in their language (the page is Bokmål unless told English)."""
    token = unsubscribe_token(resolve_secret_key(settings), search.id)
    address = settings.public_base_url.rstrip("/") + UNSUBSCRIBE_PATH.format(token=token)
    return address + ("?lang=en" if search.language == "en" else "")


def find(session: Session, secret_key: bytes, token: str) -> SavedSearch | None:
    """The search a genuine token names, if it still exists."""
    search_id = search_of_token(secret_key, token)
    return None if search_id is None else repository.get_search(session, search_id)


def unsubscribe(session: Session, secret_key: bytes, token: str) -> SavedSearch | None:
    """Pause the search the token names (again is fine: it stays paused since the first time), with
    an audit event; None when the token is not genuine or the search is gone."""
    search = find(session, secret_key, token)
    if search is None:
        return None
    was_paused = search.paused
    if not was_paused:
        search.paused_at = utc_now()
    record_event(
        session,
        actor=UNSUBSCRIBE_ACTOR,
        action="saved_search.unsubscribed",
        subject_kind="saved_search",
        subject_id=search.id,
        detail={
            "name": search.name,
            "kind": search.kind,
            "owner_user_id": search.owner_user_id,
            "owner_token_id": search.owner_token_id,
            "already_paused": was_paused,
        },
    )
    session.commit()
    return search
