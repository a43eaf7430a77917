"""The e-mail channel of alerts: the e-mail in both languages, sent through a real SMTP server (aiosmtpd
on a free port) or written to the outbox, and the one-click unsubscribe link over the live server."""

import email
import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from service.alerts.channels import DeliveryError
from service.alerts.mail import compose_alert_mail, outbox_messages, send_mail
from service.alerts.unsubscribe import resolve_secret_key, unsubscribe_token
from service.config import Settings
from service.models import AlertMatch, SavedSearch
from tests.api.conftest import row_counts
from tests.support.records import audit_events, now_utc
from tests.support.servers import free_port
from tests.support.smtp import REFUSED, Collecting

BASE = "https://innomatch.example"
UNSUBSCRIBE = "https://innomatch.example/alerts/unsubscribe/7.abc"


def _search(language: str = "nb", name: str = "Lekkasjer") -> SavedSearch:
    return SavedSearch(id=7, name=name, kind="needs_for_solution", language=language, channels=["email"])


def _matches() -> list[AlertMatch]:
    found = datetime(2026, 12, 6, 12, tzinfo=UTC)
    return [
        AlertMatch(
            id=1,
            record_kind="need",
            record_id="12",
            title="Finne lekkasjer <script>alert(1)</script>",
            score=0.61,
            band="moderate",
            reason_en="Both are about leaks in water pipes.",
            reason_no="Begge handler om lekkasjer i vannrør.",
            found_at=found,
        ),
        AlertMatch(
            id=2,
            record_kind="need",
            record_id="30",
            title="Vannmålere",
            score=0.83,
            band="strong",
            reason_en="Both measure water use.",
            reason_no="Begge måler vannforbruk.",
            found_at=found,
        ),
    ]


def _compose(language: str = "nb", delivery_id: str = "msg_2f8a") -> EmailMessage:
    return compose_alert_mail(
        _search(language),
        _matches(),
        to="kari@kommune.example",
        owner_name="Kari",
        base_url=BASE,
        delivery_id=delivery_id,
        unsubscribe_url=UNSUBSCRIBE,
    )


def _parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())  # type: ignore[attr-defined]


def test_the_email_says_the_matches_in_bokmal_best_first_with_its_unsubscribe_headers() -> None:
    message = _compose("nb")
    assert message["Subject"] == "2 nye behov for «Lekkasjer»"
    assert message["To"] == "kari@kommune.example"
    assert message["From"] == "Innomatch <varsler@innomatch.invalid>"
    assert message["Message-ID"] == "<msg_2f8a@innomatch.example>"
    assert message["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Content-Language"] == "nb"
    text, html = _parts(message)
    for part in (text, html):
        assert part.index("Vannmålere") < part.index("Finne lekkasjer")  # best first
        assert "Sterkt treff" in part and "Middels treff" in part
        assert "Begge måler vannforbruk." in part and "Both measure" not in part
        assert f"{BASE}/needs/30" in part and f"{BASE}/needs/12" in part
        assert UNSUBSCRIBE in part
        assert "fordi du har lagret søket «Lekkasjer»" in part
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Finne lekkasjer <script>alert(1)</script>" in text  # plain text is not HTML
    assert '<html lang="nb">' in html


def test_the_email_is_in_english_for_an_english_search_and_its_id_is_stable_across_retries() -> None:
    message = _compose("en")
    assert message["Subject"] == "2 new needs for “Lekkasjer”"
    assert message["Content-Language"] == "en"
    text, html = _parts(message)
    for part in (text, html):
        assert "Strong match" in part and "Both measure water use." in part
        assert "Begge måler" not in part
        assert "because you saved the search “Lekkasjer”" in part
    assert _compose("en")["Message-ID"] == message["Message-ID"]
    assert _compose("en", delivery_id="msg_other")["Message-ID"] != message["Message-ID"]
    one = compose_alert_mail(
        _search("nb"),
        _matches()[:1],
        to="kari@kommune.example",
        owner_name="Kari",
        base_url=BASE,
        delivery_id="msg_1",
        unsubscribe_url=UNSUBSCRIBE,
    )
    assert one["Subject"] == "1 nytt behov for «Lekkasjer»"


def _settings(tmp_path: Path, **given: Any) -> Settings:
    return Settings(data_dir=tmp_path / "data", seed="none", **given)


def test_an_email_sent_over_smtp_arrives_once_with_both_parts(
    tmp_path: Path, smtp_server: tuple[Collecting, int]
) -> None:
    handler, port = smtp_server
    send_mail(_settings(tmp_path, smtp_url=f"smtp://127.0.0.1:{port}"), _compose("nb"))
    assert len(handler.received) == 1
    arrived = email.message_from_bytes(handler.received[0], policy=email.policy.default)
    assert arrived["Message-ID"] == "<msg_2f8a@innomatch.example>"
    assert arrived["Subject"] == "2 nye behov for «Lekkasjer»"
    assert arrived["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = _parts(arrived)  # type: ignore[arg-type]
    assert "Vannmålere" in text and "&lt;script&gt;" in html
    assert not (tmp_path / "data" / "outbox").exists()


def _only_alice(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: object
) -> AuthResult:
    good = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"alice",
        b"s3cret/:@",
    )
    return AuthResult(success=good)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_smtp_credentials_come_from_the_url_or_the_settings(tmp_path: Path) -> None:
    handler = Collecting()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=_only_alice,
        auth_required=True,
        auth_require_tls=False,  # the test server has no certificate; a real one offers STARTTLS
    )
    controller.start()
    try:
        send_mail(_settings(tmp_path, smtp_url=f"smtp://alice:s3cret%2F%3A%40@127.0.0.1:{port}"), _compose())
        separate = {"smtp_user": "alice", "smtp_password": "s3cret/:@"}
        send_mail(_settings(tmp_path, smtp_url=f"smtp://127.0.0.1:{port}", **separate), _compose())
        assert len(handler.received) == 2
        with pytest.raises(DeliveryError) as wrong:
            send_mail(
                _settings(
                    tmp_path, smtp_url=f"smtp://127.0.0.1:{port}", smtp_user="alice", smtp_password="x"
                ),
                _compose(),
            )
        assert wrong.value.permanent is False  # the service's settings, which an operator fixes
        assert len(handler.received) == 2
    finally:
        controller.stop()


