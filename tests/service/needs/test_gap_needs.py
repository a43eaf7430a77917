"""Needs generated from KPI gaps: bilingual, with evidence, idempotent, respectful of officers' edits."""

import httpx

from embeddings import Encoder
from service.config import Settings
from tests.support.records import WATER_LOOKALIKES_EN, WATER_LOOKALIKES_NO
from tests.support.servers import start_server

METERS = {"5001": 10.0, "1103": 80.0, "4601": 60.0, "0301": 70.0, "4204": 25.0, "1804": 90.0}


def _observe(api: httpx.Client, rows: list[tuple[str, str, float, int]]) -> None:
    batch = [
        {
            "municipality_number": number,
            "kpi_code": code,
            "year": year,
            "value": value,
            "unit": "%",
            "source": "Testkilde",
            "synthetic": code == "EC-ICT-WS-1C",
        }
        for number, code, value, year in rows
    ]
    response = api.post("/api/v1/kpi-observations", json={"observations": batch})
    assert response.status_code == 200, response.text


def _generate(api: httpx.Client, number: str = "5001") -> dict[str, list[object]]:
    response = api.post(f"/api/v1/municipalities/{number}/needs/generate")
    assert response.status_code == 200, response.text
    report: dict[str, list[object]] = response.json()
    return report


def test_generation_is_idempotent_and_keeps_officers_edits(api: httpx.Client) -> None:
    _observe(
        api,
        [(n, "EC-ICT-WS-1C", v, 2023) for n, v in METERS.items()]
        + [("5001", "EC-I-WS-3C", 62.5, 2023), ("5001", "EC-I-WS-3C", 40.0, 2021)],
    )
    first = _generate(api)
    assert len(first["created"]) == 2 and first["updated"] == first["left_alone"] == []
    gaps = {item["kpi_code"]: item for item in api.get("/api/v1/municipalities/5001/gaps").json()}
    water_id = gaps["EC-I-WS-3C"]["need_id"]
    meters_id = gaps["EC-ICT-WS-1C"]["need_id"]
    assert sorted(first["created"]) == sorted([water_id, meters_id])

    water = api.get(f"/api/v1/needs/{water_id}").json()
    assert water["origin"] == "kpi_gap" and water["language"] == "no" and water["kpi_codes"] == ["EC-I-WS-3C"]
    assert water["municipality_name"] == "Trondheim"
    for phrase in (
        "Vanntap i ledningsnettet",
        "62,5 %",
        "25 %",
        "2023",
        "bånd 2",
        "nasjonalt mål",
        "Testkilde",
        "blitt dårligere siden 2021",
    ):
        assert phrase in water["description"], phrase
    english = water["translations"]["en"]
    assert "Water Supply Loss" in english["title"] and "band 2" in english["description"]
    assert water["evidence"]["band"] == 2 and water["evidence"]["target_kind"] == "national"
    assert water["evidence"]["sdgs"] == [6] and "Bærekraftsmål: 6." in water["description"]
    assert water["evidence"]["link"] == "/api/v1/municipalities/5001/gaps"
    meters = api.get(f"/api/v1/needs/{meters_id}").json()
    assert (
        "syntetiske demodata" in meters["description"]
        and "synthetic demo data" in meters["translations"]["en"]["description"]
    )

    second = _generate(api)
    assert second["created"] == [] and sorted(second["unchanged"]) == sorted([water_id, meters_id])
    assert api.get("/api/v1/needs", params={"municipality": "5001"}).json()["total"] == 2

    _observe(api, [("5001", "EC-I-WS-3C", 70.0, 2023)])  # a changed value rewrites the text
    assert _generate(api)["updated"] == [water_id]
    assert "70 %" in api.get(f"/api/v1/needs/{water_id}").json()["description"]

    assert (
        api.patch(f"/api/v1/needs/{water_id}", json={"title": "Vanntap: vår egen formulering"}).status_code
        == 200
    )
    assert api.patch(f"/api/v1/needs/{meters_id}", json={"status": "closed"}).status_code == 200
    _observe(api, [("5001", "EC-I-WS-3C", 75.0, 2023), ("5001", "EC-ICT-WS-1C", 5.0, 2023)])
    third = _generate(api)
    assert third["created"] == third["updated"] == []
    assert {item["need_id"]: item["reason"] for item in third["left_alone"]} == {
        water_id: "edited by an officer",
        meters_id: "closed by an officer",
    }
    assert api.get(f"/api/v1/needs/{water_id}").json()["title"] == "Vanntap: vår egen formulering"


def test_a_water_loss_gap_finds_leak_detection_first(api: httpx.Client) -> None:
    for title, description in [*WATER_LOOKALIKES_NO, *WATER_LOOKALIKES_EN]:
        api.post("/api/v1/solutions", json={"title": title, "description": description})
    leak = api.post(
        "/api/v1/solutions",
        json={
            "title": "Acoustic leak detection for water mains",
            "description": "Acoustic loggers on valves and hydrants pinpoint leaking pipes in the distribution network, cutting non-revenue water.",
            "kpi_codes": ["EC-I-WS-3C"],
        },
    ).json()
    _observe(api, [("5001", "EC-I-WS-3C", 62.5, 2023)])
    [need_id] = _generate(api)["created"]
    matches = api.get(f"/api/v1/needs/{need_id}/matches", params={"limit": 3}).json()["items"]
    assert matches[0]["solution"]["id"] == leak["id"]


def test_generation_needs_a_token_and_a_known_municipality(api: httpx.Client) -> None:
    assert api.post("/api/v1/municipalities/9999/needs/generate").status_code == 404
    assert httpx.post(f"{api.base_url}/api/v1/municipalities/5001/needs/generate").status_code == 401


def test_the_weak_bands_are_configurable(settings: Settings, encoder: Encoder) -> None:
    server = start_server(settings.model_copy(update={"gap_max_band": 1}), encoder)
    try:
        with server.client() as api:
            _observe(api, [("5001", "EC-I-WS-3C", 62.5, 2023)])  # band 2 against the national 25 % target
            assert api.get("/api/v1/municipalities/5001/gaps").json() == []
            assert _generate(api)["created"] == []
            _observe(api, [("5001", "EC-I-WS-3C", 80.0, 2023)])  # 31 % of target: band 1
            assert [item["band"] for item in api.get("/api/v1/municipalities/5001/gaps").json()] == [1]
            assert len(_generate(api)["created"]) == 1
    finally:
        server.stop()
