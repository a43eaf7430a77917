"""The MCP server over stdio (`innomatch mcp`), for an assistant that starts it as a process: stdout
carries the protocol only, everything else (logs, a library's chatter) goes to stderr.

The caller is fixed when the process starts: anonymous, or the holder of the token in
INNOMATCH_MCP_TOKEN or a token file, resolved as the API resolves it. A token that is not valid stops
the start with the reason, rather than serving someone else's rights.
"""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import HTTPException

from service.access import ANONYMOUS, Principal
from service.auth import token_holder
from service.indexing import IndexFollower
from service.mcp.server import WriteRights, build_server
from service.mcp.tools import Tools, ToolServices

TOKEN_VARIABLE = "INNOMATCH_MCP_TOKEN"


class RefusedToken(Exception):
    """The token given to `innomatch mcp` is not one the service accepts."""


@contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """File descriptor 1 pointed at stderr meanwhile: what start-up prints, also from C code (an
    encoder's engine), must not reach the protocol's stream."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def given_token(token_file: Path | None) -> str | None:
    """The token of `--token-file`, else of INNOMATCH_MCP_TOKEN; None for an anonymous caller."""
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise RefusedToken(f"The token file {token_file} cannot be read: {error.strerror}.") from error
        if not token:
            raise RefusedToken(f"The token file {token_file} is empty.")
        return token
    return os.environ.get(TOKEN_VARIABLE, "").strip() or None


def caller_of_token(services: ToolServices, token: str | None, admin_token: str) -> Principal:
    if token is None:
        return ANONYMOUS
    with services.session_factory() as session:
        try:
            return token_holder(session, token, admin_token)
        except HTTPException as refusal:
            raise RefusedToken(f"The MCP server did not start: {refusal.detail}") from refusal


def serve_stdio(services: ToolServices, caller: Principal) -> None:
    """Serve `caller` the tools they may use until the client closes stdin."""
    tools = Tools(services, lambda _ctx: caller)
    server = build_server(tools, WriteRights.of(caller))
    interval = services.settings.follow_interval
    # Writes through the web app or another process reach this process's indexes through the follower.
    follower = IndexFollower(services.indexes, interval) if interval else None
    if follower:
        follower.start()
    try:
        server.run("stdio")
    finally:
        if follower:
            follower.stop()
