"""The MCP server over streamable HTTP at /mcp, driven by the SDK's client against a real server."""

from typing import Any

import httpx
import pytest
from mcp import Client

from service.accounts.browser_secrets import CSRF_HEADER, SESSION_COOKIE
from tests.service.mcp.clients import READ_TOOLS, answer, bearer, over_http, text_of, tool_names
from tests.service.mcp.conftest import DRAFT_TITLE, PRIVATE_EMAIL, World
from tests.support.accounts import add_person, sign_in
from tests.support.records import WATER_LOSS

pytestmark = pytest.mark.slow
PUBLIC_BASE_URL = "http://127.0.0.1:8000"  # the settings' default: links start with it


def test_anonymous_callers_get_read_tools_described_in_both_languages(world: World) -> None:
    async def work(client: Client) -> Any:
        return (await client.list_tools()).tools

    tools = over_http(world.mcp_url, work)
    assert {tool.name for tool in tools} == READ_TOOLS  # no write tool without a token
    for tool in tools:
        english, norwegian = tool.description.split(" / ")
        assert english and norwegian, tool.name
        assert tool.annotations and tool.annotations.read_only_hint
        for name, field in tool.input_schema["properties"].items():
            assert field.get("description") or "$ref" in field or "anyOf" in field, (tool.name, name)


def test_a_write_tool_cannot_be_called_without_a_token(world: World) -> None:
    async def work(client: Client) -> Any:
        return await client.call_tool(
            "create_need", {"need": {"title": "Vanntap", "description": "Vi mister vann."}}
        )

    result = over_http(world.mcp_url, work)
    assert result.is_error
    assert "create_need" in text_of(result)


def test_an_officer_token_adds_create_need_and_sees_contact_data(world: World) -> None:
    need = {
        "title": "Overvann i sentrum",
        "description": "Kraftig regn fører til oversvømte kjellere i sentrum; vi trenger å lede overvannet bort.",
    }

    async def work(client: Client) -> Any:
        names = await tool_names(client)
        created = await client.call_tool("create_need", {"need": need})
        found = await client.call_tool(
            "search_needs", {"query": "lekkasjer i vannledningsnettet", "limit": 5}
        )
        return names, answer(created), text_of(found)

    names, created, found = over_http(world.mcp_url, work, headers=bearer(world.officer_token))
    assert names == READ_TOOLS | {"create_need", "save_search"}
    assert created["municipality_number"] == "5001"  # an officer's need is its municipality's
    assert created["links"]["page"] == f"{PUBLIC_BASE_URL}/needs/{created['id']}"
    assert "quality" in created
    with world.server.client() as api:
        assert api.get(f"/api/v1/needs/{created['id']}").json()["title"] == need["title"]
    assert PRIVATE_EMAIL in found  # a token's holder sees the contact person, as on the API


def test_a_write_a_token_may_not_make_is_refused_and_stores_nothing(world: World) -> None:
    need = {
        "title": "Vanntap i Oslo",
        "description": "Oslo mister vann i ledningsnettet.",
        "municipality_number": "0301",
    }

    async def work(client: Client) -> Any:
        return await client.call_tool("create_need", {"need": need})

    result = over_http(world.mcp_url, work, headers=bearer(world.officer_token))
    assert result.is_error
    assert "An officer token acts only for its own municipality (5001), not for municipality 0301" in text_of(
        result
    )
    with world.server.client() as api:
        titles = [item["title"] for item in api.get("/api/v1/needs", params={"limit": 100}).json()["items"]]
    assert need["title"] not in titles


def test_a_supplier_token_may_save_a_search_but_not_create_needs(world: World) -> None:
    search = {"name": "Lekkasjer", "kind": "needs_for_solution", "solution_id": world.solution_id}

    async def work(client: Client) -> Any:
        return await tool_names(client), await client.call_tool("save_search", {"search": search})

    names, saved = over_http(world.mcp_url, work, headers=bearer(world.supplier_token))
    assert names == READ_TOOLS | {"save_search"}
    assert answer(saved)["kind"] == "needs_for_solution"
    assert answer(saved)["links"]["api"].endswith(f"/api/v1/saved-searches/{answer(saved)['id']}")


