"""The MCP server over streamable HTTP at /mcp, inside the app.

Only a bearer token says who calls: a browser's session cookie grants nothing here, so a page of another
site that makes a browser post to /mcp acts as anonymous at most (and the SDK's checks of Host, Origin
and Content-Type refuse it first). Without a token a caller is anonymous and reads public data; an
unknown or revoked token is a 401, as on the API. Stateless: each request names its caller afresh, and
goes to the server holding exactly the tools that caller may use (service/mcp/server.py).
"""

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from urllib.parse import urlsplit

import anyio
from fastapi import FastAPI, HTTPException
from mcp.server.mcpserver import Context
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import Headers
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from service.access import ANONYMOUS, Principal
from service.auth import BEARER_FORM, token_holder
from service.mcp.server import WriteRights, build_server
from service.mcp.tools import Tools, ToolServices

MCP_PATH = "/mcp"
CALLER_KEY = "innomatch.mcp_caller"  # where the endpoint leaves a request's caller for its tools
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
EVERY_RIGHTS = tuple(WriteRights(needs, searches) for needs in (False, True) for searches in (False, True))


def transport_security(public_base_url: str) -> TransportSecuritySettings:
    """DNS-rebinding protection: the Host and Origin of the public address, or of the loopback."""
    address = urlsplit(public_base_url)
    hosts = [address.netloc, f"{address.hostname}:*", *(f"{host}:*" for host in LOOPBACK_HOSTS)]
    origins = [f"{address.scheme}://{address.netloc}", *(f"http://{host}:*" for host in LOOPBACK_HOSTS)]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins
    )


def caller_of_request(ctx: Context) -> Principal:
    """The caller the endpoint found for this call's HTTP request; anonymous when there is none."""
    request = ctx.request_context.request
    caller = request.scope.get(CALLER_KEY) if request is not None else None
    return caller if isinstance(caller, Principal) else ANONYMOUS


class McpEndpoint:
    """The ASGI app at /mcp: finds the caller, then lets the SDK's session manager of their tools answer."""

    def __init__(self, public_base_url: str) -> None:
        self.security = transport_security(public_base_url)
        self.managers: dict[WriteRights, StreamableHTTPSessionManager] = {}
        self.session_factory: sessionmaker[Session] | None = None
        self.admin_token = ""

    @asynccontextmanager
    async def serving(self, services: ToolServices, admin_token: str) -> AsyncIterator[None]:
        """The session managers running, for as long as the app serves (its lifespan)."""
        tools = Tools(services, caller_of_request)
        async with AsyncExitStack() as running:
            for rights in EVERY_RIGHTS:
                server = build_server(tools, rights)
                server.streamable_http_app(
                    stateless_http=True, json_response=True, transport_security=self.security
                )
                await running.enter_async_context(server.session_manager.run())
                self.managers[rights] = server.session_manager
            self.session_factory, self.admin_token = services.session_factory, admin_token
            try:
                yield
            finally:
                self.managers.clear()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.managers:
            await _answer(send, 503, "The MCP server is starting or stopping; try again shortly.")
            return
        authorization = Headers(scope=scope).get("authorization")
        try:
            caller = await anyio.to_thread.run_sync(self._caller, authorization)
        except HTTPException as refusal:
            await _answer(send, refusal.status_code, str(refusal.detail), refusal.headers)
            return
        scope[CALLER_KEY] = caller
        await self.managers[WriteRights.of(caller)].handle_request(scope, receive, send)

    def _caller(self, authorization: str | None) -> Principal:
        if authorization is None:
            return ANONYMOUS
        scheme, _, secret = authorization.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise HTTPException(status_code=401, detail=BEARER_FORM, headers={"WWW-Authenticate": "Bearer"})
        assert self.session_factory is not None
        with self.session_factory() as session:
            return token_holder(session, secret.strip(), self.admin_token)


async def _answer(send: Send, status: int, detail: str, headers: Mapping[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    raw_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw_headers += [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


def mount_mcp(app: FastAPI, public_base_url: str) -> McpEndpoint:
    """The endpoint at /mcp (GET, POST and DELETE, as streamable HTTP uses them); the app's lifespan
    runs it with `serving`."""
    endpoint = McpEndpoint(public_base_url)
    app.router.routes.append(
        Route(MCP_PATH, endpoint, methods=["GET", "POST", "DELETE"], include_in_schema=False)
    )
    return endpoint
