"""An officer or a supplier who opens a page of programme staff or administrators gets a clear refusal
in Chromium: a 403 page in the site's layout saying who may see it, that passes axe-core."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from embeddings import Encoder
from tests.api.conftest import SharedServer
from tests.support.accounts import PASSWORD, add_person
from tests.support.browser import axe_violations, page_on
from tests.support.records import create
from tests.support.servers import server_on_copy

pytestmark = pytest.mark.slow
OFFICER, SUPPLIER = "kari@oslo.kommune.no", "lars@lytt.no"
STAFF_PAGES = ("/buyer-groups", "/partnerships", "/audit", "/kpis/import", "/tools", "/tools/needs-quality")
ADMIN_PAGES = ("/admin/people", "/admin/operations", "/admin/outbox")


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    live, url = server_on_copy(sqlite_template, tmp_path_factory.mktemp("browser-refusals"), encoder)
    shared = SharedServer(live=live, database_url=url)
    with shared.client() as admin:
        supplier = create(admin, "suppliers", name="Lytt AS", organisation_number="974760673")
    add_person(url, OFFICER, name="Kari Nordmann", role="officer", municipality_number="0301")
    add_person(url, SUPPLIER, name="Lars Lytt", role="supplier", supplier_id=supplier["id"])
    yield shared
    shared.live.stop()


@pytest.mark.parametrize("email", [OFFICER, SUPPLIER])
def test_staff_and_admin_pages_refuse_officers_and_suppliers_clearly(
    browser: Browser, server: SharedServer, email: str
) -> None:
    with page_on(browser, server.live.base_url) as (page, offsite):
        page.goto("/login?lang=en")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(
            page.get_by_role("link", name="Sign out").or_(page.get_by_role("button", name="Sign out"))
        ).to_be_visible()
        for path in STAFF_PAGES + ADMIN_PAGES:
            answer = page.goto(path)
            assert answer is not None and answer.status == 403, path
            expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
            reason = "programme staff and administrators" if path in STAFF_PAGES else "administrators"
            expect(page.get_by_role("main")).to_contain_text(reason)
            assert page.get_by_role("navigation").get_by_role("link", name="Partnerships").count() == 0, path
            assert axe_violations(page) == [], path
    assert offsite.refused == []
