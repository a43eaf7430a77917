"""Sending one delivery to a real receiver (a small app under uvicorn on a free loopback port): the
receiver verifies the signature with standardwebhooks' own Webhook.verify; what each answer means for
trying again; the URL checked again right before sending."""

import asyncio
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request, Response
from standardwebhooks import Webhook, WebhookVerificationError

from service.alerts.channels import DeliveryError
from service.alerts.webhook_channel import WebhookGone, post_webhook, signed_headers
from service.alerts.webhooks import new_secret
from service.models import WebhookEndpoint
from tests.support.servers import free_port, uvicorn_in_thread

SECRET = new_secret()
BODY = {"type": "saved_search.matches", "delivery_id": "msg_2Bq9", "matches": [{"title": "Vanntap – Bodø"}]}


@dataclass
class Receiver:
    base_url: str
    received: list[dict[str, Any]] = field(default_factory=list)  # what each verified request said


def _receiver_app(received: list[dict[str, Any]]) -> FastAPI:
    app = FastAPI()

    @app.post("/ok")
    async def ok(request: Request) -> Response:
        payload = await request.body()
        try:
            parsed = Webhook(SECRET).verify(payload, dict(request.headers))
        except WebhookVerificationError as error:
            return Response(str(error), status_code=401)
        received.append({"body": parsed, "headers": dict(request.headers)})
        return Response(status_code=204)

    @app.post("/answer/{status}")
    async def answer(status: int) -> Response:
        headers = {"location": "/ok"} if 300 <= status < 400 else None
        return Response(status_code=status, headers=headers)

    @app.post("/slow")
    async def slow() -> Response:
        await asyncio.sleep(3)
        return Response(status_code=204)

    return app


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    received: list[dict[str, Any]] = []
    server, thread, port = uvicorn_in_thread(_receiver_app(received))
    yield Receiver(f"http://127.0.0.1:{port}", received)
    server.should_exit = True
    thread.join(timeout=30)


def _endpoint(url: str, **extra: Any) -> WebhookEndpoint:
    return WebhookEndpoint(id=7, url=url, secret=SECRET, description="", **extra)


def _send(
    url: str,
    *,
    timeout: float = 5.0,
    allow_private: bool = True,
    verify: ssl.SSLContext | bool = True,
    **extra: Any,
) -> None:
    with httpx.Client(verify=verify) as client:
        post_webhook(
            client,
            _endpoint(url, **extra),
            delivery_id="msg_2Bq9",
            body=BODY,
            timeout=timeout,
            allow_private=allow_private,
        )


def _failure(url: str, **options: Any) -> DeliveryError:
    with pytest.raises(DeliveryError) as raised:
        _send(url, **options)
    return raised.value


def test_the_receiver_verifies_the_signature_with_standardwebhooks(receiver: Receiver) -> None:
    receiver.received.clear()
    _send(receiver.base_url + "/ok")
    [delivered] = receiver.received
    assert delivered["body"] == BODY
    headers = delivered["headers"]
    assert headers["webhook-id"] == "msg_2Bq9" and headers["content-type"] == "application/json"
    assert abs(int(headers["webhook-timestamp"]) - datetime.now(UTC).timestamp()) < 60
    assert headers["webhook-signature"].startswith("v1,")
    with pytest.raises(WebhookVerificationError):  # signed with this endpoint's secret, no other
        Webhook(new_secret()).verify(b"{}", headers)


