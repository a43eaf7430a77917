"""The KPI import page over a real server on a copy of the demo data: a file with one bad row shows that
row's error and writes nothing; the fixed file is previewed (nothing written yet), then imported on
confirmation, and Stavanger's KPI page changes; a confirmation whose text was altered is refused;
officers and suppliers are refused, anonymous readers sent to sign in. An SSB JSON-stat2 file is read by
the shipped mapping for its table (or the one chosen), previewed with its missing cells and skipped
regions, and imported with the mapping's source; a bad cell is named by its table and dimensions."""

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

import httpx
import pytest

from embeddings import Encoder
from service.config import Settings
from tests.api.conftest import SharedServer
from tests.support.accounts import add_person, csrf_token, signed_in_client
from tests.support.servers import ADMIN_TOKEN, start_server

pytestmark = pytest.mark.slow
STAFF, OFFICER = "stine@innomatch.no", "kari@stavanger.kommune.no"
STAVANGER = "1103"
HEADER = "municipality_number,kpi_code,data_point,year,value,unit,source\n"
BAND = re.compile(r'<rect class="kpi-chart__bar band-(\d)')


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    directory = tmp_path_factory.mktemp("kpi-import-page")
    shutil.copy(demo_template, directory / "innomatch.sqlite3")
    url = f"sqlite:///{directory / 'innomatch.sqlite3'}"
    settings = Settings(data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none")
    shared = SharedServer(live=start_server(settings, encoder), database_url=url)
    add_person(url, STAFF, name="Stine Stab", role="staff")
    add_person(url, OFFICER, name="Kari Nordmann", role="officer", municipality_number=STAVANGER)
    yield shared
    shared.live.stop()


def _weak_kpi(server: SharedServer) -> dict[str, object]:
    """A KPI of Stavanger's far from its target (band 1 or 2), whose target an import can meet."""
    with server.client() as admin:
        standings = admin.get(f"/api/v1/municipalities/{STAVANGER}/kpis").json()
    weak = [
        s for s in standings if s["band"] in (1, 2) and s["target"] and s["direction"] == "+" and s["unit"]
    ]
    assert weak, "the demo data has a weak KPI with a target"
    return dict(weak[0])


def _upload(client: httpx.Client, text: str) -> httpx.Response:
    form = client.get("/kpis/import")
    return client.post(
        "/kpis/import",
        data={"csrf_token": csrf_token(form)},
        files={"file": ("kpis.csv", text.encode("utf-8"), "text/csv")},
    )


def _confirm_fields(preview: httpx.Response) -> dict[str, str]:
    html = preview.text
    content = re.search(r'name="content" value="([^"]*)"', html)
    digest = re.search(r'name="digest" value="([^"]*)"', html)
    assert content and digest, "the preview carries the file to confirm"
    return {
        "csrf_token": csrf_token(preview),
        "content": unescape(content.group(1)),
        "digest": digest.group(1),
    }


def test_a_bad_row_writes_nothing_and_the_fixed_file_imports(server: SharedServer) -> None:
    kpi = _weak_kpi(server)
    year = date.today().year
    good = f"{STAVANGER},{kpi['kpi_code']},{kpi['data_point']},{year},{kpi['target']},{kpi['unit']},Test import\n"
    bad = f"{STAVANGER},{kpi['kpi_code']},{kpi['data_point']},{year - 1},lots,{kpi['unit']},Test import\n"
    before = server.counts()["kpi_observation"]
    with signed_in_client(server.live.base_url, STAFF) as staff:
        refused = _upload(staff, HEADER + good + bad)
        assert refused.status_code == 422
        [problem] = re.findall(r'<tr class="import-problem">(.*?)</tr>', refused.text, re.S)
        assert '">3</td>' in problem and '">value</td>' in problem, problem
        assert "Nothing was imported" in refused.text and 'name="digest"' not in refused.text
        assert server.counts()["kpi_observation"] == before, "nothing written"
        chart_before = BAND.findall(staff.get(f"/municipalities/{STAVANGER}").text)

        preview = _upload(staff, HEADER + good)
        assert preview.status_code == 200 and "1 new and 0 changed observations" in preview.text
        assert server.counts()["kpi_observation"] == before, "a preview writes nothing"
        fields = _confirm_fields(preview)
        forged = staff.post(
            "/kpis/import/confirm",
            files={"x": ("", b"")},
            data={**fields, "content": fields["content"] + good.replace("Test", "Forged")},
        )
        assert forged.status_code == 409 and server.counts()["kpi_observation"] == before

        imported = staff.post("/kpis/import/confirm", data=fields, files={"x": ("", b"")})
        assert imported.status_code == 200, imported.text
        assert "Imported: 1 new, 0 changed, 0 unchanged" in imported.text
        assert f'href="/municipalities/{STAVANGER}"' in imported.text
        assert server.counts()["kpi_observation"] == before + 1
        chart_after = BAND.findall(staff.get(f"/municipalities/{STAVANGER}").text)
    assert chart_after != chart_before, "the gap view changed"
    assert chart_after.count("4") == chart_before.count("4") + 1, "the KPI now meets its target"


def test_a_form_without_its_token_stores_nothing(server: SharedServer) -> None:
    kpi = _weak_kpi(server)
    with signed_in_client(server.live.base_url, STAFF) as staff:
        sent = staff.post("/kpis/import", files={"file": ("kpis.csv", HEADER.encode(), "text/csv")})
        assert sent.status_code == 403
        too_big = staff.post(
            "/kpis/import",
            data={"csrf_token": csrf_token(staff.get("/kpis/import"))},
            files={"file": ("kpis.csv", b"x" * (2 * 1024 * 1024 + 1), "text/csv")},
        )
        assert too_big.status_code == 413
    assert kpi


@pytest.mark.parametrize("path", ["/kpis/import"])
def test_only_staff_and_administrators_import(server: SharedServer, path: str) -> None:
    with httpx.Client(base_url=server.live.base_url) as anonymous:
        sent = anonymous.get(path)
        assert sent.status_code == 303 and sent.headers["location"] == f"/login?next={path}"
    with signed_in_client(server.live.base_url, OFFICER) as officer:
        assert officer.get(path).status_code == 403
        token = csrf_token(officer.get("/profile"))
        posted = officer.post(
            path, data={"csrf_token": token}, files={"file": ("k.csv", HEADER.encode(), "text/csv")}
        )
        assert posted.status_code == 403


SSB_FIXTURE = Path(__file__).parents[1] / "kpis" / "fixtures" / "10540_unemployment.json"
SSB_SOURCE = "SSB table 10540: Registered unemployed 15-74 years, per cent of the labour force"


def _ssb_answer(**changes: object) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(SSB_FIXTURE.read_text(encoding="utf-8"))
    return {**answer, **changes}


def _upload_json(client: httpx.Client, answer: object, mapping: str = "") -> httpx.Response:
    form = client.get("/kpis/import")
    return client.post(
        "/kpis/import",
        data={"csrf_token": csrf_token(form), "mapping": mapping},
        # the name says CSV: a JSON-stat file is known by its content
        files={"file": ("download.csv", json.dumps(answer).encode("utf-8"), "application/octet-stream")},
    )


def _observations(server: SharedServer, source: str) -> list[tuple[str, int, float]]:
    with sqlite3.connect(server.database_url.removeprefix("sqlite:///")) as db:
        rows = db.execute(
            "SELECT municipality_number, year, value FROM kpi_observation WHERE kpi_code = 'EC-P-EM-1C' "
            "AND source = ? ORDER BY municipality_number, year",
            (source,),
        ).fetchall()
    return [(str(number), int(year), float(value)) for number, year, value in rows]


def test_an_ssb_json_stat_file_is_previewed_with_its_skipped_cells_and_imported(
    server: SharedServer,
) -> None:
    before = server.counts()["kpi_observation"]
    with signed_in_client(server.live.base_url, STAFF) as staff:
        assert "Mapping (for SSB files)" in staff.get("/kpis/import").text
        preview = _upload_json(staff, _ssb_answer())
        assert preview.status_code == 200, preview.text
        text = " ".join(unescape(preview.text).split())
        assert "What the import will change" in text
        assert "10540" in text and SSB_SOURCE in text, "names the mapping chosen by the file's table id"
        assert "1 cell had no value" in text, "counts the cell without a value (Stavanger 2023)"
        assert '<span class="skipped-regions">0</span>' in preview.text, "the country is skipped"
        for number in ("0301", "1103", "4601", "5001"):
            assert f"({number})</caption>" in preview.text
        assert server.counts()["kpi_observation"] == before, "a preview writes nothing"
        fields = _confirm_fields(preview)
        assert fields["content"].startswith("municipality_number,kpi_code,year,value,unit,source")
        imported = staff.post("/kpis/import/confirm", data=fields, files={"x": ("", b"")})
        assert imported.status_code == 200, imported.text
    stored = _observations(server, SSB_SOURCE)
    assert stored == [
        ("0301", 2022, 2.4),
        ("0301", 2023, 2.5),
        ("1103", 2022, 1.9),
        ("4601", 2022, 1.6),
        ("4601", 2023, 1.7),
        ("5001", 2022, 1.7),
        ("5001", 2023, 1.8),
    ]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ("year", "table 10540, Region K-0301, ContentsCode Arbeidsledige2, Tid 1985: "),
        (
            "value",
            "table 10540, Region K-0301, ContentsCode Arbeidsledige2, Tid 2023: EC-P-EM-1C: a percentage",
        ),
    ],
)
def test_an_ssb_file_with_a_bad_cell_names_it_and_writes_nothing(
    server: SharedServer, change: str, named: str
) -> None:
    answer = _ssb_answer()
    if change == "year":  # observations start in 1990
        answer["dimension"]["Tid"]["category"] = {
            "index": {"1985": 0, "2023": 1},
            "label": {"1985": "1985", "2023": "2023"},
        }
    else:  # no percentage above 100
        answer["value"] = [*answer["value"][:3], 250.0, *answer["value"][4:]]
    before = server.counts()["kpi_observation"]
    with signed_in_client(server.live.base_url, STAFF) as staff:
        refused = _upload_json(staff, answer)
    assert refused.status_code == 422
    problems = [
        unescape(row) for row in re.findall(r'<tr class="import-problem">(.*?)</tr>', refused.text, re.S)
    ]
    assert any(named in problem for problem in problems), problems
    assert 'name="digest"' not in refused.text
    assert server.counts()["kpi_observation"] == before, "nothing written"


