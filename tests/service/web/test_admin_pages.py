"""The administrator's pages over a real server on a copy of the demo data: the people list, an
invitation whose link works once, a role change, and disabling a person, which stops their open
session and their own API token at once (a real request with each, before and after); the operations
page says what /health says; officers, staff and suppliers are refused, anonymous readers sent to sign in."""

import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from embeddings import Encoder
from service.config import Settings
from service.operations.backup import BackupReport, record_backup
from tests.api.conftest import SharedServer
from tests.support.accounts import PASSWORD, add_person, csrf_token, signed_in_client
from tests.support.servers import ADMIN_TOKEN, start_server

pytestmark = pytest.mark.slow
ADMIN, STAFF, OFFICER = "anne@innomatch.no", "stine@innomatch.no", "kari@stavanger.kommune.no"
STAVANGER = "1103"
INVITE_LINK = re.compile(r'<code class="secret invite-link">[^<]*/invite/([\w-]+)</code>')
TOKEN = re.compile(r'<code class="secret">(im_[\w-]+)</code>')


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    directory = tmp_path_factory.mktemp("admin-pages")
    shutil.copy(demo_template, directory / "innomatch.sqlite3")
    url = f"sqlite:///{directory / 'innomatch.sqlite3'}"
    settings = Settings(data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none")
    shared = SharedServer(live=start_server(settings, encoder), database_url=url)
    add_person(url, ADMIN, name="Anne Admin", role="admin")
    add_person(url, OFFICER, name="Kari Nordmann", role="officer", municipality_number=STAVANGER)
    yield shared
    shared.live.stop()


def _user_count(server: SharedServer) -> int:
    return server.counts()["user_account"]


def _own_token(browser: httpx.Client, name: str) -> str:
    profile = browser.get("/profile")
    created = browser.post("/profile/tokens", data={"name": name, "csrf_token": csrf_token(profile)})
    [secret] = TOKEN.findall(created.text)
    return secret


def _person_id(admin: httpx.Client, email: str) -> int:
    page = admin.get("/admin/people").text
    found = re.search(
        rf'<tr class="person-row" data-email="{re.escape(email)}">\s*<td[^>]*><a href="/admin/people/(\d+)"',
        page,
    )
    assert found, f"{email} is not listed"
    return int(found.group(1))


def test_an_invitation_shows_its_link_once_and_the_link_works_once(server: SharedServer) -> None:
    with signed_in_client(server.live.base_url, ADMIN) as admin:
        listed = admin.get("/admin/people")
        assert (
            listed.status_code == 200 and "Kari Nordmann" in listed.text and "Stavanger (1103)" in listed.text
        )
        before = _user_count(server)
        wrong = admin.post(
            "/admin/people",
            data={
                "email": "not-an-address",
                "name": "",
                "role": "officer",
                "municipality_number": "",
                "csrf_token": csrf_token(listed),
            },
        )
        assert wrong.status_code == 422
        for field in ("invite-email-error", "invite-name-error"):
            assert f'id="{field}"' in wrong.text, field
        unbound = admin.post(
            "/admin/people",
            data={
                "email": "per@nowhere.no",
                "name": "Per",
                "role": "officer",
                "csrf_token": csrf_token(listed),
            },
        )
        assert unbound.status_code == 422 and 'id="invite-municipality-error"' in unbound.text
        unknown = admin.post(
            "/admin/people",
            data={
                "email": "per@nowhere.no",
                "name": "Per",
                "role": "officer",
                "municipality_number": "9999",
                "csrf_token": csrf_token(listed),
            },
        )
        assert unknown.status_code == 422 and "no municipality with this number" in unknown.text
        assert _user_count(server) == before, "nothing stored from a wrong form"
        invited = admin.post(
            "/admin/people",
            data={"email": STAFF, "name": "Stine Stab", "role": "staff", "csrf_token": csrf_token(listed)},
        )
        assert invited.status_code == 200 and invited.headers["cache-control"] == "no-store"
        [secret] = INVITE_LINK.findall(invited.text)
        again = admin.get("/admin/people")
        assert secret not in again.text, "the link is shown once only"
        twice = admin.post(
            "/admin/people",
            data={"email": STAFF, "name": "Stine", "role": "staff", "csrf_token": csrf_token(listed)},
        )
        assert twice.status_code == 422 and "exists already" in twice.text
    with httpx.Client(base_url=server.live.base_url, cookies={"lang": "en"}) as stranger:
        form = stranger.get(f"/invite/{secret}")
        assert form.status_code == 200
        chosen = {"password": PASSWORD, "repeated": PASSWORD, "csrf_token": csrf_token(form)}
        assert stranger.post(f"/invite/{secret}", data=chosen).status_code == 303
        assert stranger.get(f"/invite/{secret}").status_code == 410, "the link works once"


def test_disabling_stops_the_open_session_and_the_token_at_once(server: SharedServer) -> None:
    email = "tore@innomatch.no"
    add_person(server.database_url, email, name="Tore Tidligere", role="staff")
    with (
        signed_in_client(server.live.base_url, email) as victim,
        signed_in_client(server.live.base_url, ADMIN) as admin,
    ):
        secret = _own_token(victim, "Rapporter")
        with server.client(token=secret) as program:
            assert program.get("/api/v1/audit").status_code == 200
            assert victim.get("/profile").status_code == 200
            person_id = _person_id(admin, email)
            page = admin.get(f"/admin/people/{person_id}")
            done = admin.post(f"/admin/people/{person_id}/disable", data={"csrf_token": csrf_token(page)})
            assert done.status_code == 303
            shown = admin.get(done.headers["location"])
            assert "sessions and API tokens stopped working" in shown.text
            assert program.get("/api/v1/audit").status_code == 401, "the token stopped"
            ended = victim.get("/profile")
            assert ended.status_code == 303 and ended.headers["location"].startswith("/login"), (
                "the session stopped"
            )
            assert 'data-color="danger">Disabled' in admin.get("/admin/people").text
            back = admin.post(f"/admin/people/{person_id}/reactivate", data={"csrf_token": csrf_token(page)})
            assert back.status_code == 303
            assert program.get("/api/v1/audit").status_code == 401, "a revoked token stays revoked"
    with signed_in_client(server.live.base_url, email) as again:
        assert again.get("/profile").status_code == 200, "reactivated, the person signs in again"


def test_a_disabled_persons_token_is_refused_like_their_session(server: SharedServer) -> None:
    """The rule in identify itself, for a token that disabling did not revoke (set in the database)."""
    email = "une@innomatch.no"
    add_person(server.database_url, email, name="Une Unntak", role="staff")
    with signed_in_client(server.live.base_url, email) as person:
        secret = _own_token(person, "Skript")
    with server.client(token=secret) as program:
        assert program.get("/api/v1/audit").status_code == 200
        database = server.database_url.removeprefix("sqlite:///")
        with sqlite3.connect(database) as connection:
            connection.execute(
                "UPDATE user_account SET disabled_at = CURRENT_TIMESTAMP WHERE email = ?", (email,)
            )
        assert program.get("/api/v1/audit").status_code == 401


def test_a_role_change_moves_the_person_and_revokes_their_tokens(server: SharedServer) -> None:
    email = "rolf@innomatch.no"
    add_person(server.database_url, email, name="Rolf Rolle", role="staff")
    with (
        signed_in_client(server.live.base_url, email) as person,
        signed_in_client(server.live.base_url, ADMIN) as admin,
    ):
        secret = _own_token(person, "Gammel rolle")
        person_id = _person_id(admin, email)
        page = admin.get(f"/admin/people/{person_id}")
        missing = admin.post(
            f"/admin/people/{person_id}/role", data={"role": "officer", "csrf_token": csrf_token(page)}
        )
        assert missing.status_code == 422 and 'id="change-municipality-error"' in missing.text
        changed = admin.post(
            f"/admin/people/{person_id}/role",
            data={"role": "officer", "municipality_number": STAVANGER, "csrf_token": csrf_token(page)},
        )
        assert changed.status_code == 303
        with server.client(token=secret) as program:
            assert program.get("/api/v1/audit").status_code == 401, "the staff token is revoked"
        assert person.get("/my/municipality").status_code == 200, "the session follows the new role"


def test_the_operations_page_says_what_health_says(server: SharedServer) -> None:
    data_dir = Path(server.database_url.removeprefix("sqlite:///")).parent / "data"
    with signed_in_client(server.live.base_url, ADMIN) as admin:
        before = admin.get("/admin/operations")
        assert "No backup made with" in before.text
        made = datetime.now(UTC) - timedelta(hours=3)
        record_backup(
            data_dir,
            BackupReport(path=Path("/backups/innomatch.sqlite3"), revision="x", size_bytes=2_500_000),
            made,
        )
        page = admin.get("/admin/operations")
    health = httpx.get(f"{server.live.base_url}/health").json()
    assert page.status_code == 200
    html = page.text
    assert "0.1.0" in html and health["encoder"] in html
    counts = re.findall(r'<td class="number" data-label="Records">([\d,]+)</td>', html)
    assert [int(count.replace(",", "")) for count in counts] == [
        health["indexed_needs"],
        health["indexed_solutions"],
    ]
    assert "3 hours ago" in html and "2.5 MB in /backups/innomatch.sqlite3" in html
    with signed_in_client(server.live.base_url, ADMIN) as admin:
        admin.cookies.set("lang", "nb")
        norwegian = admin.get("/admin/operations").text
    assert "3 timer siden" in norwegian and "2,5 MB" in norwegian


@pytest.mark.parametrize("path", ["/admin/people", "/admin/operations", "/admin/people/1"])
def test_only_administrators_get_the_pages(server: SharedServer, path: str) -> None:
    with httpx.Client(base_url=server.live.base_url) as anonymous:
        sent = anonymous.get(path)
        assert sent.status_code == 303 and sent.headers["location"] == f"/login?next={path}"
    with signed_in_client(server.live.base_url, OFFICER) as officer:
        refused = officer.get(path)
        assert refused.status_code == 403 and "Only administrators" in refused.text


def test_an_officer_cannot_invite_or_disable(server: SharedServer) -> None:
    before = _user_count(server)
    with signed_in_client(server.live.base_url, OFFICER) as officer:
        token = csrf_token(officer.get("/profile"))
        invited = officer.post(
            "/admin/people", data={"email": "x@y.no", "name": "X", "role": "admin", "csrf_token": token}
        )
        assert invited.status_code == 403
        disabled = officer.post("/admin/people/1/disable", data={"csrf_token": token})
        assert disabled.status_code == 403
    assert _user_count(server) == before
    with signed_in_client(server.live.base_url, ADMIN) as admin:
        assert "Disabled" not in admin.get("/admin/people/1").text.split("<h2>")[0]


def _navigation(html: str) -> list[str]:
    menu = re.search(r'<nav class="site-nav[^>]*>(.*?)</nav>', html, re.S)
    assert menu, "the page has no main menu"
    return re.findall(r"<a [^>]*>([^<]+)</a>", menu.group(1))


def test_the_tools_page_gathers_reports_imports_and_administration(server: SharedServer) -> None:
    add_person(server.database_url, "sven@innomatch.no", name="Sven Stab", role="staff")
    with signed_in_client(server.live.base_url, ADMIN) as admin:
        admin_tools = admin.get("/tools?lang=en")
        audit = admin.get("/audit?lang=en")
    with signed_in_client(server.live.base_url, "sven@innomatch.no") as staff:
        staff_tools = staff.get("/tools?lang=en")
    with signed_in_client(server.live.base_url, OFFICER) as officer:
        refused = officer.get("/tools?lang=en")
    assert admin_tools.status_code == staff_tools.status_code == 200
    for link in (
        "/audit",
        "/kpis/import",
        "/demand/download?format=csv",
        "/api/v1/buyer-groups/export?format=xlsx",
    ):
        assert f'href="{link}"' in admin_tools.text and f'href="{link}"' in staff_tools.text, link
    assert 'href="/admin/people"' in admin_tools.text and 'href="/admin/people"' not in staff_tools.text
    assert refused.status_code == 403 and "Only programme staff" in refused.text
    # The header stays short: the tools are one link, marked as the current section on a tool's page.
    assert _navigation(audit.text) == [
        "Open needs",
        "Find solutions",
        "Demand",
        "Write a need",
        "Buyer groups",
        "Partnerships",
        "Tools",
    ]
    assert re.search(r'<a href="/tools" aria-current="true">Tools</a>', audit.text)
