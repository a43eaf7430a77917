"""The equal-treatment audit trail: every partnership step and every supplier contact is recorded in the
same transaction as the change, read back as JSON and CSV by staff only, and never changed."""

import csv
import io
import json
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from service.access import Principal
from service.audit.repository import AuditQuery, list_events
from service.audit.service import record_view
from service.db import make_engine, make_session_factory
from service.models import AuditEvent
from tests.support.records import (
    LEAK_NEED,
    LEAK_SOLUTION,
    WATER_LOSS,
    audit_events,
    create,
    move,
    now_utc,
    observe,
    propose,
)
from tests.support.servers import LiveServer


def test_every_partnership_step_is_in_the_audit_trail_as_json_and_csv(
    api: httpx.Client, live_server: LiveServer
) -> None:
    since = now_utc()
    observe(api, [("1804", 40.0, 2023)])
    need = create(api, "needs", **LEAK_NEED, municipality_number="1804")
    solution = create(api, "solutions", **LEAK_SOLUTION, trl=6)
    pid = propose(api, need_ids=[need["id"]], solution_ids=[solution["id"]])["id"]
    assert move(api, pid, "scaled").status_code == 409  # refused: not in the trail
    assert move(api, pid, "in_dialogue").status_code == 200
    assert (
        api.patch(f"/api/v1/partnerships/{pid}", json={"lead_municipality_number": "5001"}).status_code == 200
    )
    assert move(api, pid, "pilot", note="Pilot i to soner").status_code == 200
    outcome = {
        "kpi_code": WATER_LOSS,
        "municipality_number": "1804",
        "year": 2025,
        "value": 30.0,
        "unit": "%",
    }
    assert api.post(f"/api/v1/partnerships/{pid}/outcomes", json=outcome).status_code == 201
    assert move(api, pid, "stopped", note="Ikke skalert").status_code == 200

    events = audit_events(api, subject_kind="partnership", subject_id=pid, since=since)
    assert [event["action"] for event in events] == [
        "partnership_created",
        "partnership_status_changed",
        "partnership_lead_changed",
        "partnership_status_changed",
        "partnership_outcome_recorded",
        "partnership_status_changed",
    ]
    assert {event["actor"] for event in events} == {"admin"}
    created, to_dialogue, lead, to_pilot, measured, to_stopped = (event["detail"] for event in events)
    assert created["need_ids"] == [need["id"]] and created["route"] == "innovation_partnership"
    assert (to_dialogue["from"], to_dialogue["to"]) == ("proposed", "in_dialogue")
    assert (lead["from"], lead["to"]) == ("1804", "5001")
    assert (to_pilot["from"], to_pilot["to"], to_pilot["note"]) == (
        "in_dialogue",
        "pilot",
        "Pilot i to soner",
    )
    assert (measured["value"], measured["baseline_value"], measured["solution_id"]) == (
        30.0,
        40.0,
        solution["id"],
    )
    assert (to_stopped["from"], to_stopped["to"]) == ("pilot", "stopped")
    assert [event["id"] for event in events] == sorted(event["id"] for event in events)

    exported = api.get(
        "/api/v1/audit",
        params={"subject_kind": "partnership", "subject_id": pid, "since": since, "format": "csv"},
    )
    assert exported.status_code == 200
    assert exported.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="audit-' in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [int(row["id"]) for row in rows] == [event["id"] for event in events]
    assert [row["action"] for row in rows] == [event["action"] for event in events]
    assert json.loads(rows[3]["detail"])["note"] == "Pilot i to soner"

    window = audit_events(api, subject_kind="partnership", subject_id=pid, until=events[0]["occurred_at"])
    assert window == []  # `until` is exclusive
    assert audit_events(api, actor="somebody-else", since=since) == []
    with live_server.client(token=None) as anonymous:
        assert anonymous.get("/api/v1/audit").status_code == 401
    with live_server.client(token="wrong") as stranger:
        assert stranger.get("/api/v1/audit", params={"format": "csv"}).status_code == 401


