"""The administrator's outbox pages over a real server with no SMTP server set: an officer's saved
search finds a new need and the delivery round writes its e-mail to the outbox; the administrator sees
it listed and reads its headers and text (escaped); other people are refused, names that are not an
outbox file (a path, "..", a temporary file) are not found; with SMTP set, the page says so and still
lists what is there."""

import email.policy
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from embeddings import Encoder
from service.config import Settings
from tests.support.accounts import add_person, signed_in_client
from tests.support.alert_rows import Outcome, new_records, run_round, save_search
from tests.support.records import LEAK_NEED
from tests.support.servers import ADMIN_TOKEN, LiveServer, start_server

pytestmark = pytest.mark.slow
ANNE, KARI = "anne@innomatch.no", "kari@bodo.kommune.no"
OUTBOX = "/admin/outbox"
LINK = re.compile(r'<a href="/admin/outbox/([^"]+)">([^<]*)</a>')


@dataclass
class Outbox:
    live: LiveServer
    settings: Settings
    need_id: int


def _settings(directory: Path, template: Path, **extra: object) -> Settings:
    shutil.copy(template, directory / "innomatch.sqlite3")
    url = f"sqlite:///{directory / 'innomatch.sqlite3'}"
    return Settings(
        data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none", **extra
    )


@pytest.fixture(scope="module")
def outbox(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[Outbox]:
    directory = tmp_path_factory.mktemp("outbox-page")
    settings = _settings(directory, demo_template)
    live = start_server(settings, encoder)
    url = settings.resolved_database_url
    add_person(url, ANNE, name="Anne Admin", role="admin")
    add_person(url, KARI, name="Kari Nordmann", role="officer", municipality_number="1804")
    search = save_search(
        live.base_url, KARI, name="Vanntap hos andre", kind="needs_for_text", text="vanntap i ledningsnettet"
    )
    with live.client() as admin:
        _solution_id, need_id = new_records(admin)
    run_round(settings, encoder, directory / "worker-index", [Outcome(search)])
    yield Outbox(live, settings, need_id)
    live.stop()


def test_an_administrator_reads_an_email_written_to_the_outbox(outbox: Outbox) -> None:
    with signed_in_client(outbox.live.base_url, ANNE) as anne:
        listed = anne.get(OUTBOX)
        assert listed.status_code == 200, listed.text
        assert "INNOMATCH_SMTP_URL" in listed.text and "No SMTP server is configured" in listed.text
        [(name, subject)] = LINK.findall(listed.text)
        assert "Vanntap hos andre" in subject and KARI in listed.text
        mail = anne.get(f"{OUTBOX}/{name}")
    assert mail.status_code == 200, mail.text
    for header in ("From", "To", "Subject", "Written", "Unsubscribe link"):
        assert f'<th scope="row">{header}</th>' in mail.text, header
    assert "/alerts/unsubscribe/" in mail.text and KARI in mail.text
    [text] = re.findall(r'<pre class="mail-text">(.*?)</pre>', mail.text, flags=re.S)
    assert LEAK_NEED["title"] in text and f"/needs/{outbox.need_id}" in text


def test_an_emails_text_is_shown_as_text(outbox: Outbox) -> None:
    message = EmailMessage(policy=email.policy.SMTP)
    message["Subject"] = "<b>Ny</b> melding"
    message["To"] = "ola@example.no"
    message["Date"] = "Thu, 31 Dec 2099 08:00:00 +0000"
    message.set_content('<script>alert("x")</script> & mer')
    (outbox.settings.data_dir / "outbox" / "msg_handwritten.eml").write_bytes(message.as_bytes())
    with signed_in_client(outbox.live.base_url, ANNE) as anne:
        listed = anne.get(OUTBOX).text
        mail = anne.get(f"{OUTBOX}/msg_handwritten.eml").text
    assert "&lt;b&gt;Ny&lt;/b&gt; melding" in listed and "<b>Ny</b>" not in listed
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; mer" in mail and "<script>alert" not in mail
    newest = LINK.findall(listed)[0][0]
    assert newest == "msg_handwritten.eml", "newest first"


@pytest.mark.parametrize(
    "name",
    [
        "..%2F..%2Finnomatch.sqlite3",
        "%2E%2E",
        "..",
        "....eml",
        "secret-key",
        ".writing.abc.tmp",
        "notes.txt",
        "msg_nothing.eml",
        "msg%00.eml",
        "..%5Csecret-key",
    ],
)
def test_a_name_that_is_no_outbox_email_is_not_found(outbox: Outbox, name: str) -> None:
    folder = outbox.settings.data_dir / "outbox"
    for other in (".writing.abc.tmp", "notes.txt"):  # files in the folder that are no e-mail it wrote
        (folder / other).write_text("Subject: not an outbox e-mail\n\nsecret", encoding="utf-8")
    with signed_in_client(outbox.live.base_url, ANNE) as anne:
        answer = anne.get(f"{OUTBOX}/{name}")
    assert answer.status_code == 404, (name, answer.text[:300])
    assert "SQLite format" not in answer.text


def test_other_people_are_refused_and_anonymous_readers_sent_to_sign_in(outbox: Outbox) -> None:
    with signed_in_client(outbox.live.base_url, ANNE) as anne:
        [(name, _subject)] = LINK.findall(anne.get(OUTBOX).text)[-1:]
    with signed_in_client(outbox.live.base_url, KARI) as kari:
        assert kari.get(OUTBOX).status_code == 403
        assert kari.get(f"{OUTBOX}/{name}").status_code == 403
        tools = kari.get("/tools")
        assert tools.status_code == 403
    with httpx.Client(base_url=outbox.live.base_url) as anonymous:
        answer = anonymous.get(f"{OUTBOX}/{name}")
        assert answer.status_code == 303 and answer.headers["location"] == f"/login?next={OUTBOX}"
    with signed_in_client(outbox.live.base_url, ANNE) as anne:
        assert f'href="{OUTBOX}"' in anne.get("/tools").text, "the tools list it for administrators"


def test_with_smtp_configured_the_page_says_so_and_shows_what_is_left(
    tmp_path: Path, sqlite_template: Path, encoder: Encoder
) -> None:
    settings = _settings(tmp_path, sqlite_template, smtp_url="smtp://127.0.0.1:1")
    left = settings.data_dir / "outbox"
    left.mkdir(parents=True)
    message = EmailMessage(policy=email.policy.SMTP)
    message["Subject"], message["To"] = "Skrevet før SMTP", "ola@example.no"
    message.set_content("Hei")
    (left / "msg_before.eml").write_bytes(message.as_bytes())
    live = start_server(settings, encoder)
    try:
        add_person(settings.resolved_database_url, ANNE, name="Anne Admin", role="admin")
        with signed_in_client(live.base_url, ANNE) as anne:
            page = anne.get(OUTBOX).text
    finally:
        live.stop()
    assert "An SMTP server is configured" in page and "No SMTP server is configured" not in page
    assert LINK.findall(page) == [("msg_before.eml", "Skrevet før SMTP")]
