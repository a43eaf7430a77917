"""Partnership proposals through the live API: statuses, route and lead recommendations, the outcome
loop into the KPI views and the solution's evidence, and refused input that leaves nothing behind."""

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from service.config import Settings
from service.db import make_engine, make_session_factory
from service.errors import ConflictError
from service.models import PartnershipOutcome
from service.partnerships import outcomes
from service.partnerships.lifecycle import transition_problem
from service.partnerships.procurement_route import CandidateFacts, RouteFacts, recommend_route
from service.partnerships.schemas import OutcomeCreate
from tests.support.records import (
    LEAK_NEED,
    LEAK_SOLUTION,
    WATER_LOOKALIKES_NO,
    WATER_LOSS,
    audit_events,
    create,
    move,
    now_utc,
    observe,
    propose,
)
from tests.support.servers import ADMIN_TOKEN


def test_a_partnership_moves_through_its_statuses_and_refuses_impossible_moves(api: httpx.Client) -> None:
    need = create(api, "needs", **LEAK_NEED, municipality_number="1804")
    solution = create(api, "solutions", **LEAK_SOLUTION, trl=9)
    partnership = propose(api, need_ids=[need["id"]], solution_ids=[solution["id"]], buyer_group_key="bg-1")
    pid = partnership["id"]
    assert partnership["status"] == "proposed" and partnership["next_statuses"] == ["in_dialogue", "stopped"]
    assert partnership["buyer_group_key"] == "bg-1" and partnership["created_by"] == "admin"

    skipped = move(api, pid, "pilot")
    assert skipped.status_code == 409
    assert "'proposed' can move to 'in_dialogue' or 'stopped', not to 'pilot'" in skipped.json()["detail"]
    assert api.get(f"/api/v1/partnerships/{pid}").json()["status"] == "proposed"
    actions = [event["action"] for event in audit_events(api, subject_kind="partnership", subject_id=pid)]
    assert actions == ["partnership_created"]  # the refused move left no trace

    for status in ("in_dialogue", "pilot", "scaled"):
        response = move(api, pid, status)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status
    backwards = move(api, pid, "in_dialogue")
    assert backwards.status_code == 409 and "not to 'in_dialogue'" in backwards.json()["detail"]

    stopped = move(api, pid, "stopped", note="Budsjettet ble ikke vedtatt.")
    assert stopped.status_code == 200 and stopped.json()["next_statuses"] == []
    restart = move(api, pid, "proposed")
    assert restart.status_code == 409 and "final" in restart.json()["detail"]
    assert move(api, pid, "finished").status_code == 422

    listed = api.get("/api/v1/partnerships", params={"status": "stopped", "limit": 200}).json()
    assert pid in [item["id"] for item in listed["items"]]
    proposed = api.get("/api/v1/partnerships", params={"status": "proposed", "limit": 200}).json()
    assert pid not in [item["id"] for item in proposed["items"]]
    assert api.get("/api/v1/partnerships/999999").status_code == 404


def _route(api: httpx.Client, need_id: int, solution_ids: list[int]) -> dict[str, Any]:
    return propose(api, need_ids=[need_id], solution_ids=solution_ids, lead_municipality_number="1804")


