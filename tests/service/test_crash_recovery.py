"""A real server process killed with SIGKILL in the middle of writes loses no acknowledged write."""

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_TOKEN, free_port

pytestmark = pytest.mark.slow
KILL_ROUNDS = 3


@contextmanager
def server_process(data_dir: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "INNOMATCH_DATA_DIR": str(data_dir),
        "INNOMATCH_DATABASE_URL": f"sqlite:///{data_dir / 'innomatch.sqlite3'}",
        "INNOMATCH_ADMIN_TOKEN": ADMIN_TOKEN,
        "INNOMATCH_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "service", "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server process did not come up")
            time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


class Writer(threading.Thread):
    """Creates needs and deletes some of them; remembers only what the server acknowledged."""

    def __init__(self, base_url: str, first_number: int) -> None:
        super().__init__(daemon=True)
        self.client = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=10
        )
        self.number = first_number
        self.created: dict[int, str] = {}
        self.deleted: set[int] = set()

    def run(self) -> None:
        try:
            while True:
                text = f"Problem {self.number}: the heating of school building {self.number} cannot be controlled remotely."
                response = self.client.post(
                    "/api/v1/needs", json={"title": f"Need {self.number}", "description": text}
                )
                self.number += 1
                if response.status_code == 201:
                    self.created[response.json()["id"]] = text
                if self.number % 5 == 0 and self.created:
                    victim = min(set(self.created) - self.deleted, default=None)
                    if (
                        victim is not None
                        and self.client.delete(f"/api/v1/needs/{victim}").status_code == 204
                    ):
                        self.deleted.add(victim)
        except httpx.TransportError:
            return  # the server was killed


def test_sigkill_during_writes_keeps_every_acknowledged_write(tmp_path: Path, sqlite_template: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(sqlite_template, data_dir / "innomatch.sqlite3")
    port = free_port()
    rng = random.Random(7)
    created: dict[int, str] = {}
    deleted: set[int] = set()
    number = 0
    for _round in range(KILL_ROUNDS):
        with server_process(data_dir, port) as process:
            writer = Writer(f"http://127.0.0.1:{port}", number)
            writer.start()
            # Kill at a random moment once writes flow (a loaded machine may take seconds for the first).
            deadline = time.monotonic() + 60
            while not writer.created and writer.is_alive() and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(rng.uniform(0.2, 2.0))
            process.send_signal(signal.SIGKILL)
            writer.join(timeout=30)
        assert writer.created, "no write was acknowledged before the kill"
        created.update(writer.created)
        deleted |= writer.deleted
        number = writer.number

    with server_process(data_dir, port), httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as api:
        for need_id in created:
            expected = 404 if need_id in deleted else 200
            assert api.get(f"/api/v1/needs/{need_id}").status_code == expected
        with sqlite3.connect(data_dir / "innomatch.sqlite3") as database:
            stored_ids = {
                row[0]
                for row in database.execute("SELECT owner_id FROM stored_vector WHERE owner_kind = 'need'")
            }
            need_ids = {row[0] for row in database.execute("SELECT id FROM need")}
        assert stored_ids == need_ids
        assert set(created) - deleted <= need_ids
        assert api.get("/health").json()["indexed_needs"] == len(need_ids)
        # Every surviving acknowledged need is found by its own text: the index holds it.
        for need_id in rng.sample(sorted(set(created) - deleted), k=min(15, len(set(created) - deleted))):
            text = f"Need {_number_of(created[need_id])}\n{created[need_id]}"
            hits = api.post("/api/v1/search/needs", json={"query": text, "limit": 1}).json()["items"]
            assert hits[0]["need"]["id"] == need_id


def _number_of(text: str) -> str:
    return text.split(":", 1)[0].removeprefix("Problem ")
