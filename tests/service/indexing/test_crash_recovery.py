"""A real server process SIGKILLed at random moments during writes, again and again, loses no acknowledged
write, and after every restart its index agrees with the database.

The figures (rounds, kills survived, acknowledged writes checked) are printed (`pytest -s`) and recorded
as junit properties, for the README.
"""

import random
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from embeddings import Encoder
from service.config import Settings
from tests.reliability.figures import RecordProperty, report
from tests.reliability.processes import ServerProcess, server_process
from tests.support.indexes import assert_index_equals_database
from tests.support.servers import ADMIN_TOKEN, free_port, start_server

pytestmark = pytest.mark.slow
KILL_ROUNDS = 6  # 8-14 s each on 2 busy cores, most of it the server's start
WRITERS = 3
LONGEST_WRITE_PHASE = 4.0  # seconds of writes before the kill, drawn uniformly from 0 to this
KINDS = ("need", "solution")
TOPICS = (
    "water leaks in old cast-iron pipes",
    "heating of school buildings that cannot be controlled remotely",
    "street lights that stay on in empty streets",
    "overfull waste bins in the city centre",
    "traffic noise next to kindergartens",
    "late buses on rural routes",
)
Key = tuple[str, int]  # (kind, id)


class Writer:
    """Creates, updates and deletes needs and solutions of its own; trusts only acknowledged writes."""

    def __init__(self, number: int, rng: random.Random) -> None:
        self.number = number
        self.rng = rng
        self.serial = 0
        self.described: dict[Key, str] = {}  # the acknowledged description of each record
        self.deleted: set[Key] = set()
        # A write cut short by the kill may or may not have committed: the descriptions possible (None: gone).
        self.undecided: dict[Key, set[str | None]] = {}
        self.acknowledged: Counter[str] = Counter()
        self.unexpected: list[str] = []

    def live(self) -> list[Key]:
        return sorted(set(self.described) - self.deleted - set(self.undecided))

    def run(self, base_url: str) -> None:
        headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
            try:
                while True:
                    self._step(client)
            except httpx.TransportError:
                return  # the server was killed

    def _step(self, client: httpx.Client) -> None:
        live = self.live()
        action = self.rng.choices(("create", "update", "delete"), weights=(3, 2, 1) if live else (1, 0, 0))[0]
        if action == "create":
            kind = self.rng.choice(KINDS)
            text = self._text()
            response = client.post(f"/api/v1/{kind}s", json={"title": text[:60], "description": text})
            if self._acknowledged(response, 201):
                self.described[(kind, response.json()["id"])] = text
            return
        key = self.rng.choice(live)
        kind, record_id = key
        if action == "update":
            text = self._text()
            self.undecided[key] = {self.described[key], text}
            response = client.patch(f"/api/v1/{kind}s/{record_id}", json={"description": text})
            if self._acknowledged(response, 200):
                self.described[key] = text
                del self.undecided[key]
        else:
            self.undecided[key] = {self.described[key], None}
            if self._acknowledged(client.delete(f"/api/v1/{kind}s/{record_id}"), 204):
                self.deleted.add(key)
                del self.undecided[key]

    def _acknowledged(self, response: httpx.Response, expected: int) -> bool:
        if response.status_code != expected:
            self.unexpected.append(
                f"{response.request.method} {response.request.url.path}: {response.status_code}"
            )
            return False
        self.acknowledged[response.request.method] += 1
        return True

    def _text(self) -> str:
        self.serial += 1
        # A made-up place name makes each text distinct, so that a search by it has one right answer.
        place = "".join(self.rng.choice("bdgklmnprstv") + self.rng.choice("aeiou") for _ in range(4))
        return f"Case {self.number}-{self.serial}: {self.rng.choice(TOPICS)} at {place.capitalize()}."


def _records_and_vectors(database: Path) -> dict[str, tuple[set[int], set[int]]]:
    """Per kind: the ids of the records and of the records with a stored vector."""
    with sqlite3.connect(database) as connection:
        return {
            kind: (
                {row[0] for row in connection.execute(f"SELECT id FROM {kind}")},
                {
                    row[0]
                    for row in connection.execute(
                        "SELECT owner_id FROM stored_vector WHERE owner_kind = ?", (kind,)
                    )
                },
            )
            for kind in KINDS
        }


def _assert_index_counts_equal_database(server: ServerProcess, database: Path) -> None:
    health = httpx.get(f"{server.base_url}/health", timeout=30).json()
    for kind, (records, vectors) in _records_and_vectors(database).items():
        assert vectors == records, f"{kind}s without a stored vector (or vectors of deleted {kind}s)"
        assert health[f"indexed_{kind}s"] == len(vectors), f"{kind} index disagrees with the database"