def test_the_route_follows_solution_maturity_and_the_market(api: httpx.Client) -> None:
    need = create(api, "needs", **LEAK_NEED, municipality_number="1804")
    others = [create(api, "solutions", title=t, description=d, trl=9) for t, d in WATER_LOOKALIKES_NO]
    minibus = others[-1]
    supplier = create(api, "suppliers", name="Lekkasje AS", organisation_number="974760673")
    by_trl = {
        trl: create(api, "solutions", **LEAK_SOLUTION, trl=trl, supplier_id=supplier["id"])
        for trl in (9, 6, 3)
    }
    second_supplier_trl9 = create(
        api,
        "solutions",
        title="Akustisk lekkasjesøk i vannledninger",
        description="Akustiske loggere på ventiler finner lekkasjer i vannledningene og reduserer vanntapet.",
        kpi_codes=[WATER_LOSS],
        trl=9,
    )

    mature = _route(api, need["id"], [by_trl[9]["id"]])
    assert (mature["route"], mature["route_rule"]) == ("ordinary_competition", "on_the_market")
    assert mature["candidates"][0]["matches_well"] and mature["candidates"][0]["match_rank"] <= 5
    assert any("TRL 8-9" in reason for reason in mature["route_reasons"])
    assert any("Only one supplier" in reason for reason in mature["route_reasons"])
    assert any("The need is new" in reason for reason in mature["route_reasons"])

    two_suppliers = _route(api, need["id"], [by_trl[9]["id"], second_supplier_trl9["id"]])
    assert two_suppliers["route"] == "ordinary_competition"
    assert "from 2 suppliers" in two_suppliers["route_reasons"][0]
    assert not any("Only one supplier" in reason for reason in two_suppliers["route_reasons"])
    # Two solutions of one supplier are still one supplier.
    same_supplier = _route(api, need["id"], [by_trl[9]["id"], by_trl[6]["id"]])
    assert "from 1 supplier." in same_supplier["route_reasons"][0]

    developing = _route(api, need["id"], [by_trl[6]["id"]])
    assert (developing["route"], developing["route_rule"]) == ("innovation_partnership", "needs_development")
    assert any("TRL 6" in reason for reason in developing["route_reasons"])

    research = _route(api, need["id"], [by_trl[3]["id"]])
    assert (research["route"], research["route_rule"]) == ("pre_commercial_procurement", "research_stage")
    assert any("TRL 3" in reason for reason in research["route_reasons"])

    unrelated = _route(api, need["id"], [minibus["id"]])
    assert (unrelated["route"], unrelated["route_rule"]) == ("market_dialogue", "no_good_match")
    assert unrelated["candidates"][0]["matches_well"] is False

    unheard = _route(api, need["id"], [])
    assert (unheard["route"], unheard["route_rule"]) == ("market_dialogue", "no_candidate_market_unheard")
    contacted = api.post(
        f"/api/v1/needs/{need['id']}/feedback", json={"solution_id": others[0]["id"], "verdict": "contacted"}
    )
    assert contacted.status_code == 201
    heard = _route(api, need["id"], [])
    assert (heard["route"], heard["route_rule"]) == ("pre_commercial_procurement", "no_candidate")


def test_the_lead_is_the_worst_gap_or_a_municipality_already_using_a_candidate(api: httpx.Client) -> None:
    observe(api, [("5001", 62.5, 2023), ("1804", 90.0, 2023)])  # Trondheim band 2, Bodø band 1
    needs = []
    for number in ("5001", "1804"):
        report = api.post(f"/api/v1/municipalities/{number}/needs/generate").json()
        needs += report["created"]
    assert len(needs) == 2
    plain = create(api, "solutions", **LEAK_SOLUTION, trl=9)
    used_in_trondheim = create(
        api,
        "solutions",
        **{**LEAK_SOLUTION, "title": "Lyttelogger"},
        trl=9,
        reference_municipalities=["5001"],
    )
    used_in_oslo = create(
        api, "solutions", **{**LEAK_SOLUTION, "title": "Loggere"}, trl=9, reference_municipalities=["0301"]
    )

    worst = propose(api, need_ids=needs, solution_ids=[plain["id"], used_in_oslo["id"]])
    assert (worst["lead_municipality_number"], worst["lead_rule"]) == ("1804", "worst_gap")
    assert worst["lead_municipality_name"] == "Bodø"
    assert "band 1" in worst["lead_reason"] and WATER_LOSS in worst["lead_reason"]

    copied = propose(api, need_ids=needs, solution_ids=[plain["id"], used_in_trondheim["id"]])
    assert (copied["lead_municipality_number"], copied["lead_rule"]) == ("5001", "reference_use")
    assert "Lyttelogger" in copied["lead_reason"] and "Bodø" in copied["lead_reason"]

    manual = create(api, "needs", **LEAK_NEED)  # no municipality, no gap evidence
    elsewhere = propose(api, need_ids=[manual["id"]], solution_ids=[used_in_oslo["id"]])
    assert (elsewhere["lead_municipality_number"], elsewhere["lead_rule"]) == ("0301", "reference_elsewhere")

    given = propose(
        api, need_ids=needs, solution_ids=[used_in_trondheim["id"]], lead_municipality_number="4601"
    )
    assert (given["lead_municipality_number"], given["lead_rule"]) == ("4601", "given")


