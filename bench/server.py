"""The service as a real subprocess on a loopback port: start, wait until healthy, read its memory, stop."""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import httpx

BENCH_ADMIN_TOKEN = "bench-admin-token"
_INNOMATCH = Path(sys.executable).with_name("innomatch")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def service_environment(data_dir: Path, database_url: str) -> dict[str, str]:
    """The caller's environment (encoder choice, threads) with this size's data dir and database."""
    environment = dict(os.environ)
    environment.update(
        {
            "INNOMATCH_DATA_DIR": str(data_dir),
            "INNOMATCH_DATABASE_URL": database_url,
            "INNOMATCH_SEED": "none",
            "INNOMATCH_ADMIN_TOKEN": BENCH_ADMIN_TOKEN,
            # INFO would log every request (uvicorn's access log) and slow the server under load.
            "INNOMATCH_LOG_LEVEL": "warning",
        }
    )
    return environment


def innomatch_command(*arguments: str) -> list[str]:
    """The `innomatch` console script of this interpreter's environment, else `python -m service`."""
    if _INNOMATCH.exists():
        return [str(_INNOMATCH), *arguments]
    return [sys.executable, "-m", "service", *arguments]


@dataclass(frozen=True)
class Memory:
    """The memory of the service's processes (the one started, and its workers if it forked any)."""

    resident_mb: float  # the processes' summed PSS: pages they share (the loaded indexes) counted once
    peak_resident_mb: float  # the larger of that and the started process's VmHWM (start-up loads there)
    processes: int = 1


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name == field:
            return int(value.split()[0]) / 1024  # kB -> MiB
    raise RuntimeError(f"/proc/{pid}/status has no {field}")


def _proportional_mb(pid: int) -> float:
    """PSS: each page shared by n processes counts 1/n; summed over processes, every page counts once."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, value = line.partition(":")
        if name == "Pss":
            return int(value.split()[0]) / 1024
    raise RuntimeError(f"/proc/{pid}/smaps_rollup has no Pss")


def read_memory(pid: int) -> Memory:
    """`pid` and its children (forked workers). Workers fork after start-up, so the started process's
    own peak (VmHWM) covers the loading; after that, the summed PSS is what the service holds."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    pids = [pid, *(int(child) for child in children)]
    resident = sum(_proportional_mb(each) for each in pids)
    return Memory(
        resident_mb=resident,
        peak_resident_mb=max(resident, _status_mb(pid, "VmHWM")),
        processes=len(pids),
    )


def run_reindex(data_dir: Path, database_url: str, log_path: Path) -> float:
    """Seconds of `innomatch reindex` (a whole process: imports, encoder load, both rebuilds, snapshots)."""
    started = time.perf_counter()
    with log_path.open("ab") as log:
        subprocess.run(
            innomatch_command("reindex"),
            env=service_environment(data_dir, database_url),
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=3600,
        )
    return time.perf_counter() - started


class ServerProcess:
    """`innomatch serve` for one data dir; a context manager that always stops what it started."""

    def __init__(
        self, *, data_dir: Path, database_url: str, log_path: Path, start_timeout: float, workers: int = 1
    ) -> None:
        self.data_dir = data_dir
        self.database_url = database_url
        self.log_path = log_path
        self.start_timeout = start_timeout
        self.workers = workers
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.admin_token = BENCH_ADMIN_TOKEN
        self.start_seconds = 0.0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError("the server is not running")
        return self._process.pid

    def start(self) -> float:
        """Start and wait for /health; the seconds it took (index load or rebuild included)."""
        started = time.perf_counter()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                innomatch_command(
                    "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers)
                ),
                env=service_environment(self.data_dir, self.database_url),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = started + self.start_timeout
        with httpx.Client(base_url=self.base_url, timeout=5) as client:
            while True:
                if self._process.poll() is not None:
                    raise RuntimeError(
                        f"the server exited with {self._process.returncode}; see {self.log_path}"
                    )
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.perf_counter() > deadline:
                    self.stop()
                    raise RuntimeError(f"the server was not healthy within {self.start_timeout:.0f} s")
                time.sleep(0.1)
        self.start_seconds = time.perf_counter() - started
        return self.start_seconds

    def memory(self) -> Memory:
        return read_memory(self.pid)

    def stop(self, timeout: float = 120.0) -> None:
        """Ask for a graceful shutdown (it saves index snapshots), and kill it if that does not end it."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        # SIGTERM, as a service manager stops it. SIGINT to the forking process alone (not, as Ctrl+C
        # does, to its whole process group) makes gunicorn send the workers SIGQUIT, which uvicorn's
        # worker ignores, and wait out its 120 s graceful timeout before it sends SIGTERM.
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)

    def __enter__(self) -> "ServerProcess":
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _trace: TracebackType | None
    ) -> None:
        self.stop()
