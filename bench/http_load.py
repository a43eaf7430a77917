"""Latency and throughput over HTTP on loopback, with httpx async clients; every phase is bounded.

Sequential latency: one client, one request at a time, after a warm-up. Throughput: `clients`
coroutines sharing one connection pool, each sending its next request when the previous one returned,
for a fixed time or request count. The load generator runs on the same machine as the server.
"""

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bench.stats import Latency, Throughput

# Only addresses on this machine are ever measured.
_LOOPBACK_PREFIXES = ("http://127.", "http://localhost", "http://[::1]")


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    params: dict[str, str | int] | None = None
    body: dict[str, Any] | None = None
    label: str = ""  # sequential phases report one Latency per label (interleaved kinds of request)


CallFactory = Callable[[int], Call]  # the i-th request of a phase
ResponseCheck = Callable[[httpx.Response], bool]


def _checked_loopback(base_url: str) -> str:
    if not base_url.startswith(_LOOPBACK_PREFIXES):
        raise ValueError(f"the bench measures loopback servers only, not {base_url}")
    return base_url


def _client(base_url: str, connections: int, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else None
    return httpx.AsyncClient(
        base_url=_checked_loopback(base_url),
        headers=headers,
        timeout=httpx.Timeout(120.0),
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
    )


async def _send(client: httpx.AsyncClient, call: Call) -> httpx.Response:
    return await client.request(call.method, call.path, params=call.params, json=call.body)


def has_items(response: httpx.Response) -> bool:
    """A match or search answer with at least one result."""
    return response.status_code == 200 and bool(response.json().get("items"))


async def _sequential(
    base_url: str,
    calls: CallFactory,
    warmup: int,
    requests: int,
    max_seconds: float,
    check: ResponseCheck | None,
    token: str | None,
) -> dict[str, Latency]:
    durations: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    async with _client(base_url, 1, token) as client:
        for number in range(warmup):
            await _send(client, calls(number))
        deadline = time.perf_counter() + max_seconds
        for number in range(warmup, warmup + requests):
            call = calls(number)
            started = time.perf_counter()
            response = await _send(client, call)
            elapsed = time.perf_counter() - started
            durations.setdefault(call.label, [])
            if response.is_success and (check is None or check(response)):
                durations[call.label].append(elapsed)
            else:
                errors[call.label] = errors.get(call.label, 0) + 1
            if time.perf_counter() > deadline:
                break
    return {label: Latency.of(values, errors.get(label, 0)) for label, values in durations.items()}


def sequential_latency(
    base_url: str,
    calls: CallFactory,
    *,
    warmup: int,
    requests: int,
    max_seconds: float,
    check: ResponseCheck | None = has_items,
    token: str | None = None,
) -> dict[str, Latency]:
    """Percentiles per call label of `requests` sequential calls (fewer if `max_seconds` runs out).

    Interleaving two kinds of request in one phase (label them) compares them under the same
    background load, which on a shared machine drifts from one minute to the next.
    """
    return asyncio.run(_sequential(base_url, calls, warmup, requests, max_seconds, check, token))


async def _concurrent(
    base_url: str, calls: CallFactory, clients: int, seconds: float, max_requests: int
) -> Throughput:
    durations: list[float] = []
    errors = 0
    issued = 0

    async with _client(base_url, clients) as client:

        async def one_client() -> None:
            nonlocal errors, issued
            while time.perf_counter() < deadline and issued < max_requests:
                number = issued
                issued += 1
                started = time.perf_counter()
                try:
                    response = await _send(client, calls(number))
                    ok = response.is_success
                except httpx.HTTPError:
                    ok = False
                if ok:
                    durations.append(time.perf_counter() - started)
                else:
                    errors += 1

        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(one_client() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return Throughput(
        clients=clients,
        seconds=elapsed,
        completed=len(durations),
        requests_per_second=len(durations) / elapsed if elapsed > 0 else 0.0,
        latency=Latency.of(durations, errors),
    )


def concurrent_throughput(
    base_url: str, calls: CallFactory, *, clients: int, seconds: float, max_requests: int
) -> Throughput:
    """Completed requests per second with `clients` concurrent clients for `seconds` (or `max_requests`)."""
    return asyncio.run(_concurrent(base_url, calls, clients, seconds, max_requests))


async def _timed_each(
    base_url: str, calls: list[Call], token: str | None
) -> tuple[float, list[httpx.Response]]:
    async with _client(base_url, 1, token) as client:
        started = time.perf_counter()
        responses = [await _send(client, call) for call in calls]
        return time.perf_counter() - started, responses


def run_in_order(
    base_url: str, calls: list[Call], *, token: str | None = None
) -> tuple[float, list[httpx.Response]]:
    """Send `calls` one after another; (wall seconds, responses). For writes, which must not overlap here."""
    return asyncio.run(_timed_each(base_url, calls, token))
