"""Webhook endpoints through the live API (SQLite and PostgreSQL): each owner registers, lists,
rotates and deletes their own (an administrator sees everyone's); the secret is shown when made and
rotated only; a URL the service must not call is refused (422) and nothing is stored."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from embeddings import Encoder
from service.alerts import webhooks
from service.alerts.webhook_urls import UnresolvedHost, check_webhook_url
from service.config import Settings
from service.db import make_engine
from service.errors import FieldError
from service.models import WebhookEndpoint
from tests.api.conftest import row_counts
from tests.support.records import audit_events, create, now_utc
from tests.support.servers import start_server

PUBLIC_URL = "https://1.1.1.1/hooks/innomatch"  # a public address literal: no name server needed
REFUSED_URLS = [
    ("https://127.0.0.1/hook", "loopback"),
    ("https://10.1.2.3/hook", "private"),
    ("https://169.254.169.254/latest/meta-data", "link-local"),
    ("https://[::1]:8443/hook", "loopback"),
    ("https://[::ffff:127.0.0.1]/hook", "loopback"),  # IPv4 mapped into IPv6
    ("https://localhost/hook", "loopback"),  # a name that resolves to loopback
    ("https://0.0.0.0/hook", "unspecified"),
    ("https://224.0.0.1/hook", "multicast"),
    ("http://1.1.1.1/hook", "https://"),
    ("ftp://1.1.1.1/hook", "https://"),
    ("https://user:secret@1.1.1.1/hook", "no user name"),
]


def _token(api: httpx.Client, role: str, **binding: object) -> str:
    made = api.post("/api/v1/tokens", json={"name": f"webhooks {role}", "role": role, **binding})
    assert made.status_code == 201, made.text
    secret: str = made.json()["token"]
    return secret


def _as(api: httpx.Client, token: str) -> httpx.Client:
    return httpx.Client(base_url=api.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def _stored(settings: Settings) -> dict[int, str]:
    """Each stored endpoint's secret, by id, as the database holds it."""
    engine = make_engine(settings.resolved_database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(WebhookEndpoint.id, WebhookEndpoint.secret)).all()
            return {row.id: row.secret for row in rows}
    finally:
        engine.dispose()


def test_owners_register_list_rotate_and_delete_their_own_and_see_the_secret_once(
    api: httpx.Client, settings: Settings
) -> None:
    since = now_utc()
    supplier = create(api, "suppliers", name="Lytt AS", organisation_number="974760673")
    with (
        _as(api, _token(api, "staff")) as staff,
        _as(api, _token(api, "supplier", supplier_id=supplier["id"])) as lytt,
    ):
        made = staff.post("/api/v1/webhooks", json={"url": PUBLIC_URL, "description": "CRM"})
        assert made.status_code == 201, made.text
        endpoint: dict[str, Any] = made.json()
        assert endpoint["url"] == PUBLIC_URL and endpoint["description"] == "CRM"
        assert endpoint["secret"].startswith("whsec_") and len(endpoint["secret"]) > 40
        assert endpoint["owner_token_id"] is not None and endpoint["owner_user_id"] is None
        assert _stored(settings)[endpoint["id"]] == endpoint["secret"], "stored: it signs every sending"

        listed = staff.get("/api/v1/webhooks")
        assert [item["id"] for item in listed.json()["items"]] == [endpoint["id"]]
        assert "secret" not in listed.json()["items"][0] and endpoint["secret"] not in listed.text

        assert lytt.get("/api/v1/webhooks").json() == {"items": [], "total": 0, "offset": 0, "limit": 50}
        assert lytt.post(f"/api/v1/webhooks/{endpoint['id']}/rotate").status_code == 403
        assert lytt.delete(f"/api/v1/webhooks/{endpoint['id']}").status_code == 403
        assert staff.delete("/api/v1/webhooks/999999").status_code == 404

        everyone = api.get("/api/v1/webhooks").json()
        assert [item["id"] for item in everyone["items"]] == [endpoint["id"]], "an administrator's list"
        refused_admin = api.post("/api/v1/webhooks", json={"url": PUBLIC_URL})
        assert refused_admin.status_code == 403 and "bootstrap" in refused_admin.json()["detail"]

        rotated = staff.post(f"/api/v1/webhooks/{endpoint['id']}/rotate")
        assert rotated.status_code == 200, rotated.text
        assert rotated.json()["secret"].startswith("whsec_")
        assert rotated.json()["secret"] != endpoint["secret"] and rotated.json()["rotated_at"] is not None
        assert rotated.json()["previous_secret_until"] > rotated.json()["rotated_at"], (
            "the old one signs a day"
        )
        assert _stored(settings)[endpoint["id"]] == rotated.json()["secret"]
        assert rotated.json()["secret"] not in staff.get("/api/v1/webhooks").text

        assert staff.delete(f"/api/v1/webhooks/{endpoint['id']}").status_code == 204
        assert staff.get("/api/v1/webhooks").json()["total"] == 0
        assert endpoint["id"] not in _stored(settings)

    events = [event for event in audit_events(api, since=since) if event["subject_kind"] == "webhook"]
    assert sorted(event["action"] for event in events) == [
        "webhook.created",
        "webhook.deleted",
        "webhook.rotated",
    ]
    assert all(event["detail"]["url"] == PUBLIC_URL for event in events)
    trail = str(events)
    assert endpoint["secret"] not in trail and rotated.json()["secret"] not in trail and "whsec_" not in trail