def test_a_refused_recipient_is_permanent_and_a_server_that_is_down_is_tried_again(
    tmp_path: Path, smtp_server: tuple[Collecting, int]
) -> None:
    handler, port = smtp_server
    message = _compose("nb")
    message.replace_header("To", REFUSED)
    with pytest.raises(DeliveryError) as refused:
        send_mail(_settings(tmp_path, smtp_url=f"smtp://127.0.0.1:{port}"), message)
    assert refused.value.permanent is True
    assert refused.value.message == "the SMTP server refused the recipient: 550 5.1.1 No such user"
    assert handler.received == []
    with pytest.raises(DeliveryError) as down:
        send_mail(_settings(tmp_path, smtp_url=f"smtp://127.0.0.1:{free_port()}", smtp_timeout=5), _compose())
    assert down.value.permanent is False


def test_without_smtp_the_email_is_one_file_in_the_outbox_also_when_retried(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    send_mail(settings, _compose("nb"))
    send_mail(settings, _compose("nb"))  # the same delivery again: overwrites
    send_mail(settings, _compose("en", delivery_id="msg_9c1d"))
    outbox = tmp_path / "data" / "outbox"
    assert sorted(path.name for path in outbox.iterdir()) == ["msg_2f8a.eml", "msg_9c1d.eml"]
    written = email.message_from_bytes((outbox / "msg_2f8a.eml").read_bytes(), policy=email.policy.default)
    assert written["Subject"] == "2 nye behov for «Lekkasjer»"
    entries = {entry.file.name: entry for entry in outbox_messages(settings)}
    assert entries["msg_9c1d.eml"].subject == "2 new needs for “Lekkasjer”"
    assert entries["msg_2f8a.eml"].to == "kari@kommune.example"
    assert entries["msg_2f8a.eml"].date is not None
    assert outbox_messages(_settings(tmp_path / "empty")) == []


def test_the_secret_key_is_made_once_privately_and_shared(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    key = resolve_secret_key(settings)
    assert resolve_secret_key(_settings(tmp_path)) == key
    assert (tmp_path / "data" / "secret-key").stat().st_mode & 0o777 == 0o600
    assert resolve_secret_key(_settings(tmp_path, secret_key="configured")) == b"configured"


def test_the_unsubscribe_link_pauses_its_search_in_one_click_without_signing_in(
    api: httpx.Client, settings: Settings
) -> None:
    made = api.post("/api/v1/tokens", json={"name": "alerts staff", "role": "staff"})
    assert made.status_code == 201, made.text
    with httpx.Client(
        base_url=api.base_url, headers={"Authorization": f"Bearer {made.json()['token']}"}, timeout=30
    ) as staff:
        fields = {"kind": "solutions_for_text", "text": "lekkasjer i vannledninger", "channels": ["feed"]}
        created = staff.post("/api/v1/saved-searches", json={"name": "Vannsøk", **fields})
        other = staff.post("/api/v1/saved-searches", json={"name": "Annet søk", **fields})
    assert created.status_code == 201 and other.status_code == 201, created.text
    search_id, other_id = created.json()["id"], other.json()["id"]
    token = unsubscribe_token(resolve_secret_key(settings), search_id)  # the server's key file
    since = now_utc()
    with httpx.Client(base_url=api.base_url, timeout=30) as browser:  # no token, no cookie
        page = browser.get(f"/alerts/unsubscribe/{token}")
        assert page.status_code == 200 and "Vannsøk" in page.text
        assert 'method="post"' in page.text and "Sett søket på pause" in page.text
        assert api.get(f"/api/v1/saved-searches/{search_id}").json()["paused"] is False  # GET changes nothing

        tampered = [f"{search_id}.{token.split('.')[1][:-2]}xx", f"{other_id}.{token.split('.')[1]}", "7"]
        before = row_counts(settings.resolved_database_url)
        for bad in tampered:
            assert browser.get(f"/alerts/unsubscribe/{bad}").status_code == 404
            refused = browser.post(f"/alerts/unsubscribe/{bad}", content=b"List-Unsubscribe=One-Click")
            assert refused.status_code == 404 and "text/html" in refused.headers["content-type"]
        assert row_counts(settings.resolved_database_url) == before

        one_click = browser.post(
            f"/alerts/unsubscribe/{token}",
            content=b"List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert one_click.status_code == 200, one_click.text
        assert "er satt på pause" in one_click.text and "Mine varsler" in one_click.text
        again = browser.post(f"/alerts/unsubscribe/{token}?lang=en")
        assert again.status_code == 200 and "is paused" in again.text
    assert api.get(f"/api/v1/saved-searches/{search_id}").json()["paused"] is True
    assert api.get(f"/api/v1/saved-searches/{other_id}").json()["paused"] is False
    events = audit_events(api, subject_kind="saved_search", subject_id=search_id, since=since)
    unsubscribed = [event for event in events if event["action"] == "saved_search.unsubscribed"]
    assert len(unsubscribed) == 2 and {event["actor"] for event in unsubscribed} == {"unsubscribe link"}
