"""The open-data files (GET /api/v1/open-data/{needs|solutions|kpi-gaps}.{csv|jsonl}) through a live
server on SQLite and PostgreSQL: every file parses back, names its licence, streams, and never holds a
contact person, a draft or feedback; unknown files are a 404 that names the files there are."""

import csv
import io
import json
from typing import Any

import httpx
import pytest

from service.config import Settings
from service.db import make_engine, make_session_factory
from service.open_data import service as open_data
from tests.support.records import LEAK_NEED, LEAK_SOLUTION, WATER_LOSS, create, observe

FILES = [f"{name}.{kind}" for name in ("needs", "solutions", "kpi-gaps") for kind in ("csv", "jsonl")]
CONTACT_EMAIL = "open.data.kontakt.5521@bodo.kommune.no"
CONTACT_NAME = "Ola Opendata"
DRAFT_TITLE = "Utkast som ikke er publisert 8812"
NLOD = '<https://data.norge.no/nlod/no/2.0>; rel="license"'


def parsed(name: str, content: bytes) -> list[dict[str, Any]]:
    """The rows of a file, as a harvester reads them: CSV by its header row, JSON Lines line by line."""
    if name.endswith(".csv"):
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    return [json.loads(line) for line in content.decode("utf-8").splitlines()]


def _records(api: httpx.Client) -> dict[str, Any]:
    need = create(
        api,
        "needs",
        **LEAK_NEED,
        language="no",
        municipality_number="1804",
        contact_name=CONTACT_NAME,
        contact_email=CONTACT_EMAIL,
    )
    supplier = create(api, "suppliers", name="Lyttelogg AS", organisation_number="974760673")
    published = create(api, "solutions", **LEAK_SOLUTION, supplier_id=supplier["id"])
    create(api, "solutions", title=DRAFT_TITLE, description="Ikke ferdig ennå.", status="draft")
    feedback = api.post(
        f"/api/v1/needs/{need['id']}/feedback", json={"solution_id": published["id"], "verdict": "not_useful"}
    )
    assert feedback.status_code == 201, feedback.text
    # Bodø loses far more water than its peers: a gap, and a need generated from it.
    observe(api, [("1804", 48.0, 2023), ("5001", 20.0, 2023), ("1103", 22.0, 2023), ("4601", 18.0, 2023)])
    observe(api, [("0301", 21.0, 2023), ("4204", 19.0, 2023), ("1804", 44.0, 2022)])
    generated = api.post("/api/v1/municipalities/1804/needs/generate")
    assert generated.status_code == 200, generated.text
    return {"need": need, "published": published, "generated": generated.json()["created"]}


def test_every_file_is_public_data_with_its_licence(api: httpx.Client) -> None:
    records = _records(api)
    for name in FILES:
        response = api.get(f"/api/v1/open-data/{name}")  # with the admin's token: still only public data
        assert response.status_code == 200, (name, response.text)
        assert response.headers["link"] == NLOD
        disposition = response.headers["content-disposition"]
        assert disposition.startswith(f'attachment; filename="innomatch-{name.split(".")[0]}-')
        assert disposition.endswith(f'.{name.split(".")[1]}"')
        assert "content-length" not in response.headers  # streamed as it is read
        for secret in (CONTACT_EMAIL, CONTACT_NAME, DRAFT_TITLE, "not_useful", "contact"):
            assert secret.encode() not in response.content, (name, secret)
        assert parsed(name, response.content), name

    needs = {
        int(row["id"]): row for row in parsed("needs.csv", api.get("/api/v1/open-data/needs.csv").content)
    }
    mine = needs[records["need"]["id"]]
    assert mine["title"] == LEAK_NEED["title"] and mine["municipality_name"] == "Bodø"
    assert mine["county_number"] == "18" and mine["kpi_codes"] == WATER_LOSS and mine["synthetic"] == "false"
    assert mine["url"].endswith(f"/needs/{records['need']['id']}")
    assert set(records["generated"]) <= set(needs)

    lines = parsed("needs.jsonl", api.get("/api/v1/open-data/needs.jsonl").content)
    generated = next(line for line in lines if line["id"] in records["generated"])
    assert generated["origin"] == "kpi_gap" and generated["kpi_codes"] == [WATER_LOSS]
    assert generated["evidence"]["value"] == 48.0 and "contact_email" not in generated

    solutions = parsed("solutions.jsonl", api.get("/api/v1/open-data/solutions.jsonl").content)
    assert [row["id"] for row in solutions] == [records["published"]["id"]]
    assert solutions[0]["supplier_name"] == "Lyttelogg AS" and solutions[0]["synthetic"] is False

    gaps = parsed("kpi-gaps.jsonl", api.get("/api/v1/open-data/kpi-gaps.jsonl").content)
    bodo = next(row for row in gaps if row["municipality_number"] == "1804")
    assert (bodo["kpi_code"], bodo["value"], bodo["year"], bodo["unit"]) == (WATER_LOSS, 48.0, 2023, "%")
    assert (
        bodo["source"] == "SSB testtabell"
        and bodo["band"] in (1, 2)
        and bodo["need_id"] in records["generated"]
    )
    assert bodo["trend"] == "improving" or bodo["trend"] == "worsening"
    assert {row["municipality_number"] for row in gaps} == {"1804"}  # the peers meet the target


def test_a_file_is_read_a_page_at_a_time(
    api: httpx.Client, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages of two rows: every need once, in order, each page a short query of its own."""
    ids = [create(api, "needs", **LEAK_NEED, language="no")["id"] for _ in range(5)]
    monkeypatch.setattr(open_data, "PAGE_ROWS", 2)
    engine = make_engine(settings.resolved_database_url)
    try:
        opened = open_data.open_file(
            sessions=make_session_factory(engine),
            name="needs.jsonl",
            base_url="https://x.example/",
            gap_max_band=2,
        )
        rows = parsed("needs.jsonl", b"".join(opened.chunks))
    finally:
        engine.dispose()
    assert [row["id"] for row in rows] == ids
    assert rows[0]["url"] == f"https://x.example/needs/{ids[0]}"


@pytest.mark.parametrize("name", ["needs.xml", "feedback.csv", "needs", "users.jsonl", "needs.csv.gz"])
def test_an_unknown_file_is_a_404_naming_the_files(api: httpx.Client, name: str) -> None:
    response = api.get(f"/api/v1/open-data/{name}")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert name in detail and "needs.csv" in detail and "kpi-gaps.jsonl" in detail
