"""A bounded load test against a real uvicorn server on loopback: many clients mix creates, updates and
deletes of needs and solutions with matches and searches. No request fails, no acknowledged write is lost,
and afterwards the index equals the database. Figures are printed (`pytest -s`) and recorded."""

import asyncio
import random
import statistics
import time
from dataclasses import dataclass, field

import httpx
import pytest
from fastapi import FastAPI

from service.indexing import Indexes
from tests.reliability.figures import RecordProperty, report
from tests.support.indexes import assert_index_equals_database
from tests.support.servers import ADMIN_TOKEN, LiveServer

pytestmark = pytest.mark.slow
CLIENTS = 16
REQUESTS_PER_CLIENT = 25
KINDS = ("need", "solution")
TOPICS = (
    "water leaks in the distribution network",
    "energy use of municipal buildings",
    "private car share on the commute",
    "sorting of household waste",
    "air quality near schools",
    "elderly people living alone at home",
)
# What each client does, with its weight; writes only touch the client's own records.
ACTIONS = {"create": 4, "update": 2, "delete": 1, "match": 3, "search": 3}
Key = tuple[str, int]  # (kind, id)


@dataclass
class LoadClient:
    """One simulated user: its own records, what the server acknowledged, and every failure seen."""

    number: int
    rng: random.Random
    described: dict[Key, str] = field(default_factory=dict)
    deleted: set[Key] = field(default_factory=set)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    serial: int = 0

    def live(self) -> list[Key]:
        return sorted(set(self.described) - self.deleted)

    async def run(self, base_url: str) -> None:
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=120) as http:
            for _ in range(REQUESTS_PER_CLIENT):
                await self._step(http)

    async def _step(self, http: httpx.AsyncClient) -> None:
        live = self.live()
        action = self.rng.choices(list(ACTIONS), weights=list(ACTIONS.values()))[0] if live else "create"
        kind, record_id = self.rng.choice(live) if live else (self.rng.choice(KINDS), 0)
        if action == "create":
            text = self._text()
            response = await self._send(
                http, "POST", f"/api/v1/{kind}s", 201, json={"title": text[:60], "description": text}
            )
            if response:
                self.described[(kind, response.json()["id"])] = text
        elif action == "update":
            text = self._text()
            if await self._send(
                http, "PATCH", f"/api/v1/{kind}s/{record_id}", 200, json={"description": text}
            ):
                self.described[(kind, record_id)] = text
        elif action == "delete":
            if await self._send(http, "DELETE", f"/api/v1/{kind}s/{record_id}", 204):
                self.deleted.add((kind, record_id))
        elif action == "match":
            await self._send(http, "GET", f"/api/v1/{kind}s/{record_id}/matches", 200)
        else:
            query = {"query": self.rng.choice(TOPICS), "limit": 10}
            await self._send(http, "POST", f"/api/v1/search/{self.rng.choice(KINDS)}s", 200, json=query)

    async def _send(
        self, http: httpx.AsyncClient, method: str, path: str, expected: int, json: object = None
    ) -> httpx.Response | None:
        """The response when it has the expected status; anything else is recorded as an error."""
        started = time.monotonic()
        try:
            response = await http.request(method, path, json=json)
        except httpx.HTTPError as error:
            self.errors.append(f"{method} {path}: {error!r}")
            return None
        self.latencies.append(time.monotonic() - started)
        if response.status_code != expected:
            self.errors.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
            return None
        return response

    def _text(self) -> str:
        self.serial += 1
        place = "".join(self.rng.choice("bdgklmnprstv") + self.rng.choice("aeiou") for _ in range(4))
        return f"Client {self.number}, case {self.serial}: {self.rng.choice(TOPICS)} in {place.capitalize()}."


def _assert_nothing_lost(api: httpx.Client, client: LoadClient) -> None:
    for (kind, record_id), text in client.described.items():
        response = api.get(f"/api/v1/{kind}s/{record_id}")
        if (kind, record_id) in client.deleted:
            assert response.status_code == 404, f"deleted {kind} {record_id} is back"
        else:
            assert response.status_code == 200, f"acknowledged {kind} {record_id} lost"
            assert response.json()["description"] == text, f"acknowledged update of {kind} {record_id} lost"


def test_many_clients_mixing_writes_matches_and_searches(
    live_server: LiveServer, database_url: str, record_property: RecordProperty
) -> None:
    rng = random.Random(11)
    clients = [LoadClient(number, random.Random(rng.random())) for number in range(CLIENTS)]

    async def load() -> None:
        await asyncio.gather(*(client.run(live_server.base_url) for client in clients))

    started = time.monotonic()
    asyncio.run(load())
    seconds = time.monotonic() - started

    errors = [error for client in clients for error in client.errors]
    latencies = sorted(latency for client in clients for latency in client.latencies)
    report(
        record_property,
        f"load test ({database_url.split(':', 1)[0]})",
        {
            "clients": CLIENTS,
            "requests_served": len(latencies),
            "errors": len(errors),
            "seconds": round(seconds, 1),
            "requests_per_second": round(len(latencies) / seconds, 1),
            "median_ms": round(statistics.median(latencies) * 1000),
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000),
        },
    )
    assert not errors, errors[:5]
    with live_server.client() as api:
        for client in clients:
            _assert_nothing_lost(api, client)
    app = live_server.server.config.app
    assert isinstance(app, FastAPI)
    indexes: Indexes = app.state.indexes
    for kind, index in (("need", indexes.needs), ("solution", indexes.solutions)):
        alive = {key[1] for client in clients for key in client.live() if key[0] == kind}
        assert set(index.ids().tolist()) == alive, f"the {kind} index differs from the acknowledged writes"
    assert_index_equals_database(app)