def test_an_ssb_file_of_an_unknown_table_asks_for_a_mapping(server: SharedServer) -> None:
    answer = _ssb_answer(label="99999: Noe annet")
    answer["extension"] = {"px": {"tableid": "99999"}}
    unlabelled = _ssb_answer(label="Registrerte arbeidsledige")
    unlabelled.pop("extension")
    with signed_in_client(server.live.base_url, STAFF) as staff:
        unknown = _upload_json(staff, answer)
        no_table = _upload_json(staff, unlabelled)
        chosen = _upload_json(staff, unlabelled, mapping="unemployment_10540")
        other = _upload_json(staff, answer, mapping="unemployment_10540")
    assert unknown.status_code == 422
    assert "99999" in _mapping_error(unknown)
    assert 'aria-describedby="import-mapping-hint import-mapping-error"' in unknown.text
    assert no_table.status_code == 422 and 'id="import-mapping-error"' in no_table.text
    assert chosen.status_code == 200 and 'name="digest"' in chosen.text, "a chosen mapping reads the file"
    assert other.status_code == 422
    assert "99999" in _mapping_error(other) and "10540" in _mapping_error(other)


def _mapping_error(page: httpx.Response) -> str:
    error = re.search(r'<p class="ds-validation-message"[^>]*id="import-mapping-error">(.*?)</p>', page.text)
    assert error, page.text
    return unescape(error.group(1))


