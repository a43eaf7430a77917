"""One 422 names every wrong field of a write: those malformed and those referring to nothing stored."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.conftest import SharedServer
from tests.support.records import LEAK_NEED, LEAK_SOLUTION, OBSERVATION, WATER_LOSS, create, move, propose
from tests.support.records import SHORT_NEED as NEED
from tests.support.records import SHORT_SOLUTION as SOLUTION

OUTCOME = {"municipality_number": "1804", "kpi_code": WATER_LOSS, "year": 2025, "value": 24.0, "unit": "%"}


@pytest.fixture(scope="module")
def client(catalogue_server: SharedServer) -> Iterator[httpx.Client]:
    with catalogue_server.client() as client:
        yield client


def _wrong_fields(
    server: SharedServer, client: httpx.Client, method: str, path: str, body: Any
) -> set[tuple]:
    """The locations named by the one 422 `body` gets; every table is left as it was."""
    before = server.counts()
    response = client.request(method, path, json=body)
    assert response.status_code == 422, response.text
    assert server.counts() == before
    return {tuple(error["loc"]) for error in response.json()["detail"]}


def test_a_solution_with_wrong_shapes_and_unknown_references_is_told_everything_at_once(
    catalogue_server: SharedServer, client: httpx.Client
) -> None:
    body = {**SOLUTION, "trl": 12, "cpv_codes": ["abc"], "kpi_codes": ["NOPE"], "regions_served": ["99"]}
    response = client.post("/api/v1/solutions", json=body)
    assert response.status_code == 422, response.text
    messages = {tuple(error["loc"]): error["msg"] for error in response.json()["detail"]}
    assert set(messages) == {
        ("body", "trl"),
        ("body", "cpv_codes"),
        ("body", "kpi_codes", 0),
        ("body", "regions_served", 0),
    }
    assert messages[("body", "kpi_codes", 0)].startswith("unknown U4SSC KPI code 'NOPE'")
    assert messages[("body", "regions_served", 0)].startswith("unknown county number '99'")
    assert catalogue_server.counts()["solution"] == 0


@pytest.mark.parametrize(
    ("method", "path", "body", "locations"),
    [
        (
            "POST",
            "/api/v1/needs",
            {**NEED, "trl_min": 0, "municipality_number": "9999", "kpi_codes": ["ec-i-ws-3c", "NOPE"]},
            {("trl_min",), ("municipality_number",), ("kpi_codes", 1)},
        ),
        ("PATCH", "/api/v1/needs/1", {"title": "", "kpi_codes": ["NOPE"]}, {("title",), ("kpi_codes", 0)}),
        (
            "PATCH",
            "/api/v1/solutions/1",
            {"sdgs": [18], "supplier_id": 424242, "reference_municipalities": ["9999"]},
            {("sdgs", 0), ("supplier_id",), ("reference_municipalities", 0)},
        ),
        (
            "POST",
            "/api/v1/solutions/batch",
            {
                "items": [
                    SOLUTION,
                    {**SOLUTION, "trl": 12, "kpi_codes": ["NOPE"]},
                    {**SOLUTION, "title": "", "regions_served": ["50", "99"]},
                    "not a solution",
                ]
            },
            {
                ("items", 1, "trl"),
                ("items", 1, "kpi_codes", 0),
                ("items", 2, "title"),
                ("items", 2, "regions_served", 1),
                ("items", 3),
            },
        ),
        (
            "POST",
            "/api/v1/solutions/batch",
            {"items": [{**SOLUTION, "kpi_codes": ["NOPE"]}]},  # one item, well-formed: still in items
            {("items", 0, "kpi_codes", 0)},
        ),
        (
            "PATCH",
            "/api/v1/solutions/batch",
            {"items": [{"id": 1, "trl": 12}, {"id": 1, "kpi_codes": ["NOPE"]}]},
            {("items", 0, "trl"), ("items", 1, "id"), ("items", 1, "kpi_codes", 0)},
        ),
        (
            "POST",
            "/api/v1/kpi-observations",
            {
                "observations": [
                    OBSERVATION,
                    {**OBSERVATION, "year": 1800, "municipality_number": "9999", "kpi_code": "NOPE"},
                ]
            },
            {
                ("observations", 1, "year"),
                ("observations", 1, "municipality_number"),
                ("observations", 1, "kpi_code"),
            },
        ),
        (
            "POST",
            "/api/v1/partnerships",
            {"need_ids": [424242, 424242], "title": "", "lead_municipality_number": "9999"},
            {("title",), ("need_ids", 0), ("need_ids", 1), ("lead_municipality_number",)},
        ),
        (
            "PATCH",
            "/api/v1/partnerships/1",
            {"status": "won", "lead_municipality_number": "9999"},
            {("status",), ("lead_municipality_number",)},
        ),
        (
            "POST",
            "/api/v1/tokens",
            {"name": "", "role": "officer", "municipality_number": "9999"},
            {("name",), ("municipality_number",)},
        ),
    ],
)
def test_every_write_names_its_malformed_and_its_unknown_fields_in_one_answer(
    catalogue_server: SharedServer,
    client: httpx.Client,
    method: str,
    path: str,
    body: dict[str, Any],
    locations: set[tuple[str | int, ...]],
) -> None:
    named = _wrong_fields(catalogue_server, client, method, path, body)
    assert named == {("body", *location) for location in locations}


@pytest.fixture(scope="module")
def pilot(client: httpx.Client) -> dict[str, int]:
    """A partnership in pilot on a water-loss need in Bodø, one candidate, one outcome recorded (2024),
    and a partnership still proposed: their ids."""
    need = create(client, "needs", **LEAK_NEED, municipality_number="1804")
    solution = create(client, "solutions", **LEAK_SOLUTION)
    pid = propose(client, need_ids=[need["id"]], solution_ids=[solution["id"]])["id"]
    for status in ("in_dialogue", "pilot"):
        assert move(client, pid, status).status_code == 200
    outcome = client.post(f"/api/v1/partnerships/{pid}/outcomes", json={**OUTCOME, "year": 2024})
    assert outcome.status_code == 201, outcome.text
    proposed = propose(client, need_ids=[need["id"]], solution_ids=[solution["id"]])["id"]
    return {"pid": pid, "outcome_id": outcome.json()["id"], "proposed": proposed}


@pytest.mark.parametrize(
    ("method", "path", "body", "locations"),
    [
        (
            "POST",
            "/api/v1/partnerships/{pid}/outcomes",
            {**OUTCOME, "year": "20x5", "kpi_code": "NOPE", "municipality_number": "0301"},
            {("year",), ("kpi_code",), ("municipality_number",)},
        ),
        (
            "POST",
            "/api/v1/partnerships/{pid}/outcomes",
            {**OUTCOME, "value": "many", "municipality_number": "0301", "solution_id": 424242},
            {("value",), ("municipality_number",), ("solution_id",)},
        ),
        (  # well-formed, but every reference wrong: all of them at once too
            "POST",
            "/api/v1/partnerships/{pid}/outcomes",
            {**OUTCOME, "value": 120.0, "municipality_number": "0301", "solution_id": 424242},
            {("unit",), ("municipality_number",), ("solution_id",)},
        ),
        (  # a wrong field comes before the state: not yet in pilot, still a 422
            "POST",
            "/api/v1/partnerships/{proposed}/outcomes",
            {**OUTCOME, "kpi_code": "NOPE"},
            {("kpi_code",)},
        ),
        (
            "PATCH",
            "/api/v1/partnerships/{pid}/outcomes/{outcome_id}",
            {"value": 120.0, "note": "Skrivefeil\u0000"},
            {("note",), ("unit",)},
        ),
    ],
)
def test_an_outcome_names_its_malformed_and_its_wrong_fields_in_one_answer(
    catalogue_server: SharedServer,
    client: httpx.Client,
    pilot: dict[str, int],
    method: str,
    path: str,
    body: dict[str, Any],
    locations: set[tuple[str | int, ...]],
) -> None:
    named = _wrong_fields(catalogue_server, client, method, path.format(**pilot), body)
    assert named == {("body", *location) for location in locations}


def test_an_outcome_is_checked_field_by_field_before_its_state(
    catalogue_server: SharedServer, client: httpx.Client, pilot: dict[str, int]
) -> None:
    """A well-formed outcome meets the partnership's state: 409 before pilot, 409 for a second value."""
    before = catalogue_server.counts()
    early = client.post(f"/api/v1/partnerships/{pilot['proposed']}/outcomes", json=OUTCOME)
    assert early.status_code == 409 and "Move it to 'pilot' first" in early.json()["detail"]
    again = client.post(f"/api/v1/partnerships/{pilot['pid']}/outcomes", json={**OUTCOME, "year": 2024})
    assert again.status_code == 409 and f"outcome {pilot['outcome_id']}" in again.json()["detail"]
    assert catalogue_server.counts() == before