def test_urls_the_service_must_not_call_are_refused_and_nothing_is_stored(
    api: httpx.Client, settings: Settings
) -> None:
    since = now_utc()
    before = row_counts(settings.resolved_database_url)
    with _as(api, _token(api, "staff")) as staff:
        for url, reason in REFUSED_URLS:
            refused = staff.post("/api/v1/webhooks", json={"url": url})
            assert refused.status_code == 422, (url, refused.text)
            [problem] = refused.json()["detail"]
            assert problem["loc"] == ["body", "url"] and reason in problem["msg"], (url, problem)
        too_long = staff.post("/api/v1/webhooks", json={"url": PUBLIC_URL + "/" + "x" * 500})
        assert too_long.status_code == 422
    after = row_counts(settings.resolved_database_url)
    assert after["webhook_endpoint"] == before["webhook_endpoint"] == 0
    assert not [event for event in audit_events(api, since=since) if event["subject_kind"] == "webhook"]


@pytest.fixture
def private_allowed(settings: Settings, encoder: Encoder) -> Iterator[httpx.Client]:
    """A live server whose administrator allows private addresses (INNOMATCH_WEBHOOK_ALLOW_PRIVATE)."""
    server = start_server(settings.model_copy(update={"webhook_allow_private": True}), encoder)
    try:
        with server.client() as client:
            yield client
    finally:
        server.stop()


def test_private_addresses_and_http_are_allowed_where_the_administrator_allows_them(
    private_allowed: httpx.Client,
) -> None:
    with _as(private_allowed, _token(private_allowed, "staff")) as staff:
        for url in ("http://127.0.0.1:8080/hook", "https://localhost/hook", "https://10.1.2.3/hook"):
            made = staff.post("/api/v1/webhooks", json={"url": url})
            assert made.status_code == 201, (url, made.text)
        refused = staff.post("/api/v1/webhooks", json={"url": "ftp://127.0.0.1/hook"})
        assert refused.status_code == 422
        assert staff.get("/api/v1/webhooks").json()["total"] == 3


@pytest.mark.parametrize(
    "url",
    [
        "https://[::ffff:10.0.0.1]/",
        "https://100.64.0.1/",  # shared address space (carrier-grade NAT)
        "https://[fe80::1]/",
        "https://[fc00::1]/",
        "https://[ff02::1]/",
        "https://[::]/",
        "https://240.0.0.1/",
        "https://192.0.2.10/",  # documentation
    ],
)
def test_the_guard_refuses_every_kind_of_address_that_is_not_public(url: str) -> None:
    with pytest.raises(FieldError):
        check_webhook_url(url, allow_private=False)


def test_the_guard_lets_a_public_address_through_and_says_when_a_name_does_not_resolve() -> None:
    check_webhook_url("https://1.1.1.1:8443/a", allow_private=False)
    check_webhook_url("https://[2606:4700:4700::1111]/a", allow_private=False)
    with pytest.raises(UnresolvedHost, match="cannot be resolved"):
        check_webhook_url("https://no-such-host.invalid/hook", allow_private=False)


def test_an_endpoint_whose_receiver_is_gone_is_disabled_and_says_so(
    api: httpx.Client, settings: Settings
) -> None:
    """What the deliveries worker does on WebhookGone: the endpoint is listed disabled, and the audit
    trail says why."""
    with _as(api, _token(api, "staff")) as staff:
        made = staff.post("/api/v1/webhooks", json={"url": PUBLIC_URL}).json()
        engine = make_engine(settings.resolved_database_url)
        try:
            with Session(engine) as session:
                endpoint = session.get(WebhookEndpoint, made["id"])
                assert endpoint is not None
                webhooks.disable_gone(session, endpoint, answer=f"{PUBLIC_URL} answered 410 Gone")
                session.commit()
        finally:
            engine.dispose()
        [listed] = staff.get("/api/v1/webhooks").json()["items"]
        assert listed["disabled_at"] is not None
    trail = audit_events(api, subject_kind="webhook", subject_id=str(made["id"]))
    [event] = [event for event in trail if event["action"] == "webhook.disabled"]
    assert event["actor"] == "alert deliveries" and "410" in event["detail"]["answer"]