def _water_standing(api: httpx.Client, number: str) -> dict[str, Any]:
    standings = api.get(f"/api/v1/municipalities/{number}/kpis").json()
    return next(item for item in standings if item["kpi_code"] == WATER_LOSS)


def test_a_pilot_outcome_changes_the_kpi_view_and_the_solution_evidence(api: httpx.Client) -> None:
    observe(api, [("1804", 40.0, 2023)])
    need = create(api, "needs", **LEAK_NEED, municipality_number="1804")
    solution = create(api, "solutions", **LEAK_SOLUTION, trl=9)
    pid = propose(api, need_ids=[need["id"]], solution_ids=[solution["id"]])["id"]
    outcome = {
        "kpi_code": WATER_LOSS,
        "municipality_number": "1804",
        "year": 2025,
        "value": 24.0,
        "unit": "%",
    }

    early = api.post(f"/api/v1/partnerships/{pid}/outcomes", json=outcome)
    assert early.status_code == 409 and "'proposed'" in early.json()["detail"]
    for status in ("in_dialogue", "pilot"):
        assert move(api, pid, status).status_code == 200

    same_year = api.post(f"/api/v1/partnerships/{pid}/outcomes", json={**outcome, "year": 2023})
    assert same_year.status_code == 409 and "SSB testtabell" in same_year.json()["detail"]
    elsewhere = api.post(
        f"/api/v1/partnerships/{pid}/outcomes", json={**outcome, "municipality_number": "0301"}
    )
    assert elsewhere.status_code == 422 and "0301 is not part of partnership" in elsewhere.text
    before = _water_standing(api, "1804")
    assert (before["value"], before["year"], before["band"]) == (40.0, 2023, 2)

    recorded = api.post(f"/api/v1/partnerships/{pid}/outcomes", json=outcome)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["solution_id"] == solution["id"]
    assert (recorded.json()["baseline_year"], recorded.json()["baseline_value"]) == (2023, 40.0)

    after = _water_standing(api, "1804")
    assert (after["value"], after["year"], after["synthetic"]) == (24.0, 2025, False)
    assert after["source"] == f"Innomatch partnership {pid}: pilot outcome"
    assert after["band"] == 4 and after["trend"]["direction"] == "improving"
    gaps = api.get("/api/v1/municipalities/1804/gaps").json()
    assert WATER_LOSS not in [item["kpi_code"] for item in gaps]

    [evidence] = api.get(f"/api/v1/solutions/{solution['id']}/outcomes").json()
    assert evidence["partnership_id"] == pid and evidence["municipality_name"] == "Bodø"
    assert (evidence["baseline_value"], evidence["value"], evidence["change"]) == (40.0, 24.0, -16.0)
    assert evidence["direction"] == "-" and evidence["partnership_status"] == "pilot"
    assert len(api.get(f"/api/v1/partnerships/{pid}").json()["outcomes"]) == 1
    assert api.get("/api/v1/solutions/999999/outcomes").status_code == 404


