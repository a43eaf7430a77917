"""The unsubscribe link of an alert e-mail in Chromium: the page, its button (a real form POST, without
a session or CSRF token), the page that says the search is paused; both pass axe-core at desktop and
phone width, in Bokmål and in English."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from embeddings import Encoder
from service.alerts.unsubscribe import resolve_secret_key, unsubscribe_token
from service.config import Settings
from tests.api.conftest import SharedServer
from tests.support.browser import DESKTOP, PHONE, axe_violations, page_on, photograph
from tests.support.servers import ADMIN_TOKEN, server_on_copy

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, encoder: Encoder
) -> Iterator[tuple[SharedServer, Path]]:
    directory = tmp_path_factory.mktemp("browser-unsubscribe")
    live, url = server_on_copy(sqlite_template, directory, encoder)
    yield SharedServer(live=live, database_url=url), directory / "data"
    live.stop()


def _search(server: SharedServer, name: str) -> int:
    with server.client() as api:
        made = api.post("/api/v1/tokens", json={"name": f"staff {name}", "role": "staff"})
        headers = {"Authorization": f"Bearer {made.json()['token']}"}
        with httpx.Client(base_url=api.base_url, headers=headers) as staff:
            fields = {"kind": "solutions_for_text", "text": "lekkasjer i vannledninger", "channels": ["feed"]}
            created = staff.post("/api/v1/saved-searches", json={"name": name, **fields})
    assert created.status_code == 201, created.text
    search_id: int = created.json()["id"]
    return search_id


@pytest.mark.parametrize(
    ("viewport", "language", "button", "done"),
    [
        (DESKTOP, "nb", "Sett søket på pause", "Søket er satt på pause"),
        (PHONE, "en", "Pause the search", "The search is paused"),
    ],
)
def test_the_button_of_the_unsubscribe_page_pauses_the_search(
    browser: Browser,
    server: tuple[SharedServer, Path],
    viewport: dict[str, int],
    language: str,
    button: str,
    done: str,
) -> None:
    shared, data_dir = server
    search_id = _search(shared, f"Vannsøk {language}")
    key = resolve_secret_key(Settings(data_dir=data_dir, admin_token=ADMIN_TOKEN))
    address = f"/alerts/unsubscribe/{unsubscribe_token(key, search_id)}?lang={language}"
    with page_on(browser, shared.live.base_url, viewport) as (page, offsite):
        page.goto(address)
        assert axe_violations(page) == []
        photograph(page, f"unsubscribe-{language}")
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(done)
        assert axe_violations(page) == []
        photograph(page, f"unsubscribed-{language}")
        assert offsite.refused == []
    with shared.client() as api:
        assert api.get(f"/api/v1/saved-searches/{search_id}").json()["paused"] is True
