"""`innomatch serve --workers 2`: workers forked after start-up share what it loaded, each follows the
database's change log, a second service on the port is refused, and SIGTERM stops them all after
each has saved its snapshots."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from embeddings import VectorIndex
from tests.reliability.processes import ServerProcess, server_process
from tests.support.servers import free_port

pytestmark = pytest.mark.slow
FOLLOW_INTERVAL = 0.5


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _top_need_on_a_new_connection(server: ServerProcess, query: str) -> int | None:
    # A new connection each time: the kernel spreads connections over the workers' sockets.
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        response = client.post("/api/v1/search/needs", json={"query": query, "limit": 1, "ranking": "dense"})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    return items[0]["need"]["id"] if items else None


def test_two_workers_share_start_up_follow_writes_and_stop_cleanly(
    tmp_path: Path, sqlite_template: Path
) -> None:
    database = tmp_path / "innomatch.sqlite3"
    shutil.copy(sqlite_template, database)
    settings = {
        "INNOMATCH_WORKERS": "2",
        "INNOMATCH_FOLLOW_INTERVAL": str(FOLLOW_INTERVAL),
        "INNOMATCH_LOG_LEVEL": "INFO",
        "INNOMATCH_LOG_FORMAT": "text",
    }
    log_file = tmp_path / "server.log"
    with server_process(
        data_dir=tmp_path,
        database_url=f"sqlite:///{database}",
        port=free_port(),
        settings=settings,
        log_file=log_file,
    ) as server:
        server.wait_healthy()
        time.sleep(1)  # /health answers as soon as one worker is up
        started = server.process.pid
        workers = _children(started)
        assert len(workers) == 2

        # Start-up (encoder, both indexes) ran once, in the process started, before the fork: the workers
        # share its pages instead of each loading a copy.
        opened = [
            line for line in log_file.read_text().splitlines() if "index loaded" in line or "rebuilt" in line
        ]
        assert len(opened) == 2, opened  # the need index and the solution index, once each

        with server.client() as api:
            response = api.post(
                "/api/v1/needs",
                json={
                    "title": "Leaking water mains",
                    "description": "A quarter of the drinking water leaks from old pipes before it reaches a tap.",
                },
            )
        assert response.status_code == 201, response.text
        need_id = response.json()["id"]
        # One worker applied the write as it answered; the other follows the change log.
        time.sleep(4 * FOLLOW_INTERVAL)
        found = [_top_need_on_a_new_connection(server, "water leaking from pipes") for _ in range(16)]
        assert found == [need_id] * 16

        # A second service on the same port is refused, rather than given half the connections.
        second = subprocess.Popen(
            [sys.executable, "-m", "service", "serve", "--port", str(server.port), "--workers", "2"],
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            # Refused before start-up, in seconds; a service that joined the port would run on.
            _, errors = second.communicate(timeout=60)
        finally:
            if second.poll() is None:
                os.killpg(second.pid, signal.SIGKILL)
                second.wait()
        assert second.returncode != 0 and "Address already in use" in errors, errors

        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=120) == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    index, manifest = VectorIndex.load(tmp_path / "index" / "need")
    assert need_id in set(index.ids().tolist()) and manifest.last_change_seq > 0
