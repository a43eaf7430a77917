"""The need form's live check (POST /needs/check-panel) over a real server on a copy of the demo data:
the findings of the text sent, in Bokmål and in English, with the named brand marked in an escaped
preview; the suggested KPIs as chips; a form without its CSRF token refused, a text too long answered
with a 422 that says why, and nothing stored by a check. The form and the need page show the same
panel without JavaScript."""

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from embeddings import Encoder
from service.config import Settings
from tests.api.conftest import SharedServer
from tests.support.accounts import add_person, csrf_token, signed_in_client
from tests.support.servers import ADMIN_TOKEN, start_server

pytestmark = pytest.mark.slow
OSLO = "0301"
OFFICER, SUPPLIER = "kari@oslo.kommune.no", "per@leverandor.no"
BRANDED = {
    "title": "Trådløst nett i skolene",
    "description": "Vi trenger Cisco Meraki tilgangspunkter i alle klasserom, fordi elevene mister"
    " nettet midt i prøver. <b>Lærerne</b> bruker mye tid på feilsøking i dag, og vi vil halvere"
    " antall avbrudd innen ett år for de 4000 elevene i kommunen.",
    "language": "auto",
}


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    directory = tmp_path_factory.mktemp("need-check-panel")
    shutil.copy(demo_template, directory / "innomatch.sqlite3")
    url = f"sqlite:///{directory / 'innomatch.sqlite3'}"
    settings = Settings(data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none")
    shared = SharedServer(live=start_server(settings, encoder), database_url=url)
    add_person(url, OFFICER, name="Kari Nordmann", role="officer", municipality_number=OSLO)
    add_person(url, SUPPLIER, name="Per Leverandør", role="supplier", supplier_id=1)
    yield shared
    shared.live.stop()


@pytest.fixture
def officer(server: SharedServer) -> Iterator[httpx.Client]:
    with signed_in_client(server.live.base_url, OFFICER) as client:
        yield client


def _check(client: httpx.Client, **fields: str) -> httpx.Response:
    token = csrf_token(client.get("/needs/new"))
    return client.post("/needs/check-panel", data={**BRANDED, **fields, "csrf_token": token})


def _written(server: SharedServer) -> int:
    with server.client() as admin:
        return int(admin.get("/api/v1/needs", params={"limit": 1}).json()["total"])


def test_the_check_names_the_brand_in_english_and_marks_it_in_an_escaped_preview(
    officer: httpx.Client,
) -> None:
    answer = _check(officer)
    assert answer.status_code == 200
    assert "“Cisco” names a brand, product or supplier" in answer.text
    assert re.search(
        r'<mark class="quality-mark">Cisco<span class="quality-mark__number">1</span></mark>', answer.text
    )
    assert "&lt;b&gt;Lærerne&lt;/b&gt;" in answer.text and "<b>Lærerne" not in answer.text, (
        "the text is escaped"
    )
    assert "Names no brand without “or equivalent”" in answer.text, "the checklist names the rule in words"
    assert 'hx-swap-oob="true"' in answer.text, "the KPI chips come in the same answer"
    assert re.search(r'<input type="checkbox" name="kpi_codes" value="[^"]+" data-kpi-chip', answer.text)


def test_the_check_speaks_bokmal_to_a_bokmal_reader(officer: httpx.Client) -> None:
    officer.cookies.set("lang", "nb")
    answer = _check(officer)
    assert answer.status_code == 200
    assert "«Cisco» er et merke-, produkt- eller leverandørnavn" in answer.text
    assert "Nevner ikke merkenavn uten «eller tilsvarende»" in answer.text


def test_or_equivalent_clears_the_brand_finding(officer: httpx.Client) -> None:
    fixed = BRANDED["description"].replace(
        "Cisco Meraki tilgangspunkter", "Cisco Meraki tilgangspunkter eller tilsvarende"
    )
    answer = _check(officer, description=fixed)
    assert answer.status_code == 200
    assert "names a brand" not in answer.text
    assert '<mark class="quality-mark">' not in answer.text


def test_an_empty_text_is_not_checked_yet(officer: httpx.Client) -> None:
    answer = _check(officer, title="")
    assert answer.status_code == 200
    assert "The check starts when the title and the problem have text." in answer.text


def test_a_check_without_its_csrf_token_is_refused(officer: httpx.Client) -> None:
    answer = officer.post("/needs/check-panel", data=BRANDED)
    assert answer.status_code == 403


def test_a_supplier_may_not_use_the_need_form_check(server: SharedServer) -> None:
    with signed_in_client(server.live.base_url, SUPPLIER) as supplier:
        token = csrf_token(supplier.get("/profile"))
        answer = supplier.post("/needs/check-panel", data={**BRANDED, "csrf_token": token})
    assert answer.status_code == 403


def test_a_text_too_long_is_answered_with_a_422_that_says_why(officer: httpx.Client) -> None:
    answer = _check(officer, description="vann " * 4001)
    assert answer.status_code == 422
    assert "The text could not be checked:" in answer.text
    assert "The problem is too long: at most 20,000 characters" in answer.text


def test_a_check_stores_nothing(server: SharedServer, officer: httpx.Client) -> None:
    before = _written(server)
    for _ in range(3):
        assert _check(officer).status_code == 200
    assert _written(server) == before


def test_without_javascript_the_saved_need_and_the_refused_form_show_the_findings(
    server: SharedServer, officer: httpx.Client
) -> None:
    token = csrf_token(officer.get("/needs/new"))
    refused = officer.post("/needs/new", data={**BRANDED, "trl_min": "12", "csrf_token": token})
    assert refused.status_code == 422
    assert "“Cisco” names a brand, product or supplier" in refused.text
    saved = officer.post("/needs/new", data={**BRANDED, "trl_min": "", "csrf_token": token})
    assert saved.status_code == 303
    page = officer.get(saved.headers["location"])
    assert "Check of the text" in page.text
    assert "“Cisco” names a brand, product or supplier" in page.text
    with httpx.Client(base_url=server.live.base_url, cookies={"lang": "en"}) as anonymous:
        assert "Check of the text" not in anonymous.get(saved.headers["location"]).text, (
            "advice for the writer"
        )
    edit = officer.get(saved.headers["location"] + "/edit")
    assert "“Cisco” names a brand, product or supplier" in edit.text
    assert re.search(
        r'<label class="ds-chip" data-wrap="wrap"><input type="checkbox" name="kpi_codes"', edit.text
    )