def test_unknown_ids_are_refused_by_name_and_nothing_is_stored(api: httpx.Client, live_server: Any) -> None:
    since = now_utc()
    need = create(api, "needs", **LEAK_NEED)
    solution = create(api, "solutions", **LEAK_SOLUTION)
    total_before = api.get("/api/v1/partnerships").json()["total"]

    response = api.post(
        "/api/v1/partnerships",
        json={
            "need_ids": [need["id"], 999999, need["id"]],
            "solution_ids": [solution["id"], 888888],
            "lead_municipality_number": "9999",
        },
    )
    assert response.status_code == 422
    problems = {tuple(item["loc"]): item["msg"] for item in response.json()["detail"]}
    assert problems[("body", "need_ids", 1)] == "need 999999 does not exist"
    assert problems[("body", "need_ids", 2)] == f"need {need['id']} is listed twice"
    assert problems[("body", "solution_ids", 1)] == "solution 888888 does not exist"
    assert "unknown municipality number '9999'" in problems[("body", "lead_municipality_number")]
    assert api.post("/api/v1/partnerships", json={"need_ids": []}).status_code == 422
    with live_server.client(token=None) as anonymous:
        assert anonymous.post("/api/v1/partnerships", json={"need_ids": [need["id"]]}).status_code == 401

    assert api.get("/api/v1/partnerships").json()["total"] == total_before
    assert [e for e in audit_events(api, since=since) if e["action"] == "partnership_created"] == []


def _facts(
    *candidates: tuple[int | None, str, float, int], age: int = 0, contacted: bool = False
) -> RouteFacts:
    """Candidates as (TRL, supplier, score, rank)."""
    return RouteFacts(
        [
            CandidateFacts(i, trl, supplier, score, rank)
            for i, (trl, supplier, score, rank) in enumerate(candidates)
        ],
        oldest_need_age_days=age,
        suppliers_contacted=contacted,
    )


@pytest.mark.parametrize(
    ("facts", "route", "rule"),
    [
        (
            _facts((9, "a", 0.6, 1), (3, "b", 0.6, 2)),
            "ordinary_competition",
            "on_the_market",
        ),  # the most mature wins
        (_facts((None, "a", 0.6, 1)), "market_dialogue", "maturity_unknown"),
        (_facts((9, "a", 0.6, 6)), "market_dialogue", "no_good_match"),  # ranked below the first five
        (_facts((9, "a", 0.1, 1)), "market_dialogue", "no_good_match"),  # first, but a weak score
        (
            _facts(age=200),
            "pre_commercial_procurement",
            "no_candidate",
        ),  # an old need: the market was looked at
        (_facts(age=10), "market_dialogue", "no_candidate_market_unheard"),
    ],
)
def test_route_rules_at_their_edges(facts: RouteFacts, route: str, rule: str) -> None:
    recommendation = recommend_route(facts)
    assert (recommendation.route, recommendation.rule) == (route, rule)
    assert recommendation.reasons[0].startswith(f"{len(facts.candidates)} candidate solution")


def test_status_moves_are_one_step_forward_or_a_stop() -> None:
    assert transition_problem("proposed", "in_dialogue") is None
    assert transition_problem("scaled", "stopped") is None
    assert transition_problem("in_dialogue", "scaled") is not None
    assert transition_problem("pilot", "proposed") is not None
    assert "final" in (transition_problem("stopped", "pilot") or "")


def _pilot(api: httpx.Client) -> tuple[int, int]:
    """(partnership id, solution id) of a new partnership in pilot in Bodø."""
    need = create(api, "needs", **LEAK_NEED, municipality_number="1804")
    solution = create(api, "solutions", **LEAK_SOLUTION, trl=9)
    pid = propose(api, need_ids=[need["id"]], solution_ids=[solution["id"]])["id"]
    for status in ("in_dialogue", "pilot"):
        assert move(api, pid, status).status_code == 200
    return pid, solution["id"]


def _record(client: httpx.Client, pid: int, **outcome: Any) -> httpx.Response:
    """A water-loss outcome in Bodø, in 2025 unless said otherwise."""
    body = {"kpi_code": WATER_LOSS, "municipality_number": "1804", "year": 2025, "unit": "%", **outcome}
    return client.post(f"/api/v1/partnerships/{pid}/outcomes", json=body)


