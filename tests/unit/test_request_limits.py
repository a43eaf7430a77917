"""The size limit's reading of Content-Length, called as ASGI without a server."""

import asyncio

from starlette.types import Message

from service.request_limits import RequestLimits


async def _accept(_scope: object, _receive: object, send: object) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
    await send({"type": "http.response.body", "body": b""})  # type: ignore[operator]


def _status_for(content_length: bytes) -> int:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "headers": [(b"content-length", content_length)]}
    asyncio.run(RequestLimits(_accept, max_bytes=10)(scope, receive, send))
    return int(sent[0]["status"])


def test_a_declared_length_over_the_limit_is_refused_before_the_body() -> None:
    assert _status_for(b"11") == 413


def test_a_content_length_of_other_digits_is_no_number_and_no_crash() -> None:
    # Headers are Latin-1: b"\xb2" is "²", which str.isdigit() takes and int() does not.
    assert _status_for("²".encode("latin-1")) == 200
