"""Real `innomatch` processes for the tests (`python -m service serve`, `... worker`), each with its own
settings."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.servers import ADMIN_TOKEN


@dataclass
class ServerProcess:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, timeout: float = 30) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=timeout
        )

    def wait_healthy(self, timeout: float = 120) -> float:
        """Seconds until /health answered 200; fails when the process dies or the timeout passes."""
        started = time.monotonic()
        while True:
            try:
                if httpx.get(f"{self.base_url}/health", timeout=1).status_code == 200:
                    return time.monotonic() - started
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"server process exited with {self.process.returncode} during start")
            if time.monotonic() - started > timeout:
                raise RuntimeError("server process did not come up")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash or an out-of-memory kill."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@contextmanager
def innomatch_process(
    arguments: list[str],
    *,
    data_dir: Path,
    database_url: str,
    settings: dict[str, str] | None = None,
    log_file: Path | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m service <arguments>` started with these settings; killed on exit if it still runs.
    Its log (stderr) goes to `log_file` when given."""
    env = {
        **os.environ,
        "INNOMATCH_DATA_DIR": str(data_dir),
        "INNOMATCH_DATABASE_URL": database_url,
        "INNOMATCH_ADMIN_TOKEN": ADMIN_TOKEN,
        "INNOMATCH_LOG_LEVEL": "WARNING",
        **(settings or {}),
    }
    with ExitStack() as files:
        stderr = files.enter_context(log_file.open("ab")) if log_file else None
        process = subprocess.Popen(
            [sys.executable, "-m", "service", *arguments],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,  # its own process group: killing it kills any workers it forked
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def server_process(
    *,
    data_dir: Path,
    database_url: str,
    port: int,
    settings: dict[str, str] | None = None,
    log_file: Path | None = None,
) -> Iterator[ServerProcess]:
    """A started (not yet healthy) server process; killed on exit if it still runs. Its log (stderr)
    goes to `log_file` when given."""
    with innomatch_process(
        ["serve", "--port", str(port)],
        data_dir=data_dir,
        database_url=database_url,
        settings=settings,
        log_file=log_file,
    ) as process:
        yield ServerProcess(process, port)