def test_contacting_a_supplier_about_a_need_is_recorded(api: httpx.Client) -> None:
    since = now_utc()
    supplier = create(api, "suppliers", name="Lekkasje AS", organisation_number="974760673")
    solution = create(api, "solutions", **LEAK_SOLUTION, supplier_id=supplier["id"])
    need = create(api, "needs", **LEAK_NEED)
    for verdict in ("useful", "contacted", "not_useful"):
        response = api.post(
            f"/api/v1/needs/{need['id']}/feedback", json={"solution_id": solution["id"], "verdict": verdict}
        )
        assert response.status_code == 201
    [contact] = audit_events(api, subject_kind="need", subject_id=need["id"], since=since)
    assert contact["action"] == "supplier_contacted" and contact["actor"] == "admin"
    assert contact["detail"]["solution_id"] == solution["id"]
    assert contact["detail"]["supplier_id"] == supplier["id"]
    assert contact["detail"]["verdict"] == "contacted"


def test_views_are_recorded_and_events_cannot_be_changed(
    api: httpx.Client, database_url: str, live_server: LiveServer
) -> None:
    since = now_utc()
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    try:
        with factory() as session:
            record_view(
                session,
                viewer=Principal(role="officer", actor="officer-bodø", municipality_number="1804"),
                subject_kind="buyer_group",
                subject_id="needs:3,7",
                detail={"endpoint": "/api/v1/buyer-groups"},
            )
        [view] = audit_events(api, actor="officer-bodø", since=since)
        assert (view["action"], view["subject_kind"], view["subject_id"]) == (
            "viewed",
            "buyer_group",
            "needs:3,7",
        )

        with factory() as session:
            stored = session.scalars(select(AuditEvent).where(AuditEvent.id == view["id"])).one()
            stored.actor = "someone else"
            with pytest.raises(RuntimeError, match="append-only"):
                session.commit()
        with factory() as session:
            stored = session.scalars(select(AuditEvent).where(AuditEvent.id == view["id"])).one()
            session.delete(stored)
            with pytest.raises(RuntimeError, match="append-only"):
                session.commit()
    finally:
        engine.dispose()
    assert audit_events(api, actor="officer-bodø", since=since) == [view]
    assert api.delete(f"/api/v1/audit/{view['id']}").status_code in (404, 405)
    assert api.patch("/api/v1/audit", json={}).status_code == 405


