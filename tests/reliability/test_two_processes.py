"""Several server processes on one PostgreSQL database: started together they migrate it one at a time,
and a write through either is matched by the other within PROPAGATION_BOUND seconds, because each
process's index follows the database's change log."""

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from service.migrations import alembic_config
from tests.reliability.figures import RecordProperty, report
from tests.reliability.processes import server_process
from tests.support.databases import scratch_postgres_database
from tests.support.servers import free_port

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
PROPAGATION_BOUND = 2.0  # seconds; the follower checks every 0.5 s (INNOMATCH_FOLLOW_INTERVAL)


def _seconds_until(condition: Callable[[], bool], timeout: float = 10) -> float:
    """How long until `condition` held, polled every 20 ms; fails after `timeout`."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "the other process never saw the write"
        time.sleep(0.02)
    return time.monotonic() - started


def _create(api: httpx.Client, kind: str, title: str, description: str) -> int:
    response = api.post(f"/api/v1/{kind}s", json={"title": title, "description": description})
    assert response.status_code == 201, response.text
    record_id: int = response.json()["id"]
    return record_id


def _top_need(api: httpx.Client, query: str) -> tuple[int | None, float | None]:
    """The first need a dense search finds, with its similarity."""
    response = api.post("/api/v1/search/needs", json={"query": query, "limit": 1, "ranking": "dense"})
    items = response.json()["items"]
    return (items[0]["need"]["id"], items[0]["explanation"]["similarity"]) if items else (None, None)


def _indexed(api: httpx.Client) -> tuple[int, int]:
    health = api.get("/health").json()
    return health["indexed_needs"], health["indexed_solutions"]


NEEDS = (
    ("Water leaks", "A quarter of the drinking water leaks from old pipes before it reaches a tap."),
    ("Cold classrooms", "The heating of the school buildings cannot be controlled remotely."),
    ("Dark streets", "Street lights stay on all night in streets where nobody walks."),
)


def test_a_write_through_one_process_is_matched_by_the_other(
    postgres_url: str, tmp_path: Path, record_property: RecordProperty
) -> None:
    with ExitStack() as stack:
        first, second = (
            stack.enter_context(
                server_process(
                    data_dir=tmp_path / name,
                    database_url=postgres_url,
                    port=free_port(),
                    settings={"INNOMATCH_FOLLOW_INTERVAL": "0.5"},
                )
            )
            for name in ("first", "second")
        )
        first.wait_healthy()
        second.wait_healthy()
        one, other = stack.enter_context(first.client()), stack.enter_context(second.client())
        for api in (one, other):  # a first search loads lazily built parts: not the follower's time
            _top_need(api, "warm up")
            api.post("/api/v1/search/solutions", json={"query": "warm up", "limit": 1})
        seconds: dict[str, list[float]] = {"create": [], "match": [], "update": [], "delete": []}

        # Needs created through the first are found by the second's search.
        need_ids = []
        for title, description in NEEDS:
            need_id = _create(one, "need", title, description)
            need_ids.append(need_id)
            query = f"{title}\n{description}"
            seconds["create"].append(_seconds_until(lambda: _top_need(other, query)[0] == need_id))  # noqa: B023

        # A solution created through the second is among the first's matches for the need it answers.
        solution_id = _create(
            other,
            "solution",
            "Acoustic leak detection",
            "Sensors on water pipes locate leaks in the network.",
        )

        def matched() -> bool:
            items = one.get(f"/api/v1/needs/{need_ids[0]}/matches").json()["items"]
            return solution_id in [item["solution"]["id"] for item in items]

        seconds["match"].append(_seconds_until(matched))

        # A new text through the first: the second's index holds the new vector (the same similarity).
        changed = "Traffic noise next to kindergartens keeps children awake at their midday rest."
        assert one.patch(f"/api/v1/needs/{need_ids[2]}", json={"description": changed}).status_code == 200
        query = f"{NEEDS[2][0]}\n{changed}"
        found, similarity = _top_need(one, query)
        assert found == need_ids[2] and similarity is not None

        def updated() -> bool:
            found_there, similarity_there = _top_need(other, query)
            return found_there == found and abs((similarity_there or 0) - similarity) < 1e-4

        seconds["update"].append(_seconds_until(updated))

        # A delete through the second leaves the first's index.
        assert other.delete(f"/api/v1/needs/{need_ids[1]}").status_code == 204
        seconds["delete"].append(_seconds_until(lambda: _indexed(one) == (len(NEEDS) - 1, 1)))

        assert _indexed(one) == _indexed(other) == (len(NEEDS) - 1, 1)
    slowest = max(value for values in seconds.values() for value in values)
    report(
        record_property,
        "two processes on PostgreSQL",
        {
            "follow_interval_s": 0.5,
            "writes_propagated": sum(len(values) for values in seconds.values()),
            "slowest_s": round(slowest, 2),
            **{f"{name}_s": [round(value, 2) for value in values] for name, values in seconds.items()},
        },
    )
    assert slowest < PROPAGATION_BOUND


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    with scratch_postgres_database("innomatch_empty") as url:
        yield url


def test_processes_started_together_migrate_the_database_once(empty_postgres_url: str) -> None:
    # What every server process does first. Without the migration lock all but one failed on the DDL in
    # two of three runs (a race, so not in every run); with it they never do.
    migrate = "import sys; from service.migrations import upgrade_to_head; upgrade_to_head(sys.argv[1])"
    processes = [
        subprocess.Popen([sys.executable, "-c", migrate, empty_postgres_url], stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors.decode()[-2000:]
    engine = create_engine(empty_postgres_url)
    with engine.connect() as connection:
        version = connection.scalar(text("SELECT version_num FROM alembic_version"))
    engine.dispose()
    assert version == ScriptDirectory.from_config(alembic_config(empty_postgres_url)).get_current_head()
