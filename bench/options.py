"""What one bench run does: sizes, request counts and time bounds, read from the command line."""

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
FULL_SIZES = (1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
_SUFFIXES = {"k": 1_000, "m": 1_000_000}


def parse_size(text: str) -> int:
    """'1k' -> 1000, '1m' -> 1000000, '250' -> 250."""
    cleaned = text.strip().lower()
    multiplier = _SUFFIXES.get(cleaned[-1:], 1)
    digits = cleaned[:-1] if cleaned[-1:] in _SUFFIXES else cleaned
    try:
        size = int(float(digits) * multiplier)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size such as 1k, 10k, 100k or 1m") from None
    if size < 1:
        raise argparse.ArgumentTypeError(f"size must be at least 1, got '{text}'")
    return size


def format_size(size: int) -> str:
    """1000 -> '1k', 1000000 -> '1m', 250 -> '250'."""
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{size // 1_000_000}m"
    if size >= 1_000 and size % 1_000 == 0:
        return f"{size // 1_000}k"
    return str(size)


@dataclass
class BenchOptions:
    sizes: list[int] = field(default_factory=lambda: list(FULL_SIZES))
    quick: bool = False
    ingest_records: int = 300  # real encoding through the API: the slow phase (docs/encoders.md, "Speed")
    requests: int = 300  # sequential requests per latency phase, after warm-up
    warmup: int = 20
    phase_seconds: float = 60.0  # upper bound of one latency phase, whatever `requests` says
    clients: int = 8
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)  # `innomatch serve --workers`
    load_seconds: float = 20.0  # duration of each concurrent-throughput phase
    load_requests: int = 20_000  # and its upper bound in requests
    peer: bool = True
    peer_queries: int = 1_000  # in-process queries per side: cheap, so many more than over HTTP
    peer_max_size: int = 1_000_000  # the peer's ingest grows fastest; sizes above this skip it
    base_corpus: str = "full"  # calibration: demo texts only; full: demo + evaluation-set texts
    work_dir: Path = REPO_ROOT / "data" / "bench"
    report_path: Path | None = REPO_ROOT / "BENCHMARKS.md"
    results_path: Path | None = None  # default: work_dir / bench-results.json
    keep: bool = False  # keep each size's database and logs
    server_start_timeout: float = 900.0
    command: str = "scripts/bench"
    alert_searches: int = 10_000  # saved searches of the alerts figure; 0 skips it
    alert_records: int = 1_000  # new needs and solutions they are weighed against in one round
    alert_solutions: int = 10_000  # solutions in its database (about Norway's size)
    alerts_only: bool = False  # only the alerts figure, its section of the report replaced in place
    notice_documents: int = 1_000  # eForms documents of the notices figure; 0 skips it
    notices_only: bool = False  # only the notices figure, its section of the report replaced in place

    @property
    def only_some_figures(self) -> bool:
        """--alerts-only or --notices-only: those figures measured, their sections replaced in place."""
        return self.alerts_only or self.notices_only

    @property
    def resolved_results_path(self) -> Path:
        return self.results_path or self.work_dir / "bench-results.json"


QUICK_OVERRIDES = {
    "sizes": list(QUICK_SIZES),
    "ingest_records": 10,
    "requests": 50,
    "warmup": 10,
    "phase_seconds": 15.0,
    "load_seconds": 4.0,
    "peer_queries": 300,
    "base_corpus": "calibration",
    "alert_searches": 500,
    "alert_records": 100,
    "alert_solutions": 1_000,
    "notice_documents": 50,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scripts/bench",
        description=(
            "Ingest, rebuild, match latency, API throughput and memory at several sizes, and a peer "
            "(chromadb) on the same vectors; writes BENCHMARKS.md and a JSON of the raw numbers."
        ),
    )
    sizes = parser.add_argument_group("what to measure")
    sizes.add_argument(
        "--quick",
        action="store_true",
        help="small sizes (1k,10k), 10 ingested records, short phases: under two minutes once vectors are cached",
    )
    sizes.add_argument(
        "--sizes", metavar="SIZES", help="comma-separated solution counts, e.g. 1k,10k,100k,1m (default: all)"
    )
    sizes.add_argument(
        "--ingest", type=int, dest="ingest_records", metavar="N", help="records ingested with real encoding"
    )
    sizes.add_argument("--requests", type=int, metavar="N", help="sequential requests per latency phase")
    sizes.add_argument(
        "--warmup", type=int, metavar="N", help="requests before each latency phase, not measured"
    )
    sizes.add_argument(
        "--phase-seconds", type=float, metavar="SECONDS", help="upper bound of one latency phase"
    )
    sizes.add_argument("--clients", type=int, metavar="N", help="concurrent clients in the throughput phase")
    sizes.add_argument(
        "--workers", type=int, metavar="N", help="worker processes of each server (default: one per core)"
    )
    sizes.add_argument(
        "--load-seconds", type=float, metavar="SECONDS", help="duration of each throughput phase"
    )
    sizes.add_argument("--no-peer", dest="peer", action="store_false", default=None, help="skip chromadb")
    sizes.add_argument(
        "--peer-max-size", type=parse_size, metavar="SIZE", help="largest size the peer is measured at"
    )
    sizes.add_argument(
        "--peer-queries", type=int, metavar="N", help="in-process queries per side in the peer comparison"
    )
    sizes.add_argument(
        "--base-corpus",
        choices=("calibration", "full"),
        help="real texts whose vectors seed the synthetic ones",
    )
    alerts = parser.add_argument_group("the alerts figure (saved searches weighed against new records)")
    alerts.add_argument("--alert-searches", type=int, metavar="N", help="saved searches (0 skips the figure)")
    alerts.add_argument("--alert-records", type=int, metavar="N", help="new needs and solutions in the round")
    alerts.add_argument(
        "--alert-solutions", type=parse_size, metavar="SIZE", help="solutions in its database"
    )
    alerts.add_argument(
        "--alerts-only",
        action="store_true",
        default=None,
        help="measure only the alerts figure and replace its section of the report, keeping the rest",
    )
    notices = parser.add_argument_group("the notices figure (eForms documents parsed and imported)")
    notices.add_argument(
        "--notice-documents",
        type=int,
        metavar="N",
        help="documents imported (default 1000, --quick 50; 0 skips the figure)",
    )
    notices.add_argument(
        "--notices-only",
        action="store_true",
        default=None,
        help="measure only the notices figure and replace its section of the report, keeping the rest",
    )
    output = parser.add_argument_group("where things go")
    output.add_argument(
        "--work-dir",
        type=Path,
        metavar="DIR",
        help="databases, logs and the vector cache (default data/bench)",
    )
    output.add_argument(
        "--report", type=Path, dest="report_path", metavar="PATH", help="the Markdown report (BENCHMARKS.md)"
    )
    output.add_argument(
        "--results", type=Path, dest="results_path", metavar="PATH", help="the raw numbers as JSON"
    )
    output.add_argument("--keep", action="store_true", default=None, help="keep each size's database")
    return parser


def parse_args(argv: list[str], *, command: str = "scripts/bench") -> BenchOptions:
    """Options from the command line: --quick sets small defaults, explicit flags override both."""
    parser = _parser()
    given = vars(parser.parse_args(argv))
    options = BenchOptions(command=command)
    if given.pop("quick"):
        options.quick = True
        for name, value in QUICK_OVERRIDES.items():
            setattr(options, name, value)
    size_text = given.pop("sizes")
    if size_text:
        try:
            options.sizes = sorted({parse_size(part) for part in size_text.split(",") if part.strip()})
        except argparse.ArgumentTypeError as error:
            parser.error(str(error))
    for name, value in given.items():
        if value is not None:
            setattr(options, name, value)
    return options
