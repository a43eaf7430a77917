"""A webhook receiver for the alert tests: a small app under uvicorn on a loopback port that keeps every
request it is sent (headers and raw body, at arrival) and answers each path as the test scripted it:
a status, after a pause. The signature is verified by the test, with the endpoint's secret."""

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi import FastAPI, Request, Response

from tests.support.servers import uvicorn_in_thread


@dataclass(frozen=True)
class Arrival:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.monotonic() when it arrived

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]


@dataclass(frozen=True)
class Answer:
    status: int = 204
    delay: float = 0.0  # seconds before answering


@dataclass
class Receiver:
    base_url: str
    arrivals: list[Arrival] = field(default_factory=list)
    answers: dict[str, list[Answer]] = field(default_factory=dict)  # per path, used up in order
    usual: Answer = Answer()  # once a path's scripted answers are used up, or for any other path

    def script(self, path: str, *answers: Answer) -> str:
        """Answer the next requests to `path` so; its URL."""
        self.answers[path] = list(answers)
        return self.base_url + path

    def at(self, path: str) -> list[Arrival]:
        return [arrival for arrival in self.arrivals if arrival.path == path]

    def next_answer(self, path: str) -> Answer:
        scripted = self.answers.get(path)
        return scripted.pop(0) if scripted else self.usual


def _app(receiver: Receiver) -> FastAPI:
    app = FastAPI()

    @app.post("/{path:path}")
    async def receive(path: str, request: Request) -> Response:
        receiver.arrivals.append(
            Arrival(f"/{path}", dict(request.headers), await request.body(), time.monotonic())
        )
        answer = receiver.next_answer(f"/{path}")
        await asyncio.sleep(answer.delay)
        return Response(status_code=answer.status)

    return app


@contextmanager
def webhook_receiver(*, port: int | None = None, usual: Answer = Answer()) -> Iterator[Receiver]:
    """A running receiver (on `port` when given, e.g. one a test first left closed), stopped after."""
    receiver = Receiver(base_url="", usual=usual)
    server, thread, bound = uvicorn_in_thread(_app(receiver), port=port)
    receiver.base_url = f"http://127.0.0.1:{bound}"
    try:
        yield receiver
    finally:
        server.should_exit = True
        thread.join(timeout=30)
