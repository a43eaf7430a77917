"""The municipality page over a real server on a copy of the demo data: an officer of Stavanger (which has
KPI values, real and synthetic, and gaps that have become needs) sees the chart with a bar per KPI that
has a target, each synthetic value marked, and the gap needs linked to their needs and matches; a
supplier and another municipality's officer are refused, an anonymous reader is sent to sign in."""

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from embeddings import Encoder
from service.config import Settings
from tests.api.conftest import SharedServer
from tests.support.accounts import add_person, signed_in_client
from tests.support.servers import ADMIN_TOKEN, start_server

pytestmark = pytest.mark.slow
STAVANGER, BERGEN = "1103", "4601"
OFFICER, STRANGER = "kari@stavanger.kommune.no", "ola@bergen.kommune.no"
SUPPLIER, STAFF = "salg@leverandor.no", "stab@innomatch.no"
BAR = re.compile(r'<rect class="kpi-chart__bar band-(\d)')


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    directory = tmp_path_factory.mktemp("municipality-pages")
    shutil.copy(demo_template, directory / "innomatch.sqlite3")
    url = f"sqlite:///{directory / 'innomatch.sqlite3'}"
    settings = Settings(data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none")
    shared = SharedServer(live=start_server(settings, encoder), database_url=url)
    add_person(url, OFFICER, name="Kari Nordmann", role="officer", municipality_number=STAVANGER)
    add_person(url, STRANGER, name="Ola Nordmann", role="officer", municipality_number=BERGEN)
    with shared.client() as admin:
        supplier_id = admin.get("/api/v1/suppliers", params={"limit": 1}).json()["items"][0]["id"]
    add_person(url, SUPPLIER, name="Siri Salg", role="supplier", supplier_id=supplier_id)
    add_person(url, STAFF, name="Stine Stab", role="staff")
    yield shared
    shared.live.stop()


def _api(server: SharedServer, what: str) -> list[dict[str, object]]:
    with server.client() as admin:
        answer: list[dict[str, object]] = admin.get(f"/api/v1/municipalities/{STAVANGER}/{what}").json()
    return answer


def test_an_officer_sees_the_chart_the_synthetic_values_and_the_gap_needs(server: SharedServer) -> None:
    standings = [item for item in _api(server, "kpis") if item["value"] is not None]
    with_target = [item for item in standings if item["percent_of_target"] is not None]
    synthetic = [item for item in standings if item["synthetic"]]
    gap_needs = [item["need_id"] for item in _api(server, "gaps") if item["need_id"]]
    assert with_target and synthetic and gap_needs, "the demo data has what this test needs"
    with signed_in_client(server.live.base_url, OFFICER) as browser:
        assert 'href="/my/municipality"' in browser.get("/").text, "the header offers the page"
        page = browser.get("/my/municipality")
    assert page.status_code == 200
    html = page.text
    assert re.search(r'<svg class="kpi-chart__svg" role="img" aria-labelledby="kpi-chart-title', html)
    bands = BAR.findall(html)
    assert len(bands) == len(with_target), "a bar per KPI with a target"
    assert sorted(bands) == sorted(str(item["band"]) for item in with_target)
    assert html.count('class="kpi-chart__row"') == len(standings), "a row per KPI with a value"
    assert html.count('class="kpi-chart__target"') == len(with_target), "each bar has its target marker"
    chart, table = html.split("</svg>", 1)
    assert chart.count("synthetic demo value</text>") == len(synthetic)
    assert table.count('data-color="warning">synthetic demo value') >= len(synthetic)
    for need_id in gap_needs:
        assert f'href="/needs/{need_id}"' in html
        assert f'href="/needs/{need_id}#matches"' in html
    assert "to the target" in html and "target met" in html


def test_the_page_is_in_bokmal_by_default_with_norwegian_numbers(server: SharedServer) -> None:
    with signed_in_client(server.live.base_url, OFFICER) as browser:
        browser.cookies.set("lang", "nb")
        html = browser.get("/my/municipality").text
    assert "Min kommune" in html and "Verdi mot mål" in html and "fiktiv verdi" in html
    assert re.search(r"\d,\d+\s%", html), "decimal commas and a space before the per cent sign"
    assert "333,72 per 100 000 innbyggere (2020)" in html, "Stavanger's unit in Bokmål"
    assert "268 (2020)" in html and "count" not in html, "a count needs no unit word"


def test_staff_open_any_municipality_and_others_are_refused(server: SharedServer) -> None:
    with signed_in_client(server.live.base_url, STAFF) as staff:
        assert staff.get(f"/municipalities/{STAVANGER}").status_code == 200
        assert staff.get("/my/municipality").status_code == 403, "staff have no municipality of their own"
        assert staff.get("/municipalities/9999").status_code == 404
    with signed_in_client(server.live.base_url, OFFICER) as officer:
        assert officer.get(f"/municipalities/{STAVANGER}").status_code == 200
        assert officer.get(f"/municipalities/{BERGEN}").status_code == 403
    with signed_in_client(server.live.base_url, SUPPLIER) as supplier:
        assert 'href="/my/municipality"' not in supplier.get("/").text
        assert supplier.get("/my/municipality").status_code == 403
        assert supplier.get(f"/municipalities/{STAVANGER}").status_code == 403


def test_an_anonymous_reader_is_sent_to_sign_in(server: SharedServer) -> None:
    with httpx.Client(base_url=server.live.base_url) as anonymous:
        for path in ("/my/municipality", f"/municipalities/{STAVANGER}"):
            answer = anonymous.get(path)
            assert answer.status_code == 303
            assert answer.headers["location"] == f"/login?next={path}"


GOOD_NEED = {
    "title": "Vanntap i ledningsnettet",
    "description": (
        "Vi mister i dag rundt 32 prosent av drikkevannet på vei til abonnentene, og driftspersonellet finner "
        "lekkasjene først når vannet kommer opp i veien. Det koster oss om lag 4 millioner kroner i året. "
        "Vi ønsker å finne lekkasjer tidligere, med mål om under 20 prosent vanntap innen 2030."
    ),
}
BRANDED_NEED = {"title": "Nye brytere", "description": "Vi skal kjøpe Cisco-switcher til skolene."}


def _need_row(html: str, need_id: int) -> str:
    row = re.search(rf'<tr>\s*<th scope="row"><a href="/needs/{need_id}".*?</tr>', html, re.S)
    assert row, f"need {need_id} is listed"
    return row.group(0)


def test_the_officers_list_of_needs_shows_which_have_findings(server: SharedServer) -> None:
    with server.client() as admin:
        good, branded = (
            admin.post("/api/v1/needs", json={**need, "municipality_number": STAVANGER}).json()
            for need in (GOOD_NEED, BRANDED_NEED)
        )
    assert branded["quality"]["checklist"]["brand-name"] is False, "the API's check finds the brand"
    failed = {f["rule"] for f in branded["quality"]["findings"]}
    with signed_in_client(server.live.base_url, OFFICER) as browser:
        english = browser.get("/my/municipality?lang=en").text
        bokmal = browser.get("/my/municipality?lang=nb").text
    assert "No findings" in _need_row(english, good["id"])
    branded_row = _need_row(english, branded["id"])
    assert f'data-color="warning">{len(failed)} findings</span>' in branded_row
    assert "Brand named" in branded_row and "Too short" in branded_row, "the rules in words"
    assert "Ingen merknader" in _need_row(bokmal, good["id"])
    assert f"{len(failed)} merknader" in _need_row(bokmal, branded["id"])


def test_the_needs_list_costs_little_for_fifty_needs(server: SharedServer) -> None:
    """Fifty needs checked for the list, then read again from the per-need memory: the page stays quick."""
    with server.client() as admin:
        for number in range(50):
            admin.post(
                "/api/v1/needs",
                json={**GOOD_NEED, "title": f"Vanntap {number}", "municipality_number": STAVANGER},
            )
    with signed_in_client(server.live.base_url, OFFICER) as browser:
        first = browser.get("/my/municipality")
        again = browser.get("/my/municipality")
    assert first.status_code == again.status_code == 200
    assert again.text.count("need-quality-table") == 1
    assert again.elapsed.total_seconds() < 2.0, again.elapsed
