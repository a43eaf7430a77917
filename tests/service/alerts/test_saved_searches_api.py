"""Saved searches through the live API (SQLite and PostgreSQL): who may save what, each caller sees
their own (an administrator everyone's), a change is checked whole, and a refused one stores nothing."""

import re
from typing import Any

import httpx
from sqlalchemy import select

from embeddings import Encoder
from service.accounts.browser_secrets import CSRF_HEADER
from service.config import Settings
from service.db import make_engine
from service.models import SavedSearch
from tests.api.conftest import row_counts
from tests.support.accounts import add_person, csrf_token, signed_in_client
from tests.support.records import LEAK_NEED, LEAK_SOLUTION, WATER_LOSS, audit_events, create

HOME, ELSEWHERE = "0301", "1804"


def _token(api: httpx.Client, role: str, **binding: object) -> str:
    made = api.post("/api/v1/tokens", json={"name": f"alerts {role}", "role": role, **binding})
    assert made.status_code == 201, made.text
    secret: str = made.json()["token"]
    return secret


def _as(api: httpx.Client, token: str) -> httpx.Client:
    return httpx.Client(base_url=api.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def _saved(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/v1/saved-searches", json=fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _problems(response: httpx.Response) -> dict[str, str]:
    """The refused fields, by their location below the body."""
    return {".".join(map(str, item["loc"][1:])): item["msg"] for item in response.json()["detail"]}


def test_each_owner_saves_what_they_may_follow_and_sees_only_their_own(api: httpx.Client) -> None:
    supplier = create(api, "suppliers", name="Lytt AS", organisation_number="974760673")
    rival = create(api, "suppliers", name="Annen AS", organisation_number="923609016")
    solution = create(api, "solutions", **LEAK_SOLUTION, supplier_id=supplier["id"])
    need = create(api, "needs", **LEAK_NEED, municipality_number=HOME)
    tokens = {
        "supplier": _token(api, "supplier", supplier_id=supplier["id"]),
        "rival": _token(api, "supplier", supplier_id=rival["id"]),
        "officer": _token(api, "officer", municipality_number=HOME),
        "officer_elsewhere": _token(api, "officer", municipality_number=ELSEWHERE),
        "staff": _token(api, "staff"),
    }
    with (
        _as(api, tokens["supplier"]) as lytt,
        _as(api, tokens["rival"]) as rival_client,
        _as(api, tokens["officer"]) as officer,
        _as(api, tokens["officer_elsewhere"]) as officer_elsewhere,
        _as(api, tokens["staff"]) as staff,
    ):
        mine = _saved(
            lytt,
            name="Behov for lyttelogger",
            kind="needs_for_solution",
            solution_id=solution["id"],
            frequency="immediately",
            min_band="weak",
            channels=["feed", "webhook", "feed"],
        )
        assert mine["channels"] == ["feed", "webhook"] and mine["paused"] is False
        assert mine["owner_token_id"] is not None and mine["owner_user_id"] is None
        assert (
            rival_client.post(
                "/api/v1/saved-searches",
                json={"name": "Spion", "kind": "needs_for_solution", "solution_id": solution["id"]},
            ).status_code
            == 403
        ), "a supplier follows its own solutions only"
        assert (
            officer.post(
                "/api/v1/saved-searches",
                json={"name": "Vann", "kind": "solutions_for_need", "need_id": need["id"]},
            ).status_code
            == 201
        )
        assert (
            officer_elsewhere.post(
                "/api/v1/saved-searches",
                json={"name": "Vann", "kind": "solutions_for_need", "need_id": need["id"]},
            ).status_code
            == 403
        ), "an officer follows their own municipality's needs only"
        staff_search = _saved(
            staff, name="Vanntap", kind="new_needs", filters={"kpi": "EC-I-WS-3C", "county": "03"}
        )
        assert staff_search["filters"] == {"kpi": WATER_LOSS, "county": "03"}
        refused = officer.post(
            "/api/v1/saved-searches", json={"name": "Alt", "kind": "new_needs", "filters": {"county": "03"}}
        )
        assert refused.status_code == 403 and "programme staff" in refused.json()["detail"]

        listed = lytt.get("/api/v1/saved-searches").json()
        assert [item["id"] for item in listed["items"]] == [mine["id"]] and listed["total"] == 1
        assert rival_client.get(f"/api/v1/saved-searches/{mine['id']}").status_code == 403
        assert (
            rival_client.patch(f"/api/v1/saved-searches/{mine['id']}", json={"paused": True}).status_code
            == 403
        )
        assert rival_client.delete(f"/api/v1/saved-searches/{mine['id']}").status_code == 403
    everyone = api.get("/api/v1/saved-searches").json()
    assert everyone["total"] == 3, "an administrator sees everyone's"
    refused_admin = api.post(
        "/api/v1/saved-searches", json={"name": "x", "kind": "needs_for_text", "text": "vann"}
    )
    assert refused_admin.status_code == 403 and "bootstrap" in refused_admin.json()["detail"]


def test_bad_searches_are_refused_per_field_and_store_nothing(api: httpx.Client, settings: Settings) -> None:
    supplier = create(api, "suppliers", name="Lytt AS", organisation_number="974760673")
    token = _token(api, "supplier", supplier_id=supplier["id"])
    before = row_counts(settings.resolved_database_url)["saved_search"]
    with _as(api, token) as lytt:
        cases = [
            ({"name": "x", "kind": "needs_for_text"}, "", "needs text"),
            ({"name": "x", "kind": "needs_for_text", "text": "vann", "need_id": 1}, "", "takes no need_id"),
            (
                {"name": "x", "kind": "needs_for_text", "text": "vann", "filters": {"kpi": "XX-1"}},
                "filters.kpi.0",
                "unknown U4SSC KPI",
            ),
            (
                {"name": "x", "kind": "needs_for_text", "text": "vann", "filters": {"county": "99"}},
                "filters.county.0",
                "unknown county",
            ),
            (
                {"name": "x", "kind": "needs_for_text", "text": "vann", "frequency": "hourly"},
                "frequency",
                "immediately",
            ),
            (
                {"name": "x", "kind": "needs_for_text", "text": "vann", "min_band": "great"},
                "min_band",
                "strong",
            ),
            (
                {"name": "x", "kind": "needs_for_text", "text": "vann", "channels": ["sms"]},
                "channels.0",
                "email",
            ),
            (
                {"name": "x", "kind": "needs_for_text", "text": "vann", "channels": ["email"]},
                "channels",
                "no e-mail address",
            ),
            ({"name": "", "kind": "needs_for_text", "text": "vann"}, "name", "at least 1"),
        ]
        for body, location, words in cases:
            response = lytt.post("/api/v1/saved-searches", json=body)
            assert response.status_code == 422, (body, response.text)
            problems = _problems(response)
            assert any(loc == location and words in message for loc, message in problems.items()), (
                body,
                problems,
            )
    assert row_counts(settings.resolved_database_url)["saved_search"] == before


def _query_vector(settings: Settings, search_id: int) -> tuple[bytes | None, str | None, str | None]:
    engine = make_engine(settings.resolved_database_url)
    with engine.connect() as connection:
        row = connection.execute(
            select(SavedSearch.query_vector, SavedSearch.query_model_id, SavedSearch.query_language).where(
                SavedSearch.id == search_id
            )
        ).one()
    engine.dispose()
    return row[0], row[1], row[2]


def test_a_search_is_changed_paused_and_deleted_and_each_step_is_audited(
    api: httpx.Client, settings: Settings, encoder: Encoder
) -> None:
    staff_token = _token(api, "staff")
    with _as(api, staff_token) as staff:
        search = _saved(staff, name="Vannsøk", kind="solutions_for_text", text="lekkasjer i vannledninger")
        path = f"/api/v1/saved-searches/{search['id']}"
        vector, model_id, language = _query_vector(settings, search["id"])
        assert vector and len(vector) == 4 * encoder.dim and model_id == encoder.model_id and language == "no"
        paused = staff.patch(path, json={"paused": True, "name": "Vannlekkasjer"})
        assert paused.status_code == 200 and paused.json()["paused"] is True
        assert paused.json()["name"] == "Vannlekkasjer" and paused.json()["text"] == search["text"]
        wrong = staff.patch(path, json={"text": None})
        assert wrong.status_code == 422 and "needs text" in wrong.text
        assert staff.get(path).json()["name"] == "Vannlekkasjer", "a refused change stores nothing"
        assert _query_vector(settings, search["id"])[0] == vector, "a paused search keeps its vector"
        resumed = staff.patch(
            path, json={"paused": False, "filters": {"county": "46"}, "text": "water leaks"}
        )
        assert resumed.json()["paused"] is False and resumed.json()["filters"] == {"county": "46"}
        new_vector, _, new_language = _query_vector(settings, search["id"])
        assert new_vector != vector and new_language == "en", "a new text is encoded again"
        assert staff.delete(path).status_code == 204
        assert staff.get(path).status_code == 404
    actions = [
        event["action"] for event in audit_events(api, subject_kind="saved_search", subject_id=search["id"])
    ]
    assert actions == [
        "saved_search.created",
        "saved_search.updated",
        "saved_search.updated",
        "saved_search.deleted",
    ]


def test_a_person_and_their_own_token_share_their_searches(api: httpx.Client, settings: Settings) -> None:
    """Signed in or calling with a token made on their profile page, a person owns the same searches,
    and only a person's search may go to e-mail."""
    add_person(
        settings.resolved_database_url,
        "kari@oslo.kommune.no",
        name="Kari",
        role="officer",
        municipality_number=HOME,
    )
    with signed_in_client(str(api.base_url), "kari@oslo.kommune.no") as kari:
        csrf = csrf_token(kari.get("/profile"))
        made = kari.post(
            "/api/v1/saved-searches",
            json={
                "name": "Vann",
                "kind": "solutions_for_text",
                "text": "vannlekkasje",
                "channels": ["email"],
            },
            headers={CSRF_HEADER: csrf},
        )
        assert made.status_code == 201, made.text
        assert made.json()["owner_user_id"] is not None and made.json()["owner_token_id"] is None
        created = kari.post("/profile/tokens", data={"name": "integrasjon", "csrf_token": csrf})
        [own_token] = re.findall(r'<code class="secret">(im_[\w-]+)</code>', created.text)
    with _as(api, own_token) as own:
        assert [item["id"] for item in own.get("/api/v1/saved-searches").json()["items"]] == [
            made.json()["id"]
        ]
