"""Two checkouts of Innomatch serving copies of one database, taking turns on the same requests.

Finer than two bench runs on a machine whose speed drifts: each request goes to one server and then the
other (the order alternating), so both see the same background load, and the answers are compared.

    .venv/bin/python scripts/dev/ab_servers.py --a /path/to/old/checkout --b . \\
        --data data/bench/size-100k --rounds 1500

`--data` is a data directory with `innomatch.sqlite3` and its index snapshots, such as the one
`scripts/bench --sizes 100k --keep` leaves. Each server runs `innomatch serve --workers 1` with its
checkout first on PYTHONPATH.
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

KINDS = ("hybrid", "dense", "adhoc")
TEXTS = (
    "lekkasje i vannledningen",
    "electric buses for school routes",
    "fall detection at night for elderly",
    "avfall og gjenvinning i sentrum",
    "smart parking sensors",
    "energy use in school buildings",
)


def start(name: str, code: Path, data: Path, port: int, work: Path) -> subprocess.Popen[bytes]:
    copy = work / name
    shutil.copytree(data, copy, ignore=shutil.ignore_patterns("*.log"))
    environment = dict(
        os.environ,
        PYTHONPATH=str(code),
        INNOMATCH_DATA_DIR=str(copy),
        INNOMATCH_DATABASE_URL=f"sqlite:///{copy}/innomatch.sqlite3",
        INNOMATCH_SEED="none",
        INNOMATCH_ADMIN_TOKEN="ab",
        INNOMATCH_LOG_LEVEL="warning",
    )
    command = [
        str(Path(sys.executable).with_name("innomatch")),
        "serve",
        "--port",
        str(port),
        "--workers",
        "1",
    ]
    log = (work / f"{name}.log").open("wb")
    return subprocess.Popen(command, cwd=code, env=environment, stdout=log, stderr=subprocess.STDOUT)


def wait_until_up(client: httpx.Client) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if client.get("/health").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{client.base_url} did not start")


def request(client: httpx.Client, kind: str, need_id: int, round_number: int) -> tuple[float, Any]:
    started = time.perf_counter()
    if kind == "adhoc":
        text = f"{TEXTS[round_number % len(TEXTS)]} {round_number}"  # distinct: encoded each time
        response = client.post("/api/v1/search/solutions", json={"query": text, "limit": 10})
    else:
        response = client.get(f"/api/v1/needs/{need_id}/matches", params={"ranking": kind, "limit": 10})
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed, [(item["solution"]["id"], item["score"]) for item in response.json()["items"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--a", type=Path, required=True, help="checkout A (e.g. the old code)")
    parser.add_argument("--b", type=Path, required=True, help="checkout B (e.g. the new code)")
    parser.add_argument("--data", type=Path, required=True, help="data directory both serve a copy of")
    parser.add_argument(
        "--data-a",
        type=Path,
        help="A's own copy of the same data, when A's code predates the schema of --data (its Alembic "
        "revision stamped back to A's head)",
    )
    parser.add_argument("--rounds", type=int, default=900, help="requests per server, a third of each kind")
    arguments = parser.parse_args()
    random.seed(1)
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        servers = {"A": (arguments.a.resolve(), 8101), "B": (arguments.b.resolve(), 8102)}
        data = {"A": arguments.data_a or arguments.data, "B": arguments.data}
        processes = [start(name, code, data[name], port, work) for name, (code, port) in servers.items()]
        clients = {
            name: httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
            for name, (_, port) in servers.items()
        }
        try:
            for client in clients.values():
                wait_until_up(client)
            needs = [
                item["id"]
                for item in clients["B"].get("/api/v1/needs", params={"limit": 200}).json()["items"]
            ]
            for warm_up in range(30):
                for name in clients:
                    request(clients[name], "hybrid", needs[warm_up % len(needs)], warm_up)
            times: dict[str, dict[str, list[float]]] = {
                name: {kind: [] for kind in KINDS} for name in clients
            }
            differing = 0
            for round_number in range(arguments.rounds):
                order = ["A", "B"] if round_number % 2 == 0 else ["B", "A"]
                kind, need_id = KINDS[round_number % len(KINDS)], random.choice(needs)
                answers = {}
                for name in order:
                    elapsed, answers[name] = request(clients[name], kind, need_id, round_number)
                    times[name][kind].append(elapsed)
                differing += answers["A"] != answers["B"]
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(60)
    for kind in KINDS:
        a, b = times["A"][kind], times["B"][kind]
        print(
            f"{kind}: {len(a)} each | A p50 {statistics.median(a):.1f} p95 {statistics.quantiles(a, n=20)[18]:.1f}"
            f" | B p50 {statistics.median(b):.1f} p95 {statistics.quantiles(b, n=20)[18]:.1f}"
            f" | B/A p50 {statistics.median(b) / statistics.median(a):.3f}"
        )
    print(f"answers differing: {differing} of {arguments.rounds}")


if __name__ == "__main__":
    main()
