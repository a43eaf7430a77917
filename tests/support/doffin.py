"""A local imitation of Doffin's public API v2 (docs/notices.md, "Fetching from Doffin") over real sockets.

It serves the real eForms samples of tests/notices/doffin_samples/ under Doffin-style ids, answers
searches the way Doffin does (numHitsTotal, numHitsAccessible capped at `reachable`, a 400 past the
cap, 401 without the key), counts every request, and answers with scripted failures when told.
"""

import asyncio
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Query, Request, Response
from fastapi.responses import JSONResponse

from tests.support.servers import uvicorn_in_thread

SAMPLES = Path(__file__).parent.parent / "notices" / "doffin_samples"
SUBSCRIPTION_KEY = "test-doffin-key-5f1c0e"


@dataclass(frozen=True)
class PublishedNotice:
    notice_id: str
    issue_date: date
    cpv_codes: tuple[str, ...]
    sample: str  # a file of SAMPLES


@dataclass(frozen=True)
class Failure:
    status: int = 500
    retry_after: str | None = None
    delay: float = 0.0  # seconds before answering: longer than the client's timeout makes a timeout


@dataclass
class FakeDoffin:
    notices: list[PublishedNotice]
    reachable: int = 1000
    base_url: str = ""
    searches: list[dict[str, list[str]]] = field(default_factory=list)
    downloads: Counter[str] = field(default_factory=Counter)
    keys_seen: list[str | None] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)  # the next requests' answers, in order
    # Each page after the first starts this many hits early, repeating the page before's last ones:
    # Doffin's order within a day is not stable, so page boundaries are no clean cuts.
    overlap: int = 0

    def fail_next(self, *failures: Failure) -> None:
        self.failures.extend(failures)

    def matching(self, first: date, last: date, cpv: list[str]) -> list[PublishedNotice]:
        def fits(notice: PublishedNotice) -> bool:
            # Doffin's cpvCode matches the code's subtree: 45000000 matches 45233141.
            return not cpv or any(
                code.startswith(wanted.rstrip("0")) for wanted in cpv for code in notice.cpv_codes
            )

        # Newest first, as Doffin's default sort.
        chosen = [n for n in self.notices if first <= n.issue_date <= last and fits(n)]
        return sorted(chosen, key=lambda n: (n.issue_date, n.notice_id), reverse=True)


def doffin_app(doffin: FakeDoffin) -> FastAPI:
    app = FastAPI()

    @app.middleware("http")
    async def scripted(request: Request, call_next):  # type: ignore[no-untyped-def]
        doffin.keys_seen.append(request.headers.get("Ocp-Apim-Subscription-Key"))
        if doffin.failures:
            failure = doffin.failures.pop(0)
            await asyncio.sleep(failure.delay)  # longer than the client's timeout: it gives up first
            headers = {"Retry-After": failure.retry_after} if failure.retry_after is not None else {}
            return JSONResponse(
                {"statusCode": failure.status, "message": "scripted failure"}, failure.status, headers
            )
        if request.headers.get("Ocp-Apim-Subscription-Key") != SUBSCRIPTION_KEY:
            return JSONResponse(
                {"statusCode": 401, "message": "Access denied due to invalid subscription key."}, 401
            )
        return await call_next(request)

    @app.get("/public/v2/search")
    def search(
        request: Request,
        # Doffin's own parameter names.
        issueDateFrom: date,
        issueDateTo: date,
        numHitsPerPage: int = 100,
        page: Annotated[int, Query(ge=1)] = 1,
        cpvCode: Annotated[list[str] | None, Query()] = None,
    ) -> JSONResponse:
        doffin.searches.append({key: request.query_params.getlist(key) for key in request.query_params})
        if page * numHitsPerPage > doffin.reachable:
            reason = f"Unable to access more than the top {doffin.reachable} hits, please lower either the page or numHitsPerPage parameters."
            return JSONResponse({"reason": reason}, 400)
        hits = doffin.matching(issueDateFrom, issueDateTo, cpvCode or [])
        start = max(0, (page - 1) * numHitsPerPage - doffin.overlap)
        shown = hits[start : page * numHitsPerPage]
        return JSONResponse(
            {
                "numHitsTotal": len(hits),
                "numHitsAccessible": min(len(hits), doffin.reachable),
                "hits": [
                    {
                        "id": n.notice_id,
                        "issueDate": f"{n.issue_date.isoformat()}T09:00:00Z",
                        "publicationDate": n.issue_date.isoformat(),
                        "cpvCodes": list(n.cpv_codes),
                    }
                    for n in shown
                ],
            }
        )

    @app.get("/public/v2/download/{notice_id}")
    def download(notice_id: str) -> Response:
        doffin.downloads[notice_id] += 1
        for notice in doffin.notices:
            if notice.notice_id == notice_id:
                return Response((SAMPLES / notice.sample).read_bytes(), media_type="application/octet-stream")
        return JSONResponse({"statusCode": 404, "message": "Resource not found"}, 404)

    return app


@contextmanager
def running_doffin(doffin: FakeDoffin) -> Iterator[FakeDoffin]:
    """The imitation served on a free loopback port; `doffin.base_url` is its API root."""
    server, thread, port = uvicorn_in_thread(doffin_app(doffin))
    doffin.base_url = f"http://127.0.0.1:{port}/public/v2/"
    try:
        yield doffin
    finally:
        server.should_exit = True
        thread.join(timeout=30)
