"""An administrator's and a programme officer's journey in Chromium: the administrator disables a person
whose open session (another browser) stops at once; staff uploads a KPI file with a bad row, sees the
row named and nothing written, fixes it, imports and sees the municipality's chart change; staff
exports a search of the audit trail and the file holds its events. Each page passes axe-core's WCAG 2.1 A and
AA rules and is photographed at desktop and phone width."""

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from embeddings import Encoder
from tests.api.conftest import SharedServer
from tests.support.accounts import PASSWORD, add_person
from tests.support.browser import DESKTOP, PHONE, SCREENSHOTS, axe_violations, page_on, photograph
from tests.support.servers import server_on_copy

pytestmark = pytest.mark.slow
ADMIN, STAFF, LEAVER = "anne@innomatch.no", "stine@innomatch.no", "tore@innomatch.no"
STAVANGER = "1103"
ADMIN_SCREENSHOTS = SCREENSHOTS / "admin"
HEADER = "municipality_number,kpi_code,data_point,year,value,unit,source\n"
SSB_ANSWER = Path(__file__).parents[1] / "service" / "kpis" / "fixtures" / "10540_unemployment.json"


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    live, url = server_on_copy(demo_template, tmp_path_factory.mktemp("browser-admin"), encoder)
    shared = SharedServer(live=live, database_url=url)
    add_person(url, ADMIN, name="Anne Admin", role="admin")
    add_person(url, STAFF, name="Stine Stab", role="staff")
    add_person(url, LEAVER, name="Tore Tidligere", role="staff")
    yield shared
    shared.live.stop()


def _sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/profile$"))


def _checked_and_photographed(page: Page, name: str) -> None:
    assert axe_violations(page) == [], name
    photograph(page, name, ADMIN_SCREENSHOTS)
    page.set_viewport_size(PHONE)
    photograph(page, name, ADMIN_SCREENSHOTS)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} is wider than a phone: {width}px"
    page.set_viewport_size(DESKTOP)


def _weak_kpi(server: SharedServer) -> dict[str, object]:
    with server.client() as admin:
        standings = admin.get(f"/api/v1/municipalities/{STAVANGER}/kpis").json()
    weak = [
        s for s in standings if s["band"] in (1, 2) and s["target"] and s["direction"] == "+" and s["unit"]
    ]
    return dict(weak[0])


def _open_tool(page: Page, name: str) -> None:
    """A staff or administrator's tool, reached as a person does: "Verktøy" in the header, then the tool."""
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Verktøy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verktøy")
    page.get_by_role("main").get_by_role("link", name=name, exact=True).click()


def test_an_administrator_disables_a_person_whose_session_stops_at_once(
    browser: Browser, server: SharedServer
) -> None:
    with (
        page_on(browser, server.live.base_url) as (admin, _),
        page_on(browser, server.live.base_url) as (leaver, _),
    ):
        _sign_in(leaver, LEAVER)
        _sign_in(admin, ADMIN)
        admin.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Verktøy").click()
        _checked_and_photographed(admin, "tools")
        _open_tool(admin, "Personer")
        expect(admin.get_by_role("heading", level=1)).to_have_text("Personer")
        _checked_and_photographed(admin, "people")
        admin.get_by_role("link", name="Tore Tidligere").click()
        expect(admin.get_by_role("heading", level=1)).to_have_text("Tore Tidligere")
        _checked_and_photographed(admin, "person")
        leaver.reload()
        expect(leaver.get_by_role("heading", level=1)).to_have_text("Profilen din")
        admin.get_by_role("button", name="Deaktiver").click()
        expect(admin.get_by_role("status")).to_contain_text("sluttet å virke med én gang")
        leaver.goto("/profile")
        expect(leaver).to_have_url(re.compile(r"/login\?next=/profile$"))
        _open_tool(admin, "Drift")
        expect(admin.get_by_role("heading", level=1)).to_have_text("Drift")
        _checked_and_photographed(admin, "operations")