def test_every_read_tool_answers_with_explanations_and_links(world: World) -> None:
    calls: dict[str, dict[str, Any]] = {
        "search_solutions": {"query": "lekkasjer i vannledningsnettet"},
        "search_needs": {"query": "leak detection in water pipes", "filters": {"kpi": WATER_LOSS}},
        "match_need": {"need_id": world.need_id, "limit": 3},
        "solution_demand": {"solution_id": world.solution_id},
        "municipality_gaps": {"municipality_number": "5001"},
        "buyer_groups": {"limit": 5},
        "kpi_facts": {"kpi_code": WATER_LOSS, "municipality_number": "5001"},
    }

    async def work(client: Client) -> dict[str, dict[str, Any]]:
        return {name: answer(await client.call_tool(name, arguments)) for name, arguments in calls.items()}

    results = over_http(world.mcp_url, work)
    assert results.keys() == READ_TOOLS
    best = results["search_solutions"]["items"][0]
    assert best["solution"]["id"] == world.solution_id
    assert best["explanation"]["summary"] and best["explanation"]["summary_no"]
    assert best["links"] == {
        "page": f"{PUBLIC_BASE_URL}/solutions/{world.solution_id}",
        "api": f"{PUBLIC_BASE_URL}/api/v1/solutions/{world.solution_id}",
    }
    assert results["search_needs"]["items"][0]["links"]["page"].startswith(f"{PUBLIC_BASE_URL}/needs/")
    assert results["match_need"]["links"]["api"] == f"{PUBLIC_BASE_URL}/api/v1/needs/{world.need_id}/matches"
    assert [item["solution"]["id"] for item in results["match_need"]["items"]] == [world.solution_id]
    demand = results["solution_demand"]
    assert world.need_id in [need["id"] for need in demand["needs"]]
    assert demand["links"]["api"] == f"{PUBLIC_BASE_URL}/api/v1/solutions/{world.solution_id}/demand"
    gaps = results["municipality_gaps"]
    assert [gap["kpi_code"] for gap in gaps["gaps"]] == [WATER_LOSS]
    assert gaps["gaps"][0]["value"] == 40.0 and gaps["gaps"][0]["source"]
    assert gaps["links"]["page"] == f"{PUBLIC_BASE_URL}/municipalities/5001"
    groups = results["buyer_groups"]
    assert {"items", "total", "method"} <= groups.keys()
    for group in groups["items"]:
        assert group["links"]["page"] == f"{PUBLIC_BASE_URL}/buyer-groups/{group['key']}"
    facts = results["kpi_facts"]
    assert facts["kpi"]["code"] == WATER_LOSS and facts["kpi"]["name_no"]
    assert [standing["value"] for standing in facts["municipality_standings"]] == [40.0]
    assert facts["municipality_standings"][0]["trend"] is not None


def test_kpi_facts_without_a_municipality_name_the_weak_ones(world: World) -> None:
    async def work(client: Client) -> dict[str, Any]:
        return answer(await client.call_tool("kpi_facts", {"kpi_code": "EC: I: WS: 3C", "limit": 1}))

    facts = over_http(world.mcp_url, work)
    assert facts["weak_municipalities_total"] == 2
    assert [standing["municipality_number"] for standing in facts["weak_municipalities"]] == [
        "0301"
    ]  # the worst first