def _events_page(api: httpx.Client, **params: Any) -> dict[str, Any]:
    response = api.get("/api/v1/audit", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_audit_list_pages_and_refuses_an_empty_window(api: httpx.Client) -> None:
    since = now_utc()
    need = create(api, "needs", **LEAK_NEED)
    solution = create(api, "solutions", **LEAK_SOLUTION)
    for _ in range(3):
        api.post(
            f"/api/v1/needs/{need['id']}/feedback",
            json={"solution_id": solution["id"], "verdict": "contacted"},
        )
    first = _events_page(api, since=since, subject_kind="need", limit=2)
    second = _events_page(api, since=since, subject_kind="need", limit=2, offset=2)
    assert first["total"] == 3 and len(first["items"]) == 2 and len(second["items"]) == 1
    backwards = api.get(
        "/api/v1/audit", params={"since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z"}
    )
    assert backwards.status_code == 422 and "until" in backwards.text
    assert backwards.json()["detail"][0]["loc"] == ["query", "until"]  # a query parameter, not the body
    assert api.get("/api/v1/audit", params={"format": "pdf"}).status_code == 422


def test_a_view_of_matches_names_what_was_shown_and_is_found_by_need_and_supplier(
    api: httpx.Client,
) -> None:
    since = now_utc()
    supplier = create(api, "suppliers", name="Lekkasje AS", organisation_number="974760673")
    solution = create(api, "solutions", **LEAK_SOLUTION, supplier_id=supplier["id"])
    other = create(api, "solutions", title="Leak loggers", description=LEAK_SOLUTION["description"])
    need = create(api, "needs", **LEAK_NEED)

    shown = api.get(f"/api/v1/needs/{need['id']}/matches", params={"limit": 5}).json()["items"]
    [view] = audit_events(api, subject_kind="need_matches", since=since)
    assert (view["action"], view["actor"], view["subject_id"]) == ("viewed", "admin", str(need["id"]))
    solution_ids = [match["solution"]["id"] for match in shown]
    assert {solution["id"], other["id"]} <= set(solution_ids)
    assert view["detail"] == {
        "need_id": need["id"],
        "offset": 0,
        "solution_ids": solution_ids,
        "supplier_ids": [match["solution"]["supplier_id"] for match in shown],
    }
    assert view in audit_events(api, need_id=need["id"], since=since)
    assert view in audit_events(api, supplier_id=supplier["id"], since=since)
    assert view not in audit_events(api, supplier_id=supplier["id"] + 1000, since=since)
    assert view not in audit_events(api, need_id=need["id"] + 1000, since=since)

    answered = api.get(f"/api/v1/solutions/{solution['id']}/matches").json()["items"]
    [seen] = audit_events(api, subject_kind="solution_matches", since=since)
    assert seen["detail"] == {
        "solution_id": solution["id"],
        "supplier_id": supplier["id"],
        "offset": 0,
        "need_ids": [match["need"]["id"] for match in answered],
    }
    assert need["id"] in seen["detail"]["need_ids"]
    assert seen in audit_events(api, need_id=need["id"], since=since)
    assert seen in audit_events(api, supplier_id=supplier["id"], since=since)

    assert api.get("/api/v1/needs/999999/matches").status_code == 404
    assert len(audit_events(api, subject_kind="need_matches", since=since)) == 1, "nothing read, nothing seen"
    with httpx.Client(base_url=api.base_url, timeout=30) as anonymous:
        assert anonymous.get(f"/api/v1/needs/{need['id']}/matches").status_code == 200
    assert len(audit_events(api, subject_kind="need_matches", since=since)) == 1, (
        "an anonymous view names no one"
    )


@pytest.mark.parametrize(
    ("detail", "need_id", "supplier_id", "found"),
    [
        ({"need_id": 1, "offset": 0, "solution_ids": [7, 21], "supplier_ids": [12, 3]}, 1, 3, (True, True)),
        ({"need_id": 1, "offset": 0, "solution_ids": [3], "supplier_ids": [12, 5, 31]}, 2, 3, (False, False)),
        ({"need_id": 1, "offset": 0, "solution_ids": [8], "supplier_ids": [None, 5, 4]}, 1, 5, (True, True)),
        ({"need_id": 1, "offset": 0, "solution_ids": [8], "supplier_ids": [5]}, 9, 5, (False, True)),
        ({"need_id": 1, "offset": 0, "solution_ids": [5, 6], "supplier_ids": [2, 2]}, 1, 5, (True, False)),
    ],
)
def test_a_need_matches_view_is_found_by_its_need_and_a_supplier_it_listed(
    database_url: str, detail: dict[str, Any], need_id: int, supplier_id: int, found: tuple[bool, bool]
) -> None:
    assert _found(database_url, "need_matches", detail, need_id, supplier_id) == found


@pytest.mark.parametrize(
    ("detail", "need_id", "found_by_need"),
    [
        ({"solution_id": 4, "supplier_id": 2, "offset": 10, "need_ids": [21, 1, 12]}, 1, True),
        ({"solution_id": 4, "supplier_id": 2, "offset": 0, "need_ids": [21, 12, 111]}, 1, False),
        ({"solution_id": 1, "supplier_id": 2, "offset": 0, "need_ids": [3]}, 1, False),
        ({"solution_id": 4, "supplier_id": 2, "offset": 0, "need_ids": [1]}, 1, True),
        ({"solution_id": 4, "supplier_id": 2, "offset": 0, "need_ids": [5, 1]}, 1, True),
        ({"solution_id": 4, "supplier_id": 2, "offset": 0, "need_ids": []}, 1, False),
    ],
)
def test_a_solution_matches_view_is_found_by_a_need_it_listed_and_its_supplier(
    database_url: str, detail: dict[str, Any], need_id: int, found_by_need: bool
) -> None:
    assert _found(database_url, "solution_matches", detail, need_id, 2) == (found_by_need, True)


FILTER_TEST = Principal(role="staff", actor="filter-test")


def _found(
    database_url: str, kind: str, detail: dict[str, Any], need_id: int, supplier_id: int
) -> tuple[bool, bool]:
    """Whether the search by need and the search by supplier select a view stored as `detail` (the text
    of the stored JSON is matched: the same on SQLite and PostgreSQL)."""
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            record_view(session, viewer=FILTER_TEST, subject_kind=kind, subject_id=7, detail=detail)
            by_need, _ = list_events(
                session, AuditQuery(actor="filter-test", need_id=need_id), offset=0, limit=10
            )
            by_supplier, _ = list_events(
                session, AuditQuery(actor="filter-test", supplier_id=supplier_id), offset=0, limit=10
            )
            return len(by_need) == 1, len(by_supplier) == 1
    finally:
        engine.dispose()