@pytest.mark.parametrize(
    "body",
    [b'{"class": "collection", "link": {}}', b"[1, 2]", b'{"class": "dataset", '],
)
def test_json_that_is_no_json_stat_dataset_is_refused_plainly(server: SharedServer, body: bytes) -> None:
    with signed_in_client(server.live.base_url, STAFF) as staff:
        form = staff.get("/kpis/import")
        refused = staff.post(
            "/kpis/import",
            data={"csrf_token": csrf_token(form)},
            files={"file": ("table.json", body, "application/json")},
        )
    assert refused.status_code == 422
    assert "JSON-stat2" in unescape(refused.text) and 'name="digest"' not in refused.text


def _problem_cells(page: httpx.Response) -> list[tuple[str, str, str]]:
    rows = re.findall(r'<tr class="import-problem">(.*?)</tr>', page.text, re.S)
    return [tuple(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)) for row in rows]  # type: ignore[misc]


def test_a_file_s_problems_are_named_in_bokmal_and_in_english_on_request(server: SharedServer) -> None:
    kpi = _weak_kpi(server)
    year = date.today().year
    rows = (
        f"{STAVANGER},{kpi['kpi_code']},{kpi['data_point']},{year},lots,{kpi['unit']},Test import\n"
        f"9999,{kpi['kpi_code']},{kpi['data_point']},{year},1,{kpi['unit']},Test import\n"
        f"{STAVANGER},{kpi['kpi_code']},{kpi['data_point']},{year - 1},{kpi['target']},kg,Test import\n"
    )
    without_unit = HEADER.replace(",unit", "") + "1103,EN-1,,2024,1,Test\n"
    with signed_in_client(server.live.base_url, STAFF) as staff:
        staff.cookies.set("lang", "nb")
        columns = _upload(staff, without_unit)
        bad_number = _upload(staff, HEADER + rows.splitlines(keepends=True)[0])
        references = _upload(staff, HEADER + "".join(rows.splitlines(keepends=True)[1:]))
        empty = _upload(staff, HEADER)
        staff.cookies.set("lang", "en")
        columns_en = _upload(staff, without_unit)
        bad_number_en = _upload(staff, HEADER + rows.splitlines(keepends=True)[0])
    assert columns.status_code == 422
    [(line, _, problem)] = _problem_cells(columns)
    assert line == "1" and problem.startswith("mangler kolonne(r) unit; forventet municipality_number"), (
        problem
    )
    [(_, _, problem_en)] = _problem_cells(columns_en)
    assert problem_en.startswith("missing column(s) unit; expected municipality_number"), problem_en
    [(line, column, problem)] = _problem_cells(bad_number)
    assert (line, column) == ("2", "value")
    assert problem == "Verdien må være et tall, ikke «lots».", problem
    [(_, _, problem_en)] = _problem_cells(bad_number_en)
    assert problem_en == "The value must be a number, not “lots”.", problem_en
    found = {cells[1]: cells[2] for cells in _problem_cells(references)}
    assert found["municipality_number"] == "det finnes ingen kommune med nummer 9999", found
    assert found["unit"].startswith(f"{kpi['kpi_code']} er ") and "kg" in found["unit"], found
    assert "this KPI" not in references.text and "unknown municipality" not in references.text
    [(_, _, problem)] = _problem_cells(empty)
    assert problem == "filen har en overskriftslinje, men ingen observasjoner"
