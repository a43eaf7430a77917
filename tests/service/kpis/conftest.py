"""A real HTTP server on 127.0.0.1 that answers like SSB's PxWebApi v0 from recorded JSON-stat2 files."""

import asyncio
import json
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request, Response

from service.config import get_settings
from tests.support.databases import catalogue_database
from tests.support.servers import uvicorn_in_thread

FIXTURES = Path(__file__).parent / "fixtures"
TABLE_PATH = "/api/v0/no/table"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Overrides the shared template: KPI imports need the catalogues, not the encoder's centroids."""
    return catalogue_database(tmp_path_factory.mktemp("kpi-template") / "template.sqlite3")


def recorded(name: str) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return answer


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    media_type: str = "application/json; charset=utf-8"
    hang: bool = False


class RecordedSsb:
    """What the server answers: queued failures first, then the recorded dataset of the table."""

    def __init__(self) -> None:
        self.base_url = ""
        self.datasets: dict[str, bytes] = {}
        self.failures: deque[Answer] = deque()
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.generation = 0  # a hanging answer ends when the test that asked for it is over

    def reset(self) -> None:
        self.generation += 1
        self.datasets.clear()
        self.failures.clear()
        self.requests.clear()

    def serve(self, table: str, dataset: dict[str, Any] | bytes) -> None:
        self.datasets[table] = dataset if isinstance(dataset, bytes) else json.dumps(dataset).encode()

    def fail_next(self, *answers: Answer) -> None:
        self.failures.extend(answers)

    def answer(self, table: str) -> Answer:
        if self.failures:
            return self.failures.popleft()
        if table in self.datasets:
            return Answer(200, self.datasets[table])
        return Answer(404, b"Not Found", media_type="text/plain")


def ssb_app(ssb: RecordedSsb) -> FastAPI:
    app = FastAPI()

    @app.post(TABLE_PATH + "/{table}")
    async def table_data(table: str, request: Request) -> Response:
        ssb.requests.append((table, await request.json()))
        answer = ssb.answer(table)
        if answer.hang:
            generation, deadline = ssb.generation, time.monotonic() + 10
            while ssb.generation == generation and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
        return Response(answer.body, status_code=answer.status, media_type=answer.media_type)

    return app


@pytest.fixture(scope="session")
def ssb_server() -> Iterator[RecordedSsb]:
    ssb = RecordedSsb()
    server, thread, port = uvicorn_in_thread(ssb_app(ssb))
    ssb.base_url = f"http://127.0.0.1:{port}{TABLE_PATH}"
    yield ssb
    ssb.reset()
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def ssb(ssb_server: RecordedSsb) -> Iterator[RecordedSsb]:
    """The server, emptied before and after each test."""
    ssb_server.reset()
    yield ssb_server
    ssb_server.reset()


@pytest.fixture
def cli_environment(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`innomatch` commands in the test run against the test's database."""
    monkeypatch.setenv("INNOMATCH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INNOMATCH_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
