"""The benchmark harness: ingest, rebuild, match latency and throughput over HTTP, memory, and a peer
vector database on the same vectors, at several sizes; results in BENCHMARKS.md.

Entry points: `main(argv)` for a command line (`scripts/bench`, `python -m bench`), or
`run_bench(BenchOptions(...))` for tools and tests.
"""

import os
import shlex
import sys

from bench.options import BenchOptions, parse_args
from bench.results import BenchResults
from bench.runner import run_bench

__all__ = ["BenchOptions", "BenchResults", "main", "parse_args", "run_bench"]


def main(argv: list[str] | None = None, *, launcher: str | None = None) -> int:
    """Run the bench from command-line arguments; `launcher` is how the report names the command."""
    arguments = sys.argv[1:] if argv is None else argv
    launcher = launcher or os.environ.get("INNOMATCH_BENCH_LAUNCHER", "python -m bench")
    options = parse_args(arguments, command=" ".join([launcher, *map(shlex.quote, arguments)]))
    run_bench(options)
    return 0
