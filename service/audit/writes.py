"""Every accepted write is in the audit trail with who made it and when.

An ASGI middleware rather than a line in each router, so that a write endpoint added later is audited
without anyone remembering to. The event is stored before the answer leaves: a client that saw its
write acknowledged can find it in the trail.
"""

import logging

import anyio
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.access import Principal
from service.audit.service import record_event

log = logging.getLogger("innomatch.audit")

# Where the authentication dependency leaves the caller of a request for this middleware.
PRINCIPAL_SCOPE_KEY = "innomatch.principal"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Searches, KPI suggestions and the needs-quality check (the API's and the need form's live panel) take
# their text as a POST body but change nothing.
READ_ONLY_PATHS = ("/api/v1/search/", "/api/v1/kpis/suggest", "/api/v1/needs/check", "/needs/check-panel")


class AuditWrites:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in WRITE_METHODS
            or scope["path"].startswith(READ_ONLY_PATHS)
        ):
            await self.app(scope, receive, send)
            return

        async def send_after_recording(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                principal = scope.get(PRINCIPAL_SCOPE_KEY)
                if isinstance(principal, Principal):
                    session_factory = scope["app"].state.session_factory
                    await anyio.to_thread.run_sync(
                        _record_write, session_factory, principal, scope, message["status"]
                    )
            await send(message)

        await self.app(scope, receive, send_after_recording)


def _record_write(
    session_factory: sessionmaker[Session], principal: Principal, scope: Scope, status: int
) -> None:
    route = scope.get("route")
    try:
        with session_factory() as session:
            record_event(
                session,
                actor=principal.actor,
                action="write",
                subject_kind="api",
                subject_id=f"{scope['method']} {scope['path']}"[:200],
                detail={"status": status, "route": getattr(route, "path", None), "role": principal.role},
            )
            session.commit()
    except Exception:  # the write itself is committed; say loudly that its audit line is missing
        log.exception("could not audit %s %s by %s", scope["method"], scope["path"], principal.actor)
