"""KPI suggestions over HTTP with the real encoder: POST /api/v1/kpis/suggest, and the suggested KPIs every
need and solution answers with."""

from typing import Any

import httpx
import pytest

from tests.support.records import LEAK_SOLUTION, WATER_LOSS, create
from tests.support.servers import LiveServer

LEAK_TEXT = (
    "Vi mister en tredjedel av drikkevannet i lekkasjer fra gamle vannledninger før det når abonnentene."
)
UNTAGGED_LEAK_NEED = {"title": "Vanntap i ledningsnettet", "description": LEAK_TEXT}
AIR_TEXT = (
    "Luftkvaliteten langs hovedveiene er dårlig om vinteren: svevestøv fra piggdekk og vedfyring gir høye "
    "målinger av PM10 og NO2, og vi trenger bedre varsling og tiltak."
)


def _suggested_codes(body: dict[str, Any]) -> list[str]:
    return [item["code"] for item in body["suggested_kpis"]]


# -- POST /api/v1/kpis/suggest --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        LEAK_TEXT,
        "Our water network loses about a third of the treated drinking water to leaks before it reaches homes.",
    ],
)
def test_a_water_loss_text_has_the_water_loss_kpi_among_its_three(demo_server: LiveServer, text: str) -> None:
    with demo_server.client(token=None) as anonymous:  # public data only: no token needed
        response = anonymous.post("/api/v1/kpis/suggest", json={"text": text})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["warnings"] == []
    items = body["items"]
    assert len(items) == 3
    assert WATER_LOSS in [item["code"] for item in items]
    assert {item["code"]: item["name"] for item in items}[WATER_LOSS] == "Water Supply Loss"
    confidences = [item["confidence"] for item in items]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 < confidence <= 1 for confidence in confidences) and sum(confidences) <= 1.0001
    assert all(item["name_no"] for item in items)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"text": ""}, "at least 1 character"),
        ({"text": "   "}, "at least 1 character"),
        ({"text": "12 345 !!"}, "no letters"),
        ({"text": "💧💧"}, "no letters"),
        ({}, "Field required"),
        ({"text": 42}, "valid string"),
    ],
)
def test_a_text_without_words_is_refused_naming_the_field(
    demo_server: LiveServer, body: dict[str, Any], message: str
) -> None:
    with demo_server.client(token=None) as anonymous:
        response = anonymous.post("/api/v1/kpis/suggest", json=body)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "text"]
    assert message in error["msg"]


def test_a_text_in_another_language_is_answered_with_a_warning(demo_server: LiveServer) -> None:
    swedish = (
        "Vi förlorar en tredjedel av dricksvattnet genom läckor i gamla ledningar innan det når hushållen, "
        "och kommunen behöver hitta läckorna snabbare."
    )
    with demo_server.client(token=None) as anonymous:
        body = anonymous.post("/api/v1/kpis/suggest", json={"text": swedish}).json()
    assert len(body["items"]) == 3
    assert [warning["code"] for warning in body["warnings"]] == ["language-not-served"]


def test_asking_for_suggestions_writes_nothing_to_the_audit_trail(demo_server: LiveServer) -> None:
    with demo_server.client() as admin:
        before = admin.get("/api/v1/audit", params={"limit": 1}).json()["total"]
        assert admin.post("/api/v1/kpis/suggest", json={"text": LEAK_TEXT}).status_code == 200
        assert admin.get("/api/v1/audit", params={"limit": 1}).json()["total"] == before


# -- on needs and solutions -----------------------------------------------------------------------------


def test_a_need_answers_its_suggested_kpis_and_keeps_them_until_its_text_changes(api: httpx.Client) -> None:
    need = create(api, "needs", **UNTAGGED_LEAK_NEED)
    assert need["kpi_codes"] == []
    assert len(need["suggested_kpis"]) == 3
    assert WATER_LOSS in _suggested_codes(need)
    assert set(need["suggested_kpis"][0]) == {"code", "confidence"}
    assert api.get(f"/api/v1/needs/{need['id']}").json()["suggested_kpis"] == need["suggested_kpis"]
    listed = api.get("/api/v1/needs").json()["items"]
    assert [item["suggested_kpis"] for item in listed if item["id"] == need["id"]] == [need["suggested_kpis"]]

    closed = api.patch(f"/api/v1/needs/{need['id']}", json={"status": "closed"}).json()
    assert closed["suggested_kpis"] == need["suggested_kpis"]  # the text did not change

    rewritten = api.patch(f"/api/v1/needs/{need['id']}", json={"description": AIR_TEXT}).json()
    assert WATER_LOSS not in _suggested_codes(rewritten)
    assert any(code.startswith("EN-EN-AQ") for code in _suggested_codes(rewritten))  # air quality


def test_a_solution_answers_its_suggested_kpis_beside_the_ones_its_supplier_chose(api: httpx.Client) -> None:
    solution = create(api, "solutions", **LEAK_SOLUTION)
    assert solution["kpi_codes"] == [WATER_LOSS]
    assert len(solution["suggested_kpis"]) == 3
    assert (
        api.get(f"/api/v1/solutions/{solution['id']}").json()["suggested_kpis"] == solution["suggested_kpis"]
    )


def test_a_match_says_which_kpi_was_suggested_from_the_need_s_text(api: httpx.Client) -> None:
    """The need has no KPI codes; the supplier tagged the solution with water loss."""
    need = create(api, "needs", **UNTAGGED_LEAK_NEED)
    solution = create(api, "solutions", **LEAK_SOLUTION)
    assert WATER_LOSS in _suggested_codes(need)
    matches = api.get(f"/api/v1/needs/{need['id']}/matches").json()["items"]
    [match] = [item for item in matches if item["solution"]["id"] == solution["id"]]
    explanation = match["explanation"]
    assert explanation["contributions"]["suggested_kpis"] > 0
    assert explanation["shared_kpi_codes"] == []
    assert [(kpi["code"], kpi["suggested_for"]) for kpi in explanation["suggested_kpis"]] == [
        (WATER_LOSS, ["need"])
    ]
    assert (
        f"KPI suggested from the text, not chosen: {WATER_LOSS} Water Supply Loss (from the need's text)"
        in explanation["summary"]
    )
    assert "ikke valgt" in explanation["summary_no"]
