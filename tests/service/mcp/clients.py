"""The SDK's own client against the MCP server, over streamable HTTP or stdio, from synchronous tests."""

import json
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio
import httpx2
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult, TextContent

from tests.support.servers import ADMIN_TOKEN

Result = TypeVar("Result")
Work = Callable[[Client], Awaitable[Result]]
REPOSITORY = Path(__file__).resolve().parents[3]
READ_TOOLS = {
    "search_solutions",
    "search_needs",
    "match_need",
    "solution_demand",
    "municipality_gaps",
    "buyer_groups",
    "kpi_facts",
}


def over_http(url: str, work: Work[Result], *, headers: dict[str, str] | None = None) -> Result:
    async def session() -> Result:
        async with (
            httpx2.AsyncClient(headers=headers, timeout=60) as http,
            Client(streamable_http_client(url, http_client=http)) as client,
        ):
            return await work(client)

    return anyio.run(session)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def stdio_server(database_url: str, data_dir: Path, token: str | None = None) -> StdioServerParameters:
    """`python -m service mcp` on the test database, with its own data dir (index snapshots)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPOSITORY),
        "INNOMATCH_DATA_DIR": str(data_dir),
        "INNOMATCH_DATABASE_URL": database_url,
        "INNOMATCH_ADMIN_TOKEN": ADMIN_TOKEN,
        "INNOMATCH_LOG_LEVEL": "WARNING",
        "INNOMATCH_FOLLOW_INTERVAL": "0",
        "INNOMATCH_ENCODER_THREADS": "1",
    }
    env.pop("INNOMATCH_MCP_TOKEN", None)
    if token is not None:
        env["INNOMATCH_MCP_TOKEN"] = token
    return StdioServerParameters(
        command=sys.executable, args=["-m", "service", "mcp"], env=env, cwd=REPOSITORY
    )


def over_stdio(server: StdioServerParameters, work: Work[Result]) -> Result:
    async def session() -> Result:
        async with Client(server) as client:
            return await work(client)

    return anyio.run(session)


def text_of(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, TextContent))


def answer(result: CallToolResult) -> dict[str, Any]:
    """A successful call's structured result (the same as its text, which is JSON)."""
    assert not result.is_error, text_of(result)
    assert result.structured_content is not None
    assert json.loads(text_of(result)) == result.structured_content
    return result.structured_content


async def tool_names(client: Client) -> set[str]:
    return {tool.name for tool in (await client.list_tools()).tools}
