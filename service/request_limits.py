"""An ASGI middleware that refuses request bodies that are too large or are JSON but not UTF-8.

Pure ASGI (not BaseHTTPMiddleware) so that the body is counted as it streams and never buffered here.
A body declared too large by Content-Length is refused before it is read; a streamed (chunked) one is
refused as soon as its running count passes the limit. The application reads a body before any write,
so a refused request has changed nothing.
"""

import codecs
import json
from email.message import Message as MimeMessage

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.identifiers import is_ascii_number


class _Refused(Exception):
    """Raised into the application's `receive` so that it stops reading the body."""


def _readable_size(size: int) -> str:
    return f"{size / 2**20:.1f} MiB" if size >= 2**20 else f"{size / 2**10:.1f} KiB"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    mime = MimeMessage()
    mime["content-type"] = content_type
    subtype = mime.get_content_subtype()
    return mime.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


async def _answer(send: Send, status: int, content: object) -> None:
    body = json.dumps(content).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        # The rest of the body may still be on its way: the connection is not reused.
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _too_large_detail(max_bytes: int) -> dict[str, str]:
    return {
        "detail": f"The request body is larger than {_readable_size(max_bytes)} ({max_bytes} bytes), "
        "the most this service accepts. Send fewer records per request."
    }


def _not_utf8_detail(error: UnicodeDecodeError, offset: int) -> dict[str, object]:
    """`offset`: where in the body `error.object` starts."""
    # The shape of FastAPI's own answer to malformed JSON, so that clients read one format.
    position = offset + error.start
    byte = error.object[error.start : error.start + 1].hex()
    return {
        "detail": [
            {
                "loc": ["body", position],
                "msg": f"The body is not valid UTF-8: byte 0x{byte} at position {position}. "
                "JSON must be sent encoded as UTF-8.",
                "type": "json_invalid",
            }
        ]
    }


class RequestLimits:
    """Refuse bodies over `max_bytes` with 413, and JSON bodies that are not UTF-8 with 422."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and is_ascii_number(declared.strip()) and int(declared) > self.max_bytes:
            await _answer(send, 413, _too_large_detail(self.max_bytes))
            return
        decoder = (
            codecs.getincrementaldecoder("utf-8")() if _is_json(_header(scope, b"content-type")) else None
        )
        received = 0
        refusal: tuple[int, object] | None = None
        started = False

        async def counted_receive() -> Message:
            nonlocal received, refusal
            message = await receive()
            if message["type"] != "http.request" or refusal is not None:
                return message
            chunk: bytes = message.get("body", b"")
            offset, received = received, received + len(chunk)
            if received > self.max_bytes:
                refusal = (413, _too_large_detail(self.max_bytes))
            elif decoder is not None:
                pending = len(decoder.getstate()[0])  # a character split across chunks
                try:
                    decoder.decode(chunk, final=not message.get("more_body", False))
                except UnicodeDecodeError as error:
                    refusal = (422, _not_utf8_detail(error, offset - pending))
            if refusal is not None:
                raise _Refused
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refusal is not None:
                return  # the application's answer to a body it could not read is replaced below
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if refusal is None:
                raise
        if refusal is not None and not started:
            await _answer(send, *refusal)
