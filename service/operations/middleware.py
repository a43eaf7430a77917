"""ASGI middleware: every HTTP request is counted, timed and logged once, without headers or bodies."""

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.audit.writes import PRINCIPAL_SCOPE_KEY
from service.operations.metrics import ServiceMetrics

log = logging.getLogger("innomatch.requests")
UNMATCHED_ROUTE = "<unmatched>"


class RequestObserver:
    """Labels by route template (`/api/v1/needs/{need_id}`), never the raw path, to bound cardinality."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        # What the client gets when an exception escapes: the server error middleware answers 500.
        status = 500

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        finally:
            seconds = time.perf_counter() - started
            method, route = scope["method"], route_template(scope)
            self.metrics.observe_request(method=method, route=route, status=status, seconds=seconds)
            fields: dict[str, Any] = {
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
            }
            actor = actor_of(scope)
            if actor is not None:
                fields["actor"] = actor
            log.info("%s %s %s %.1f ms", method, route, status, fields["duration_ms"], extra=fields)


def route_template(scope: Scope) -> str:
    """The path template of the route that handled the request (the router records it in the scope)."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


def actor_of(scope: Scope) -> str | None:
    """Who made the request: `request.state.actor` if set, else the name the auth layer gave the caller."""
    actor = scope.get("state", {}).get("actor")
    if actor is None:
        actor = getattr(scope.get(PRINCIPAL_SCOPE_KEY), "actor", None)
    # Only a plain name: an object's repr could carry the credential it was made from.
    return actor if isinstance(actor, str) else None
