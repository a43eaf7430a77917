"""`innomatch mcp`: the MCP server over stdio, started as an assistant starts it, driven by the SDK's client."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from tests.service.mcp.clients import READ_TOOLS, answer, over_stdio, stdio_server, text_of, tool_names
from tests.service.mcp.conftest import DRAFT_TITLE, PRIVATE_EMAIL, World
from tests.support.records import WATER_LOSS

pytestmark = pytest.mark.slow


def test_anonymous_reads_public_data_only(world: World, tmp_path: Path) -> None:
    async def work(client: Client) -> Any:
        names = await tool_names(client)
        found = await client.call_tool("search_needs", {"query": "vanntap lekkasjer drikkevann"})
        solutions = await client.call_tool(
            "search_solutions", {"query": "lekkasjeradar lekkasjer vannledningsnettet"}
        )
        facts = await client.call_tool("kpi_facts", {"kpi_code": WATER_LOSS, "municipality_number": "5001"})
        wrong = await client.call_tool("municipality_gaps", {"municipality_number": "1"})
        refused = await client.call_tool(
            "create_need", {"need": {"title": "Vanntap", "description": "Vi mister vann."}}
        )
        return names, found, solutions, facts, wrong, refused

    names, found, solutions, facts, wrong, refused = over_stdio(
        stdio_server(world.database_url, tmp_path), work
    )
    assert names == READ_TOOLS
    assert world.need_id in [item["need"]["id"] for item in answer(found)["items"]]
    assert PRIVATE_EMAIL not in text_of(found)
    assert answer(solutions)["items"][0]["links"]["api"].endswith(f"/api/v1/solutions/{world.solution_id}")
    assert DRAFT_TITLE not in text_of(solutions)
    assert answer(facts)["municipality_standings"][0]["value"] == 40.0
    assert wrong.is_error and "must be a four-digit municipality number" in text_of(wrong)
    assert refused.is_error


def test_an_officer_token_from_the_environment_may_create_a_need(world: World, tmp_path: Path) -> None:
    need = {
        "title": "Glatte fortau om vinteren",
        "description": "Mange eldre faller på glatte fortau; vi vil vite hvor og når det er glatt før noen faller.",
    }

    async def work(client: Client) -> Any:
        names = await tool_names(client)
        created = await client.call_tool("create_need", {"need": need})
        found = await client.call_tool("match_need", {"need_id": world.need_id})
        return names, answer(created), found

    names, created, _matches = over_stdio(
        stdio_server(world.database_url, tmp_path, world.officer_token), work
    )
    assert names == READ_TOOLS | {"create_need", "save_search"}
    assert created["municipality_number"] == "5001"
    with world.server.client() as api:  # the same database: the API has it
        stored = api.get(f"/api/v1/needs/{created['id']}")
    assert stored.status_code == 200 and stored.json()["title"] == need["title"]


@pytest.mark.parametrize("source", ["environment", "file"])
def test_a_token_that_is_not_valid_stops_the_start_with_the_reason(
    world: World, tmp_path: Path, source: str
) -> None:
    server = stdio_server(world.database_url, tmp_path / "data", None if source == "file" else "not-a-token")
    arguments = [*server.args]
    if source == "file":
        token_file = tmp_path / "token"
        token_file.write_text("revoked-or-never-made\n", encoding="utf-8")
        arguments += ["--token-file", str(token_file)]
    assert server.env is not None
    finished = subprocess.run(
        [sys.executable, *arguments],
        env={**os.environ, **server.env},
        cwd=server.cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=300,
    )
    assert finished.returncode == 2
    assert finished.stdout == b""  # stdout is the protocol's: nothing else is written there
    assert "This token is unknown or has been revoked." in finished.stderr.decode()
