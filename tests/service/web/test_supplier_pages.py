"""A supplier's pages over HTTP on a real server: register a solution (bad input is the form again
with each problem next to its field, nothing stored), change and withdraw it, another supplier refused
with nothing changed, forms without their CSRF token refused, and where the demand is (a table of the
matching needs and a chart by county drawn as SVG)."""

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from embeddings import Encoder
from service.config import Settings
from tests.api.conftest import SharedServer
from tests.support.accounts import add_person, csrf_token, signed_in_client
from tests.support.records import LEAK_NEED, LEAK_SOLUTION, WATER_LOSS, create
from tests.support.servers import ADMIN_TOKEN, start_server

pytestmark = pytest.mark.slow
LYTT, OTHER = "lars@lytt.no", "kari@annen.no"
VALID = {
    "title": LEAK_SOLUTION["title"],
    "description": LEAK_SOLUTION["description"],
    "language": "no",
    "trl": "7",
    "cpv_codes": "38421100, 72212000-4",
    "kpi_codes": WATER_LOSS,
    "regions_served": "03",
    "reference_municipalities": "0301",
    "status": "published",
}


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    directory = tmp_path_factory.mktemp("supplier-pages")
    shutil.copy(sqlite_template, directory / "innomatch.sqlite3")
    url = f"sqlite:///{directory / 'innomatch.sqlite3'}"
    settings = Settings(data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none")
    shared = SharedServer(live=start_server(settings, encoder), database_url=url)
    with shared.client() as admin:
        lytt = create(admin, "suppliers", name="Lytt AS", organisation_number="974760673")
        other = create(admin, "suppliers", name="Annen AS", organisation_number="923609016")
        create(admin, "needs", **LEAK_NEED, municipality_number="0301")
    add_person(url, LYTT, name="Lars Lytt", role="supplier", supplier_id=lytt["id"])
    add_person(url, OTHER, name="Kari Annen", role="supplier", supplier_id=other["id"])
    yield shared
    shared.live.stop()


@contextmanager
def _signed_in(server: SharedServer, email: str) -> Iterator[httpx.Client]:
    """Signed in, reading the pages in English (the words the assertions look for)."""
    with signed_in_client(server.live.base_url, email) as client:
        client.cookies.set("lang", "en")
        yield client


def _stored(server: SharedServer) -> dict[str, int]:
    """The rows of every table but the sessions (signing in adds one)."""
    return {name: count for name, count in server.counts().items() if name != "user_session"}


def _solutions(server: SharedServer) -> list[dict[str, Any]]:
    with server.client() as admin:
        items: list[dict[str, Any]] = admin.get("/api/v1/solutions", params={"limit": 100}).json()["items"]
        return items


def _register(client: httpx.Client, **fields: str) -> httpx.Response:
    form = client.get("/solutions/new")
    assert form.status_code == 200
    return client.post("/solutions/new", data={**fields, "csrf_token": csrf_token(form)})


def _registered(server: SharedServer, client: httpx.Client, title: str) -> int:
    saved = _register(client, **{**VALID, "title": title})
    assert saved.status_code == 303, saved.text
    [solution] = [item for item in _solutions(server) if item["title"] == title]
    assert saved.headers["location"] == f"/my/solutions?saved={solution['id']}"
    return int(solution["id"])


def test_bad_input_is_the_form_again_with_each_problem_next_to_its_field(server: SharedServer) -> None:
    before = _stored(server)
    with _signed_in(server, LYTT) as client:
        refused = _register(
            client,
            title="",
            description="1234",
            trl="12",
            cpv_codes="4800, 72212000",
            reference_municipalities="9999",
            kpi_codes="NO-SUCH-KPI",
            regions_served="99",
        )
    assert refused.status_code == 422
    page = refused.text
    for field, words in (
        ("title", "is empty"),
        ("description", "no letters"),
        ("trl", "at most 9"),
        ("cpv", "Not a CPV code: 4800."),
        ("references", "There is no municipality numbered “9999”"),
        ("kpis", "no U4SSC KPI with the code “NO-SUCH-KPI”"),
        ("regions", "There is no county numbered “99”"),
    ):
        found = re.search(rf'id="solution-{field}-error">([^<]*)<', page)
        assert found and words in found.group(1), (field, found and found.group(1))
        assert re.search(rf'aria-describedby="[^"]*solution-{field}-error"', page), field
    assert 'value="4800, 72212000"' in page, "what was typed is kept"
    assert _stored(server) == before, "nothing stored"


def test_a_supplier_registers_changes_and_withdraws_a_solution(server: SharedServer) -> None:
    with _signed_in(server, LYTT) as client:
        solution_id = _registered(server, client, "Lyttelogger for vannverk")
        listed = client.get(f"/my/solutions?saved={solution_id}")
        assert listed.status_code == 200
        assert "“Lyttelogger for vannverk” has been saved." in listed.text
        assert f'href="/solutions/{solution_id}/edit"' in listed.text
        assert 'aria-current="page">My solutions<' in listed.text, "the header's link for suppliers"
        [stored] = [item for item in _solutions(server) if item["id"] == solution_id]
        assert stored["cpv_codes"] == ["38421100", "72212000"] and stored["trl"] == 7
        assert stored["kpi_codes"] == [WATER_LOSS] and stored["regions_served"] == ["03"]

        edit = client.get(f"/solutions/{solution_id}/edit")
        assert edit.status_code == 200 and 'value="Lyttelogger for vannverk"' in edit.text
        changed = client.post(
            f"/solutions/{solution_id}/edit",
            data={**VALID, "title": "Lyttelogger 2", "status": "draft", "csrf_token": csrf_token(edit)},
        )
        assert changed.status_code == 303
        assert client.get(f"/solutions/{solution_id}").status_code == 200, "its supplier sees the draft"

        withdrawn = client.post(f"/solutions/{solution_id}/withdraw", data={"csrf_token": csrf_token(listed)})
        assert withdrawn.status_code == 303
        assert withdrawn.headers["location"] == f"/my/solutions?withdrawn={solution_id}"
        assert "has been withdrawn" in client.get(withdrawn.headers["location"]).text
    [stored] = [item for item in _solutions(server) if item["id"] == solution_id]
    assert stored["title"] == "Lyttelogger 2" and stored["status"] == "archived"


def test_cpv_codes_are_chosen_by_the_names_of_their_divisions(server: SharedServer) -> None:
    with _signed_in(server, LYTT) as client:
        form = client.get("/solutions/new")
        assert re.search(
            r'<input[^>]*name="cpv_divisions" value="90000000"[^>]*>\s*<label[^>]*>'
            r"Sewage, refuse, cleaning and environmental services",
            form.text,
        )
        fields = {**VALID, "title": "Lekkasjekart", "cpv_codes": "38421100, 90000000-7"}
        saved = client.post(
            "/solutions/new",
            data={**fields, "cpv_divisions": ["90000000", "48000000"], "csrf_token": csrf_token(form)},
        )
        assert saved.status_code == 303, saved.text
        [stored] = [item for item in _solutions(server) if item["title"] == "Lekkasjekart"]
        assert stored["cpv_codes"] == ["90000000", "48000000", "38421100"], "ticked first, each once"

        edit = client.get(f"/solutions/{stored['id']}/edit").text
        ticked = re.findall(r'name="cpv_divisions" value="(\d+)" checked', edit)
        assert ticked == ["48000000", "90000000"]
        assert re.search(r'id="solution-cpv" name="cpv_codes" type="text" value="38421100"', edit)
        shown = client.get(f"/solutions/{stored['id']}").text
        assert '<span class="code">38421100</span> in Laboratory, optical and precision equipments' in shown


def test_another_supplier_is_refused_and_nothing_changes(server: SharedServer) -> None:
    with _signed_in(server, LYTT) as owner:
        solution_id = _registered(server, owner, "Lytts egen løsning")
    before = _stored(server)
    with _signed_in(server, OTHER) as other:
        token = csrf_token(other.get("/solutions/new"))
        page = other.get(f"/solutions/{solution_id}/edit")
        assert page.status_code == 403 and "belongs to another supplier" in page.text
        for path, data in (
            (f"/solutions/{solution_id}/edit", {**VALID, "title": "Kapret"}),
            (f"/solutions/{solution_id}/withdraw", {}),
        ):
            refused = other.post(path, data={**data, "csrf_token": token})
            assert refused.status_code == 403, path
        assert other.get(f"/my/solutions/{solution_id}/demand").status_code == 403
        assert "Lytts egen løsning" not in other.get("/my/solutions").text
    [stored] = [item for item in _solutions(server) if item["id"] == solution_id]
    assert stored["title"] == "Lytts egen løsning" and stored["status"] == "published"
    assert _stored(server) == before


def test_forms_without_their_csrf_token_are_refused(server: SharedServer) -> None:
    before = _stored(server)
    with _signed_in(server, LYTT) as client:
        assert client.post("/solutions/new", data=VALID).status_code == 403
        assert client.post("/solutions/new", data={**VALID, "csrf_token": "forged"}).status_code == 403
    assert _stored(server) == before


def test_the_pages_ask_to_sign_in_and_are_for_suppliers(server: SharedServer) -> None:
    with httpx.Client(base_url=server.live.base_url, timeout=30, cookies={"lang": "en"}) as anonymous:
        for path in ("/my/solutions", "/solutions/new"):
            answer = anonymous.get(path)
            assert answer.status_code == 303 and answer.headers["location"] == f"/login?next={path}"
        assert "My solutions" not in anonymous.get("/").text
    add_person(server.database_url, "ola@ks.no", name="Ola Staff", role="staff")
    with _signed_in(server, "ola@ks.no") as staff:
        assert staff.get("/solutions/new").status_code == 403


def test_the_demand_page_lists_the_matching_needs_and_charts_them_by_county(server: SharedServer) -> None:
    with _signed_in(server, LYTT) as client:
        solution_id = _registered(server, client, "Lekkasjesøk med lyttelogger i Oslo")
        own = client.get(f"/solutions/{solution_id}")
        assert f'href="/my/solutions/{solution_id}/demand"' in own.text
        demand = client.get(f"/my/solutions/{solution_id}/demand")
    assert demand.status_code == 200
    page = demand.text
    assert LEAK_NEED["title"] in page and "Oslo" in page and WATER_LOSS in page
    chart = re.search(r"<svg [^>]*role=\"img\"[^>]*>(.*?)</svg>", page, re.DOTALL)
    assert chart, "the chart by county"
    assert '<title id="chart-title">Matching needs by county</title>' in chart.group(1)
    assert re.search(r'<rect class="demand-chart__bar"[^>]*width="210', chart.group(1)), "the longest bar"
    assert re.search(r'<th scope="row">Oslo</th><td class="number"[^>]*>1</td>', page), (
        "the same numbers in a table"
    )


def test_a_supplier_sees_the_contracts_it_won_by_award_notices(server: SharedServer) -> None:
    notice = Path(__file__).resolve().parents[2] / "notices" / "samples" / "can_24_maximal.xml"
    with server.client() as admin:
        winner = create(admin, "suppliers", name="The best App", organisation_number="928374653")
        imported = admin.post(
            "/api/v1/notices/import", files=[("files", (notice.name, notice.read_bytes(), "application/xml"))]
        )
        assert imported.status_code == 200, imported.text
    add_person(
        server.database_url, "app@best.example", name="Best App", role="supplier", supplier_id=winner["id"]
    )
    with _signed_in(server, "app@best.example") as client:
        page = client.get("/my/solutions")
        assert page.status_code == 200
        assert "Contracts won" in page.text and "Procurement Title ---" in page.text
    with _signed_in(server, LYTT) as client:
        assert "Contracts won" not in client.get("/my/solutions").text
