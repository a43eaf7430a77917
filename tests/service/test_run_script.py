"""`scripts/run`, the README's first command, on an empty data folder: HOST and PORT are honoured, and
the admin token it points to exists when it says so and lets a person write."""

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.support.servers import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def test_run_serves_on_the_chosen_port_with_a_token_that_exists(tmp_path: Path) -> None:
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith("INNOMATCH_")}
    environment |= {"INNOMATCH_DATA_DIR": str(tmp_path), "INNOMATCH_SEED": "none", "HOST": "127.0.0.1"}
    environment["PORT"] = str(port)
    with (tmp_path / "server.log").open("wb") as log:
        run = subprocess.Popen(
            [ROOT / "scripts" / "run"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=log,
            start_new_session=True,
        )
        try:
            assert run.stdout is not None
            notice = ""
            for line in run.stdout:
                if line.startswith(b"Admin token for writes"):
                    notice = line.decode().strip()
                    break
            assert notice == f"Admin token for writes: in {tmp_path / 'admin-token'}"
            token = (tmp_path / "admin-token").read_text().strip()  # it exists as the notice is printed
            base_url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 180
            while True:
                try:
                    if httpx.get(f"{base_url}/health", timeout=5).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert run.poll() is None and time.monotonic() < deadline, (
                    tmp_path / "server.log"
                ).read_text()
                time.sleep(0.5)
            created = httpx.post(
                f"{base_url}/api/v1/needs",
                headers={"Authorization": f"Bearer {token}"},
                json={
                    "title": "Vanntap",
                    "description": "Vi mister en tredjedel av drikkevannet i lekkasjer.",
                },
                timeout=60,
            )
            assert created.status_code == 201, created.text
        finally:
            os.killpg(run.pid, signal.SIGTERM)
            run.wait(timeout=60)