def test_staff_imports_kpis_after_fixing_a_bad_row_and_exports_the_audit_trail(
    browser: Browser, server: SharedServer, tmp_path: Path
) -> None:
    kpi = _weak_kpi(server)
    year = date.today().year
    good = f"{STAVANGER},{kpi['kpi_code']},{kpi['data_point']},{year},{kpi['target']},{kpi['unit']},Måling 2026\n"
    bad = good.replace(f",{kpi['target']},", ",mye,")
    before = server.counts()["kpi_observation"]
    with page_on(browser, server.live.base_url) as (page, offsite):
        _sign_in(page, STAFF)
        page.goto(f"/municipalities/{STAVANGER}")
        bars_before = page.locator("rect.kpi-chart__bar.band-4").count()
        _open_tool(page, "Importer KPI-er")
        expect(page.get_by_role("heading", level=1)).to_have_text("Importer KPI-observasjoner")
        page.get_by_label("CSV- eller JSON-stat-fil").set_input_files(
            {"name": "kpi.csv", "mimeType": "text/csv", "buffer": (HEADER + bad).encode()}
        )
        page.get_by_role("button", name="Sjekk filen").click()
        expect(page.get_by_role("heading", name="Ingenting ble importert")).to_be_visible()
        problem = page.locator("tr.import-problem")
        expect(problem).to_have_count(1)
        expect(problem.locator("td").nth(0)).to_have_text("2")
        expect(problem.locator("td").nth(1)).to_have_text("value")
        assert server.counts()["kpi_observation"] == before, "nothing written"
        _checked_and_photographed(page, "kpi-import-error")
        page.get_by_label("CSV- eller JSON-stat-fil").set_input_files(
            {"name": "kpi.csv", "mimeType": "text/csv", "buffer": (HEADER + good).encode()}
        )
        page.get_by_role("button", name="Sjekk filen").click()
        expect(page.get_by_role("heading", name="Dette endrer importen")).to_be_visible()
        assert server.counts()["kpi_observation"] == before, "a preview writes nothing"
        _checked_and_photographed(page, "kpi-import-preview")
        page.get_by_role("button", name="Importer disse observasjonene").click()
        expect(page.get_by_role("status").first).to_contain_text("Importert: 1 nye")
        assert server.counts()["kpi_observation"] == before + 1
        _checked_and_photographed(page, "kpi-import-done")
        page.get_by_role("link", name=re.compile(rf"\({STAVANGER}\)")).click()
        expect(page).to_have_url(re.compile(rf"/municipalities/{STAVANGER}$"))
        assert page.locator("rect.kpi-chart__bar.band-4").count() == bars_before + 1, "the chart changed"

        page.goto("/kpis/import")  # a table saved from SSB's statistics bank, read by its shipped mapping
        expect(page.get_by_label("Tilordning (for SSB-filer)")).to_have_value("")
        unknown = json.loads(SSB_ANSWER.read_text(encoding="utf-8"))
        unknown["extension"]["px"]["tableid"] = "99999"
        page.get_by_label("CSV- eller JSON-stat-fil").set_input_files(
            {"name": "99999.json", "mimeType": "application/json", "buffer": json.dumps(unknown).encode()}
        )
        page.get_by_role("button", name="Sjekk filen").click()
        expect(page.get_by_label("Tilordning (for SSB-filer)")).to_have_accessible_description(
            re.compile("ingen tilordning for SSB-tabell 99999")
        )
        _checked_and_photographed(page, "kpi-import-ssb-no-mapping")
        page.get_by_label("CSV- eller JSON-stat-fil").set_input_files(
            {"name": "10540.json", "mimeType": "application/json", "buffer": SSB_ANSWER.read_bytes()}
        )
        page.get_by_role("button", name="Sjekk filen").click()
        expect(page.get_by_role("heading", name="Dette endrer importen")).to_be_visible()
        expect(page.locator(".ssb-summary")).to_contain_text("Lest fra SSB-tabell 10540")
        expect(page.locator(".ssb-summary")).to_contain_text("1 celle manglet verdi")
        expect(page.locator(".skipped-regions")).to_have_text("0")
        assert server.counts()["kpi_observation"] == before + 1, "a preview writes nothing"
        _checked_and_photographed(page, "kpi-import-ssb-preview")

        _open_tool(page, "Revisjonsspor")
        expect(page.get_by_role("heading", level=1)).to_have_text("Revisjonsspor")
        page.get_by_label("Hvem (del av navnet)").fill("TEST OPERATOR")
        page.get_by_role("button", name="Søk").click()
        expect(page.locator("tr.audit-row").first).to_be_visible()
        _checked_and_photographed(page, "audit")
        with page.expect_download() as waiting:
            page.get_by_role("link", name="CSV", exact=True).click()
        saved = tmp_path / "audit.csv"
        waiting.value.save_as(saved)
        assert offsite.refused == []
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert rows and all("test operator" in row["actor"] for row in rows), "the search's events only"
    created = [row["subject_id"] for row in rows if row["action"] == "user.created"]
    assert len(created) >= 3, "the accounts made for this test are in the trail"


def test_staff_find_who_saw_a_needs_matches_in_the_audit_trail(
    browser: Browser, server: SharedServer
) -> None:
    with server.client() as admin:
        need = admin.get("/api/v1/needs", params={"limit": 1}).json()["items"][0]
    with page_on(browser, server.live.base_url) as (page, offsite):
        _sign_in(page, STAFF)
        page.goto(f"/needs/{need['id']}?offset=10")
        page.goto(f"/audit?need={need['id']}&actor=stine")
        said = page.locator("tr.audit-row").filter(has_text="treffene for behov").last
        expect(said).to_contain_text(f"treffene for behov «{need['title']}»: 10 løsninger fra")
        expect(said.get_by_role("link", name=f"«{need['title']}»")).to_have_attribute(
            "href", f"/needs/{need['id']}"
        )
        _checked_and_photographed(page, "audit-matches")
        assert offsite.refused == []