def _assert_outcomes(api: httpx.Client, writer: Writer) -> int:
    """Every acknowledged write is there (undecided ones in one of their possible states); records checked."""
    for (kind, record_id), text in writer.described.items():
        response = api.get(f"/api/v1/{kind}s/{record_id}")
        found = response.json()["description"] if response.status_code == 200 else None
        assert response.status_code in (200, 404)
        if (kind, record_id) in writer.undecided:
            assert found in writer.undecided[(kind, record_id)]
        elif (kind, record_id) in writer.deleted:
            assert found is None, f"acknowledged delete of {kind} {record_id} undone"
        else:
            assert found == text, f"acknowledged write of {kind} {record_id} lost"
    return len(writer.described)


def _assert_found_by_its_text(api: httpx.Client, kind: str, record_id: int) -> None:
    """A search with the record's stored text ranks it first: it is in the index, with its vector."""
    stored = api.get(f"/api/v1/{kind}s/{record_id}").json()
    query = f"{stored['title']}\n{stored['description']}"
    hits = api.post(f"/api/v1/search/{kind}s", json={"query": query, "limit": 3}).json()["items"]
    found = [(hit[kind]["id"], hit[kind]["title"], round(hit["score"], 3)) for hit in hits]
    assert found and found[0][0] == record_id, f"{kind} {record_id} {query!r}: {found}"


def test_sigkill_at_random_moments_keeps_every_acknowledged_write(
    tmp_path: Path, sqlite_template: Path, encoder: Encoder, record_property: RecordProperty
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    database = data_dir / "innomatch.sqlite3"
    database.write_bytes(sqlite_template.read_bytes())
    database_url = f"sqlite:///{database}"
    rng = random.Random(7)
    writers = [Writer(number, random.Random(rng.random())) for number in range(WRITERS)]
    started = time.monotonic()
    kills = 0
    startups: list[float] = []
    for _round in range(KILL_ROUNDS):
        # Frequent snapshots, so that kills also land in the middle of a snapshot save.
        with server_process(
            data_dir=data_dir,
            database_url=database_url,
            port=free_port(),
            settings={"INNOMATCH_SNAPSHOT_EVERY": "5"},
        ) as server:
            startups.append(server.wait_healthy())
            _assert_index_counts_equal_database(server, database)  # after every restart
            before = sum(writer.acknowledged.total() for writer in writers)
            threads = [threading.Thread(target=writer.run, args=(server.base_url,)) for writer in writers]
            for thread in threads:
                thread.start()
            # A loaded machine may take seconds for the first write; the kill comes at random after it.
            deadline = time.monotonic() + 60
            while sum(writer.acknowledged.total() for writer in writers) == before:
                assert time.monotonic() < deadline, "no write was acknowledged"
                time.sleep(0.02)
            time.sleep(rng.uniform(0.0, LONGEST_WRITE_PHASE))
            assert all(thread.is_alive() for thread in threads), "a writer stopped before the kill"
            server.kill()
            kills += 1
            for thread in threads:
                thread.join(timeout=60)
    assert not [problem for writer in writers for problem in writer.unexpected]

    # The last restart in this process, so that the index itself can be compared with the database.
    settings = Settings(data_dir=data_dir, database_url=database_url, admin_token=ADMIN_TOKEN, seed="none")
    final = start_server(settings, encoder)
    try:
        app = final.server.config.app
        assert isinstance(app, FastAPI)
        assert_index_equals_database(app)
        with final.client() as api:
            records_checked = sum(_assert_outcomes(api, writer) for writer in writers)
            live = sorted(key for writer in writers for key in writer.live())
            for kind, record_id in rng.sample(live, k=min(12, len(live))):
                _assert_found_by_its_text(api, kind, record_id)
    finally:
        final.stop()
    undecided = sum(len(writer.undecided) for writer in writers)
    figures = {
        "rounds": KILL_ROUNDS,
        "kills_survived": kills,
        "acknowledged_writes": sum(writer.acknowledged.total() for writer in writers),
        "acknowledged_by_method": dict(sum((writer.acknowledged for writer in writers), Counter())),
        "records_checked": records_checked,
        "writes_in_flight_at_a_kill": undecided,
        "mean_start_seconds": round(sum(startups) / len(startups), 1),
        "seconds": round(time.monotonic() - started, 1),
    }
    report(record_property, "crash recovery", figures)
