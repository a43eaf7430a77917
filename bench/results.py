"""The raw numbers of one run, as dataclasses that serialise to JSON."""

import dataclasses
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.alerts import AlertsResult
from bench.ingest import IngestResult
from bench.machine import Machine
from bench.notices import NoticesResult
from bench.peer import PeerResult
from bench.server import Memory
from bench.stats import Latency, Throughput


@dataclass(frozen=True)
class SizeResult:
    size: int
    real_solutions: int  # seed_data texts with their real vectors
    synthetic_solutions: int
    stored_needs: int  # real needs (the queries of stored-need matches)
    population_seconds: float
    database_mb: float
    reindex_seconds: float  # `innomatch reindex`: the rebuild from stored vectors, whole command
    start_seconds: float  # `innomatch serve` until /health answers (loads the snapshot reindex wrote)
    memory_after_start: Memory
    memory_after_load: Memory
    ranking_parameter: bool  # does the server offer ?ranking=dense (else "dense" ran the default)
    stored_need_hybrid: Latency
    stored_need_dense: Latency
    adhoc_text: Latency
    stored_need_throughput: Throughput
    adhoc_throughput: Throughput
    load_average: tuple[float, float, float]  # when this size finished
    peer: PeerResult | None


@dataclass
class BenchResults:
    command: str
    started_at: str
    seconds: float
    machine: Machine
    encoder: str
    encoder_threads: int
    quick: bool
    options: dict[str, Any]
    ingest: IngestResult | None = None
    sizes: list[SizeResult] = field(default_factory=list)
    alerts: AlertsResult | None = None
    notices: NoticesResult | None = None
    notes: list[str] = field(default_factory=list)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value


def write_json(results: BenchResults, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_plain(dataclasses.asdict(results)), indent=2) + "\n", encoding="utf-8")