@pytest.mark.parametrize(
    ("tool", "arguments", "said"),
    [
        (
            "search_solutions",
            {"query": "lekkasjer", "limit": 1000},
            "limit: Input should be less than or equal to 100",
        ),
        ("search_solutions", {"query": "   "}, "query:"),
        ("search_needs", {}, "query: is required"),
        ("municipality_gaps", {"municipality_number": "50"}, "must be a four-digit municipality number"),
        ("municipality_gaps", {"municipality_number": "9999"}, "Municipality 9999 does not exist"),
        ("match_need", {"need_id": 987654}, "Need 987654 does not exist"),
        ("match_need", {"need_id": "seven"}, "need_id: Input should be a valid integer"),
        ("kpi_facts", {"kpi_code": "XX-1"}, "KPI XX-1 does not exist"),
        ("buyer_groups", {"limit": 0}, "limit: Input should be greater than or equal to 1"),
        (
            "search_solutions",
            {"query": "lekkasjer", "filters": {"county": "999"}},
            "filters.county: must be a two-digit county number",
        ),
    ],
)
def test_a_bad_argument_is_a_tool_error_a_person_understands(
    world: World, tool: str, arguments: dict[str, Any], said: str
) -> None:
    async def work(client: Client) -> Any:
        return await client.call_tool(tool, arguments)

    result = over_http(world.mcp_url, work)
    assert result.is_error
    assert said in text_of(result)
    assert "Traceback" not in text_of(result) and "errors.pydantic.dev" not in text_of(result)


def test_private_fields_never_reach_an_anonymous_caller(world: World) -> None:
    calls: list[tuple[str, dict[str, Any]]] = [
        ("search_needs", {"query": "vanntap lekkasjer drikkevann", "limit": 100}),
        ("search_solutions", {"query": "lekkasjeradar lekkasjer vannledningsnettet", "limit": 100}),
        ("match_need", {"need_id": world.need_id, "limit": 100}),
        ("solution_demand", {"solution_id": world.solution_id}),
        ("municipality_gaps", {"municipality_number": "5001"}),
        ("buyer_groups", {"limit": 50}),
        ("kpi_facts", {"kpi_code": WATER_LOSS}),
    ]

    async def work(client: Client) -> list[str]:
        texts = [text_of(await client.call_tool(name, arguments)) for name, arguments in calls]
        texts.append(text_of(await client.call_tool("solution_demand", {"solution_id": world.draft_id})))
        return texts

    texts = over_http(world.mcp_url, work)
    assert world.need_id and any(f'"id":{world.need_id}' in text.replace(" ", "") for text in texts)
    for text in texts:
        assert PRIVATE_EMAIL not in text
        assert "Kari Privat" not in text
        assert DRAFT_TITLE not in text
    assert f"Solution {world.draft_id} does not exist" in texts[-1]  # a draft is not public


def test_a_browser_session_grants_no_rights(world: World) -> None:
    """A page of another site can make a browser send its cookie: only a bearer token counts here."""
    add_person(world.database_url, "stab@innomatch.example", name="Stine Stab", role="staff")
    with httpx.Client(base_url=world.server.base_url) as browser:
        assert sign_in(browser, "stab@innomatch.example").status_code == 303
        cookie = browser.cookies[SESSION_COOKIE]
    headers = {"Cookie": f"{SESSION_COOKIE}={cookie}", CSRF_HEADER: "anything"}

    async def work(client: Client) -> Any:
        return await tool_names(client), text_of(await client.call_tool("search_needs", {"query": "vanntap"}))

    names, found = over_http(world.mcp_url, work, headers=headers)
    assert names == READ_TOOLS
    assert PRIVATE_EMAIL not in found


def test_an_unknown_token_is_refused_with_401(world: World) -> None:
    answered = httpx.post(
        world.mcp_url,
        headers={"Authorization": "Bearer not-a-token", "Accept": "application/json, text/event-stream"},
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
    )
    assert answered.status_code == 401
    assert answered.json() == {"detail": "This token is unknown or has been revoked."}
    assert answered.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("header", "value", "status"),
    [("Origin", "https://evil.example", 403), ("Host", "evil.example", 421)],
)
def test_requests_from_other_sites_are_refused(world: World, header: str, value: str, status: int) -> None:
    """DNS rebinding and cross-site posts: Host and Origin must be the service's own or the loopback."""
    answered = httpx.post(
        world.mcp_url,
        headers={header: value, "Accept": "application/json, text/event-stream"},
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
    )
    assert answered.status_code == status
