"""The programme staff's buyer groups and partnerships over a real server on a copy of the demo data: staff
see the groups the API finds, propose from a group exactly the partnership the API proposes from the same
choices, and are told next to the field why a proposal or a move is refused, with nothing stored; a form
without its CSRF token is refused; officers and suppliers get a 403 page, anonymous readers a sign-in."""

import re
import shutil
from collections.abc import Iterator
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
STAFF, OFFICER, SUPPLIER = "stab@innomatch.no", "kari@stavanger.kommune.no", "salg@leverandor.no"
PROBLEM = re.compile(r'<p class="ds-validation-message" data-color="danger" id="([\w-]+)-error">([^<]+)</p>')
# What a proposal decides, compared between the page's and the API's (not its id, times or author).
DECIDED = (
    "title",
    "status",
    "need_ids",
    "solution_ids",
    "buyer_group_key",
    "lead_municipality_number",
    "lead_rule",
    "lead_reason",
    "route",
    "route_rule",
    "route_reasons",
    "candidates",
)


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    directory = tmp_path_factory.mktemp("staff-partnership-pages")
    shutil.copy(demo_template, directory / "innomatch.sqlite3")
    url = f"sqlite:///{directory / 'innomatch.sqlite3'}"
    settings = Settings(data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none")
    shared = SharedServer(live=start_server(settings, encoder), database_url=url)
    add_person(url, STAFF, name="Stine Stab", role="staff")
    add_person(url, OFFICER, name="Kari Nordmann", role="officer", municipality_number="1103")
    with shared.client() as admin:
        supplier_id = admin.get("/api/v1/suppliers", params={"limit": 1}).json()["items"][0]["id"]
    add_person(url, SUPPLIER, name="Siri Salg", role="supplier", supplier_id=supplier_id)
    yield shared
    shared.live.stop()


@pytest.fixture(scope="module")
def groups(server: SharedServer) -> list[dict[str, Any]]:
    with server.client() as admin:
        found: list[dict[str, Any]] = admin.get("/api/v1/buyer-groups", params={"limit": 20}).json()["items"]
    assert len(found) >= 2, "the demo data has buyer groups"
    return found


def _problems(page: httpx.Response) -> dict[str, str]:
    return dict(PROBLEM.findall(page.text))


def _proposal_form(group: dict[str, Any], token: str, **changes: object) -> dict[str, object]:
    return {
        "csrf_token": token,
        "need_ids": [str(need["id"]) for need in group["needs"]],
        "solution_ids": [str(solution["id"]) for solution in group["best_solutions"]],
        "lead_municipality_number": "",
        "title": "",
        **changes,
    }


def test_staff_see_the_groups_the_api_finds(server: SharedServer, groups: list[dict[str, Any]]) -> None:
    with signed_in_client(server.live.base_url, STAFF) as browser:
        assert 'href="/buyer-groups"' in browser.get("/").text, "the header offers the page"
        assert 'href="/buyer-groups"' in browser.get("/demand").text, "the demand page leads to it"
        listing = browser.get("/buyer-groups")
        group = groups[0]
        page = browser.get(f"/buyer-groups/{group['key']}")
    assert listing.status_code == 200
    assert re.findall(r'href="/buyer-groups/(bg-[0-9a-f]{12})"', listing.text) == [g["key"] for g in groups]
    assert 'href="/api/v1/buyer-groups/export?format=xlsx"' in listing.text
    assert "Procurement notices in the theme" in page.text  # a count beside the needs (kunngjøringer)
    assert page.status_code == 200
    for municipality in group["municipalities"]:
        assert f"{municipality['name']}</a></th><td" in page.text
        assert f"{municipality['population']:,}" in page.text, "the population, in the reader's English"
    for need in group["needs"]:
        assert f'href="/needs/{need["id"]}"' in page.text
        assert f'name="need_ids" value="{need["id"]}" checked' in page.text, "every need chosen at first"
    assert group["best_solutions"], "the group has solutions to propose"
    for solution in group["best_solutions"]:
        assert f'href="/solutions/{solution["id"]}"' in page.text
        assert f'name="solution_ids" value="{solution["id"]}" checked' in page.text
    assert f"Average match score {solution['average_score']:.2f}" in page.text, "the reason it ranks"


def test_a_proposal_from_a_group_is_the_one_the_api_makes(
    server: SharedServer, groups: list[dict[str, Any]]
) -> None:
    group = groups[1]
    chosen_needs = [need["id"] for need in group["needs"]][:3]
    with signed_in_client(server.live.base_url, STAFF) as browser:
        page = browser.get(f"/buyer-groups/{group['key']}")
        sent = _proposal_form(group, csrf_token(page), need_ids=[str(n) for n in chosen_needs])
        answer = browser.post(f"/buyer-groups/{group['key']}/partnerships", data=sent)
        assert answer.status_code == 303
        address = answer.headers["location"]
        assert re.fullmatch(r"/partnerships/\d+", address)
        shown = browser.get(address)
    with server.client() as admin:
        from_page = admin.get(f"/api/v1{address}").json()
        from_api = admin.post(
            "/api/v1/partnerships",
            json={
                "need_ids": chosen_needs,
                "solution_ids": [solution["id"] for solution in group["best_solutions"]],
                "buyer_group_key": group["key"],
            },
        ).json()
    assert {name: from_page[name] for name in DECIDED} == {name: from_api[name] for name in DECIDED}
    assert from_page["created_by"].startswith("Stine Stab")
    assert shown.status_code == 200
    for reason in from_page["route_reasons"]:
        assert reason.replace("'", "&#39;") in shown.text
    assert from_page["lead_reason"].replace("'", "&#39;") in shown.text


def test_a_wrong_proposal_is_explained_next_to_its_field_and_nothing_is_stored(
    server: SharedServer, groups: list[dict[str, Any]]
) -> None:
    group = groups[0]
    with signed_in_client(server.live.base_url, STAFF) as browser:
        token = csrf_token(browser.get(f"/buyer-groups/{group['key']}"))
        before = server.counts()
        address = f"/buyer-groups/{group['key']}/partnerships"
        no_needs = browser.post(address, data=_proposal_form(group, token, need_ids=[]))
        unknown_lead = browser.post(
            address, data=_proposal_form(group, token, lead_municipality_number="9999")
        )
        no_token = browser.post(address, data={**_proposal_form(group, token), "csrf_token": "forged"})
    assert no_needs.status_code == 422
    assert _problems(no_needs) == {"propose-needs": "Choose at least one need of the group."}
    assert 'aria-describedby="propose-needs-error"' in no_needs.text
    assert unknown_lead.status_code == 422
    assert list(_problems(unknown_lead)) == ["propose-lead"]
    assert "9999" in _problems(unknown_lead)["propose-lead"]
    assert no_token.status_code == 403
    assert server.counts() == before


def test_a_skipped_move_is_explained_and_stores_nothing(
    server: SharedServer, groups: list[dict[str, Any]]
) -> None:
    with server.client() as admin:
        created = admin.post(
            "/api/v1/partnerships", json={"need_ids": [need["id"] for need in groups[0]["needs"]][:2]}
        ).json()
    address = f"/partnerships/{created['id']}"
    with signed_in_client(server.live.base_url, STAFF) as browser:
        page = browser.get(address)
        before = server.counts()
        assert re.findall(
            r'<option value="(\w+)"', page.text.split('id="move-status"')[1].split("</select>")[0]
        ) == [
            "in_dialogue",
            "stopped",
        ], "the form offers the next statuses"
        skipped = browser.post(f"{address}/status", data={"csrf_token": csrf_token(page), "status": "pilot"})
        board = browser.get("/partnerships")
    assert skipped.status_code == 409
    assert _problems(skipped) == {
        "move-status": "A partnership that is “proposed” can move to “in dialogue” or “stopped”, not to “pilot”."
    }
    assert server.counts() == before
    with server.client() as admin:
        assert admin.get(f"/api/v1{address}").json()["status"] == "proposed"
    proposed = board.text.split('id="column-proposed"')[1].split("</section>")[0]
    assert f'href="{address}"' in proposed, "the board shows it under proposed"


def test_others_are_refused_and_anonymous_readers_sent_to_sign_in(
    server: SharedServer, groups: list[dict[str, Any]]
) -> None:
    key = groups[0]["key"]
    pages = ["/buyer-groups", f"/buyer-groups/{key}", "/partnerships", "/partnerships/1"]
    for email in (OFFICER, SUPPLIER):
        with signed_in_client(server.live.base_url, email) as browser:
            assert 'href="/buyer-groups"' not in browser.get("/").text
            assert 'href="/buyer-groups"' not in browser.get("/demand").text
            for path in pages:
                refused = browser.get(path)
                assert refused.status_code == 403, (email, path)
                assert "Only programme staff and administrators see this page." in refused.text
            token = csrf_token(browser.get("/"))
            before = server.counts()
            sent = browser.post(f"/buyer-groups/{key}/partnerships", data=_proposal_form(groups[0], token))
            assert sent.status_code == 403 and server.counts() == before
    with httpx.Client(base_url=server.live.base_url) as anonymous:
        for path in pages:
            answer = anonymous.get(path)
            assert answer.status_code == 303
            assert answer.headers["location"] == f"/login?next={path}"


def test_an_outcome_is_recorded_only_in_pilot_and_a_wrong_one_is_explained(
    server: SharedServer, groups: list[dict[str, Any]]
) -> None:
    group = groups[0]
    need = group["needs"][0]
    with server.client() as admin:
        created = admin.post(
            "/api/v1/partnerships",
            json={"need_ids": [need["id"]], "solution_ids": [group["best_solutions"][0]["id"]]},
        ).json()
    address = f"/partnerships/{created['id']}"
    with signed_in_client(server.live.base_url, STAFF) as browser:
        proposed = browser.get(address)
        assert 'action="' + address + '/outcomes"' not in proposed.text, "no outcome before the pilot"
        for status in ("in_dialogue", "pilot"):
            moved = browser.post(
                f"{address}/status", data={"csrf_token": csrf_token(proposed), "status": status}
            )
            assert moved.status_code == 303
        pilot = browser.get(address)
        assert 'action="' + address + '/outcomes"' in pilot.text
        before = server.counts()
        wrong = browser.post(
            f"{address}/outcomes",
            data={
                "csrf_token": csrf_token(pilot),
                "municipality_number": need["municipality_number"],
                "kpi_code": group["theme_kpi"]["code"],
                "year": "2024",
                "value": "12",
                "unit": "kg",
            },
        )
        exports = {
            "partnerships": browser.get("/api/v1/partnerships/export", params={"format": "csv"}),
            "buyer groups": browser.get("/api/v1/buyer-groups/export", params={"format": "xlsx"}),
        }
    assert wrong.status_code == 422
    assert list(_problems(wrong)) == ["outcome-unit"]
    assert _problems(wrong)["outcome-unit"].startswith("The unit: ")
    assert server.counts() == before
    assert exports["partnerships"].status_code == 200, "staff download with their session"
    assert created["title"] in exports["partnerships"].content.decode("utf-8-sig")
    assert exports["buyer groups"].status_code == 200
    assert (
        exports["buyer groups"]
        .headers["content-type"]
        .startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )


def _in_bokmal(client: httpx.Client) -> httpx.Client:
    client.cookies.set("lang", "nb")
    return client


def test_a_proposal_in_bokmal_is_titled_and_explained_in_bokmal_and_the_api_keeps_its_english(
    server: SharedServer, groups: list[dict[str, Any]]
) -> None:
    group = next(g for g in groups if len(g["needs"]) >= 2)
    with signed_in_client(server.live.base_url, STAFF) as browser:
        _in_bokmal(browser)
        page = browser.get(f"/buyer-groups/{group['key']}")
        answer = browser.post(
            f"/buyer-groups/{group['key']}/partnerships", data=_proposal_form(group, csrf_token(page))
        )
        assert answer.status_code == 303
        address = answer.headers["location"]
        bokmal = browser.get(address)
        english = browser.get(address, params={"lang": "en"})
    with server.client() as admin:
        stored = admin.get(f"/api/v1{address}").json()
    others = len(group["needs"]) - 1
    assert stored["title"] == f"{group['needs'][0]['title']} (+{others} behov til)"[:300], "titled in Bokmål"
    reasons = re.search(r'<ul class="route-reasons"( lang="en")?>(.*?)</ul>', bokmal.text, re.S)
    assert reasons and reasons.group(1) is None, "the reasons are not marked as English"
    shown = re.findall(r"<li>(.*?)</li>", reasons.group(2))
    assert len(shown) == len(stored["route_reasons"])
    assert "kandidatløsning" in shown[0] and "leverandør" in shown[0], shown[0]
    for reason in stored["route_reasons"]:
        assert reason.replace("'", "&#39;") not in bokmal.text, "no English reason on the Bokmål page"
        assert reason.replace("'", "&#39;") in english.text, "the English page says what the API says"
    assert stored["route_reasons"][0].startswith(f"{len(group['best_solutions'])} candidate solution")
    lead = re.search(r'<p class="lead-reason">(.*?)</p>', bokmal.text, re.S)
    assert lead and lead.group(1) != stored["lead_reason"].replace("'", "&#39;")
    assert stored["lead_reason"].replace("'", "&#39;") not in bokmal.text
    assert stored["lead_reason"].replace("'", "&#39;") in english.text
    assert "Tjenestens begrunnelse:" in bokmal.text and "(på engelsk)" not in bokmal.text


def test_a_wrong_reference_and_a_refused_outcome_are_explained_in_bokmal(
    server: SharedServer, groups: list[dict[str, Any]]
) -> None:
    group = groups[0]
    need = group["needs"][0]
    with server.client() as admin:
        created = admin.post(
            "/api/v1/partnerships",
            json={"need_ids": [need["id"]], "solution_ids": [group["best_solutions"][0]["id"]]},
        ).json()
        standings = admin.get(f"/api/v1/municipalities/{need['municipality_number']}/kpis").json()
    standing = next(s for s in standings if s["unit"] and s["value"] is not None and s["year"])
    outcome = {
        "municipality_number": need["municipality_number"],
        "kpi_code": standing["kpi_code"],
        "data_point": standing["data_point"],
        "year": str(standing["year"] + 1),
        "value": str(standing["value"]),
        "unit": standing["unit"],
    }
    address = f"/partnerships/{created['id']}"
    with signed_in_client(server.live.base_url, STAFF) as browser:
        _in_bokmal(browser)
        token = csrf_token(browser.get(f"/buyer-groups/{group['key']}"))
        unknown_lead = browser.post(
            f"/buyer-groups/{group['key']}/partnerships",
            data=_proposal_form(group, token, lead_municipality_number="9999"),
        )
        too_early = browser.post(f"{address}/outcomes", data={"csrf_token": token, **outcome})
        too_early_en = browser.post(
            f"{address}/outcomes", params={"lang": "en"}, data={"csrf_token": token, **outcome}
        )
        with server.client() as admin:
            for status in ("in_dialogue", "pilot"):
                assert admin.patch(f"/api/v1{address}", json={"status": status}).status_code == 200
        wrong = {"kpi_code": group["theme_kpi"]["code"], "data_point": "", "unit": "kg", "value": "12"}
        wrong_unit = browser.post(  # the English page above remembered English
            f"{address}/outcomes", params={"lang": "nb"}, data={"csrf_token": token, **outcome, **wrong}
        )
    assert unknown_lead.status_code == 422
    assert _problems(unknown_lead)["propose-lead"] == (
        "Den ledende kommunen: det finnes ingen kommune med nummer 9999"
    )
    assert too_early.status_code == 409
    alert = re.search(r'<p class="ds-alert" data-color="danger" role="alert">([^<]+)</p>', too_early.text)
    assert alert and alert.group(1) == (
        "Resultater måles etter en pilot: partnerskapet er «foreslått». Flytt det til «pilot» først."
    )
    assert too_early_en.status_code == 409
    assert "Outcomes are measured after a pilot: the partnership is “proposed”." in too_early_en.text
    assert wrong_unit.status_code == 422
    problem = _problems(wrong_unit)["outcome-unit"]
    assert problem.startswith("Enheten: ") and "kg" in problem, problem
    assert "the unit must" not in problem and "this KPI" not in problem