def test_after_a_rotation_the_old_secret_signs_beside_the_new_until_its_time_is_up() -> None:
    old, new, payload = new_secret(), new_secret(), b'{"type": "saved_search.matches"}'
    now = datetime.now(UTC)
    overlapping = WebhookEndpoint(
        url="https://x.example",
        secret=new,
        previous_secret=old,
        previous_secret_until=now + timedelta(hours=1),
    )
    headers = signed_headers(overlapping, delivery_id="msg_1", payload=payload)
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):  # a receiver still on the old secret, and one already on the new
        assert Webhook(secret).verify(payload, headers) == {"type": "saved_search.matches"}
    overlapping.previous_secret_until = now - timedelta(seconds=1)
    headers = signed_headers(overlapping, delivery_id="msg_2", payload=payload)
    Webhook(new).verify(payload, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(payload, headers)


def test_a_host_name_is_sent_to_the_address_checked_with_its_name_as_host(receiver: Receiver) -> None:
    receiver.received.clear()
    port = receiver.base_url.rsplit(":", 1)[1]
    _send(f"http://localhost:{port}/ok")  # localhost may resolve to ::1 first: the next address serves
    [delivered] = receiver.received
    assert delivered["headers"]["host"] == f"localhost:{port}"


@pytest.mark.parametrize("status", [500, 503, 408, 429])
def test_a_server_error_or_asking_for_later_is_tried_again(receiver: Receiver, status: int) -> None:
    failure = _failure(f"{receiver.base_url}/answer/{status}")
    assert not failure.permanent and str(status) in failure.message


@pytest.mark.parametrize("status", [400, 401, 404, 307])
def test_another_refusal_or_a_redirect_is_permanent(receiver: Receiver, status: int) -> None:
    receiver.received.clear()
    failure = _failure(f"{receiver.base_url}/answer/{status}")
    assert failure.permanent and str(status) in failure.message
    assert receiver.received == [], "a redirect is not followed"


def test_gone_is_permanent_and_says_so(receiver: Receiver) -> None:
    failure = _failure(f"{receiver.base_url}/answer/410")
    assert isinstance(failure, WebhookGone) and failure.permanent


def test_a_receiver_slower_than_the_timeout_is_tried_again(receiver: Receiver) -> None:
    failure = _failure(f"{receiver.base_url}/slow", timeout=0.5)
    assert not failure.permanent and "Timeout" in failure.message


def test_a_receiver_that_is_down_is_tried_again() -> None:
    failure = _failure(f"http://127.0.0.1:{free_port()}/ok")
    assert not failure.permanent and "could not connect" in failure.message


def test_the_url_is_checked_again_before_sending(receiver: Receiver) -> None:
    receiver.received.clear()
    port = receiver.base_url.rsplit(":", 1)[1]
    for url in (f"https://127.0.0.1:{port}/ok", f"https://localhost:{port}/ok"):  # saved when allowed
        failure = _failure(url, allow_private=False)
        assert failure.permanent and "loopback" in failure.message
    assert "https://" in _failure(receiver.base_url + "/ok", allow_private=False).message
    assert receiver.received == []
    unresolved = _failure("https://no-such-host.invalid/hook", allow_private=False)
    assert not unresolved.permanent, "a name server that is down may be back later"


def test_a_disabled_endpoint_is_not_sent_to(receiver: Receiver) -> None:
    receiver.received.clear()
    failure = _failure(receiver.base_url + "/ok", disabled_at=datetime.now(UTC))
    assert failure.permanent and receiver.received == []


@pytest.fixture(scope="module")
def tls_receiver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Receiver, ssl.SSLContext]]:
    """The receiver over TLS with a certificate for the name localhost, and a context trusting it."""
    folder = tmp_path_factory.mktemp("webhook-tls")
    key, certificate = folder / "key.pem", folder / "certificate.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"),
            *("-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
    )
    received: list[dict[str, Any]] = []
    port = free_port()
    config = uvicorn.Config(
        _receiver_app(received),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ssl_keyfile=str(key),
        ssl_certfile=str(certificate),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the TLS receiver did not start"
        time.sleep(0.02)
    yield Receiver(f"https://localhost:{port}", received), ssl.create_default_context(cafile=str(certificate))
    server.should_exit = True
    thread.join(timeout=30)


def test_over_tls_the_certificate_is_checked_against_the_host_name_not_the_address(
    tls_receiver: tuple[Receiver, ssl.SSLContext],
) -> None:
    """The connection goes to the checked address, and TLS still names (and verifies) the host."""
    receiver, trusted = tls_receiver
    _send(receiver.base_url + "/ok", verify=trusted)
    [delivered] = receiver.received
    assert delivered["body"] == BODY and delivered["headers"]["host"] == receiver.base_url.split("//")[1]
    untrusted = _failure(receiver.base_url + "/ok", verify=True)  # a certificate nobody vouches for
    assert "could not connect" in untrusted.message or "SSL" in untrusted.message