def test_who_recorded_an_outcome_is_shown_to_staff_and_admins_only(
    api: httpx.Client, live_server: Any
) -> None:
    tokens = {
        role: create(api, "tokens", name=f"Ola {role.title()}, LUP", role=role, **binding)["token"]
        for role, binding in (
            ("staff", {}),
            ("officer", {"municipality_number": "1804"}),
            (
                "supplier",
                {
                    "supplier_id": create(api, "suppliers", name="Lytt AS", organisation_number="974760673")[
                        "id"
                    ]
                },
            ),
        )
    }
    pid, solution_id = _pilot(api)
    with live_server.client(token=tokens["staff"]) as staff:
        recorded = _record(staff, pid, value=21.5)
    assert recorded.status_code == 201 and recorded.json()["recorded_by"].startswith(
        "Ola Staff, LUP (staff token "
    )
    path = f"/api/v1/solutions/{solution_id}/outcomes"
    for caller, token in (
        ("anonymous", None),
        ("officer", tokens["officer"]),
        ("supplier", tokens["supplier"]),
    ):
        with live_server.client(token=token) as client:
            [seen] = client.get(path).json()
        assert seen["recorded_by"] is None and seen["value"] == 21.5, caller
    for token in (tokens["staff"], ADMIN_TOKEN):
        with live_server.client(token=token) as client:
            [seen] = client.get(path).json()
        assert seen["recorded_by"] == recorded.json()["recorded_by"]
    assert api.get(f"/api/v1/partnerships/{pid}").json()["outcomes"][0]["recorded_by"] == seen["recorded_by"]


def test_the_outcomes_of_an_unpublished_solution_are_hidden_like_the_solution(
    api: httpx.Client, live_server: Any
) -> None:
    pid, solution_id = _pilot(api)
    recorded = _record(api, pid, value=21.5)
    assert recorded.status_code == 201, recorded.text
    assert api.patch(f"/api/v1/solutions/{solution_id}", json={"status": "archived"}).status_code == 200
    with live_server.client(token=None) as anonymous:
        assert anonymous.get(f"/api/v1/solutions/{solution_id}/outcomes").status_code == 404
    assert len(api.get(f"/api/v1/solutions/{solution_id}/outcomes").json()) == 1


def test_a_second_value_for_a_year_is_refused_and_the_first_can_be_corrected(api: httpx.Client) -> None:
    observe(api, [("1804", 40.0, 2023)])
    pid, solution_id = _pilot(api)
    first = _record(api, pid, value=21.5)
    assert first.status_code == 201, first.text
    outcome_id = first.json()["id"]

    second = _record(api, pid, value=20.0)
    assert second.status_code == 409, second.text
    detail = second.json()["detail"]
    assert f"outcome {outcome_id}" in detail and "21.5 %" in detail, detail
    assert f"PATCH /api/v1/partnerships/{pid}/outcomes/{outcome_id}" in detail, detail
    [evidence] = api.get(f"/api/v1/solutions/{solution_id}/outcomes").json()
    assert evidence["value"] == 21.5 and _water_standing(api, "1804")["value"] == 21.5
    events = audit_events(api, subject_kind="partnership", subject_id=pid)
    assert [event["action"] for event in events].count("partnership_outcome_recorded") == 1

    path = f"/api/v1/partnerships/{pid}/outcomes/{outcome_id}"
    assert api.patch(path, json={"value": 120.0}).status_code == 422  # not a percentage
    assert api.patch(path, json={}).status_code == 422
    assert api.patch(f"/api/v1/partnerships/{pid}/outcomes/999999", json={"value": 20.0}).status_code == 404
    other_pid, _ = _pilot(api)
    assert (
        api.patch(f"/api/v1/partnerships/{other_pid}/outcomes/{outcome_id}", json={"value": 1}).status_code
        == 404
    )
    assert _water_standing(api, "1804")["value"] == 21.5

    corrected = api.patch(path, json={"value": 20.0, "note": "Skrivefeil: 20,0, ikke 21,5."})
    assert corrected.status_code == 200, corrected.text
    assert (corrected.json()["value"], corrected.json()["baseline_value"]) == (20.0, 40.0)
    [evidence] = api.get(f"/api/v1/solutions/{solution_id}/outcomes").json()
    assert (evidence["id"], evidence["value"], evidence["change"]) == (outcome_id, 20.0, -20.0)
    standing = _water_standing(api, "1804")
    assert (standing["value"], standing["year"]) == (20.0, 2025)
    [correction] = [
        event
        for event in audit_events(api, subject_kind="partnership", subject_id=pid)
        if event["action"] == "partnership_outcome_corrected"
    ]
    assert correction["detail"]["outcome_id"] == outcome_id
    assert (correction["detail"]["from"], correction["detail"]["to"]) == (
        {"value": 21.5, "unit": "%"},
        {"value": 20.0, "unit": "%"},
    )
    assert correction["detail"]["note"] == "Skrivefeil: 20,0, ikke 21,5."
    assert _record(api, pid, value=22.0, year=2024).status_code == 201  # another year is another value


def test_a_corrected_value_is_the_before_of_the_outcomes_measured_after_it(api: httpx.Client) -> None:
    pid, solution_id = _pilot(api)
    typo = _record(api, pid, value=30.0, year=2024).json()
    later = _record(api, pid, value=20.0, year=2025).json()
    assert (later["baseline_year"], later["baseline_value"]) == (2024, 30.0)

    corrected = api.patch(f"/api/v1/partnerships/{pid}/outcomes/{typo['id']}", json={"value": 25.0})
    assert corrected.status_code == 200, corrected.text
    evidence = {item["year"]: item for item in api.get(f"/api/v1/solutions/{solution_id}/outcomes").json()}
    assert (evidence[2025]["baseline_value"], evidence[2025]["change"]) == (25.0, -5.0)
    [correction] = [
        event
        for event in audit_events(api, subject_kind="partnership", subject_id=pid)
        if event["action"] == "partnership_outcome_corrected"
    ]
    assert correction["detail"]["baseline_of_outcome_ids"] == [later["id"]]


def _at_once(live_server: Any, pid: int, year: int) -> list[int]:
    """The statuses of two identical outcomes sent at the same moment, each on its own connection."""
    start = threading.Barrier(2)

    def send(_: int) -> int:
        with live_server.client() as client:
            start.wait()
            return _record(client, pid, value=21.5, year=year).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        return sorted(pool.map(send, range(2)))


def test_of_two_identical_outcomes_sent_at_once_one_is_stored(api: httpx.Client, live_server: Any) -> None:
    pid, _solution_id = _pilot(api)
    for year in (2024, 2025, 2026):
        assert _at_once(live_server, pid, year) == [201, 409], year
    assert len(api.get(f"/api/v1/partnerships/{pid}").json()["outcomes"]) == 3


def test_an_outcome_recorded_between_the_check_and_the_insert_is_named_in_the_refusal(
    api: httpx.Client, settings: Settings
) -> None:
    """The same request as the API's, through the service function, with the other request committed
    after its checks and before its first write: the moment two simultaneous requests can meet."""
    pid, _solution_id = _pilot(api)
    engine = make_engine(settings.resolved_database_url)
    outcome_in = OutcomeCreate(
        kpi_code=WATER_LOSS, municipality_number="1804", year=2025, value=21.5, unit="%"
    )
    try:
        with make_session_factory(engine)() as session:

            @event.listens_for(session, "before_flush", once=True)
            def _the_other_request_first(*_: object) -> None:
                assert _record(api, pid, value=21.5).status_code == 201

            with pytest.raises(ConflictError, match=f"Partnership {pid} already has an outcome"):
                outcomes.record_outcome(
                    session=session, partnership_id=pid, outcome_in=outcome_in, actor="test"
                )
        with make_session_factory(engine)() as session:
            [stored] = session.scalars(
                select(PartnershipOutcome).where(PartnershipOutcome.partnership_id == pid)
            )
            columns = {
                name: getattr(stored, name)
                for name in PartnershipOutcome.__table__.columns.keys()  # noqa: SIM118
                if name != "id"
            }
            session.add(PartnershipOutcome(**columns))
            with pytest.raises(IntegrityError):  # the database holds the rule too
                session.flush()
    finally:
        engine.dispose()
