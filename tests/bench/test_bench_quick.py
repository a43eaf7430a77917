"""The bench end to end at a tiny size: real server subprocesses, every figure present and ordered.

No timing is asserted (the machine is shared); what is checked is that each phase measured something,
that nothing failed, and that the report and the JSON carry the figures.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from bench import BenchOptions, run_bench
from bench import peer as peer_module
from bench.alerts import AlertsResult
from bench.machine import describe_machine
from bench.options import parse_args, parse_size
from bench.peer import exact_top_k
from bench.report import percentiles_text, render_report, replace_measured_sections
from bench.results import BenchResults
from bench.stats import Latency
from embeddings import Encoder

pytestmark = pytest.mark.slow


def assert_ordered(latency: Latency, *, name: str) -> None:
    assert latency.count > 0, f"{name}: no successful request"
    assert latency.errors == 0, f"{name}: {latency.errors} failed requests"
    assert 0 < latency.p50_ms <= latency.p95_ms <= latency.p99_ms <= latency.max_ms, name


def test_tiny_bench_measures_every_phase_and_reports_it(
    tmp_path: Path, encoder: Encoder, sqlite_template: Path
) -> None:
    options = BenchOptions(
        sizes=[200],  # past the 155 real demo solutions: real and synthetic rows both
        ingest_records=2,
        requests=10,
        warmup=2,
        phase_seconds=30,
        clients=2,
        workers=2,
        load_seconds=1,
        load_requests=40,
        base_corpus="calibration",
        work_dir=tmp_path / "bench",
        report_path=tmp_path / "BENCHMARKS.md",
        command="pytest tests/bench",
        alert_searches=60,
        alert_records=30,
        alert_solutions=200,
        notice_documents=3,
    )

    results = run_bench(options, encoder=encoder, template=sqlite_template)

    ingest = results.ingest
    assert ingest is not None and ingest.records == 2
    for ingest_pass in (ingest.one_by_one, ingest.batched):
        assert ingest_pass.errors == 0
        assert ingest_pass.first_records_per_second > 0 and ingest_pass.reingest_records_per_second > 0
    assert ingest.encoder_single_texts_per_second > 0 and ingest.encoder_batch_texts_per_second > 0

    [size] = results.sizes
    assert size.size == size.real_solutions + size.synthetic_solutions == 200
    assert size.real_solutions > 0 and size.synthetic_solutions > 0
    assert size.stored_needs > 0 and size.population_seconds > 0
    assert size.reindex_seconds > 0 and size.start_seconds > 0
    assert 0 < size.memory_after_start.resident_mb <= size.memory_after_load.peak_resident_mb
    assert size.memory_after_load.processes == 3  # the process started and its two workers
    for name in ("stored_need_hybrid", "stored_need_dense", "adhoc_text"):
        assert_ordered(getattr(size, name), name=name)
    for throughput in (size.stored_need_throughput, size.adhoc_throughput):
        assert throughput.completed > 0 and throughput.requests_per_second > 0
        assert throughput.latency.errors == 0

    peer = size.peer
    assert peer is not None
    assert peer.ours.recall_at_10 == pytest.approx(1.0)  # exact search below the IVF threshold
    assert_ordered(peer.ours.latency, name="ours in-process")
    if peer.peer is None:
        assert peer.skipped == "peer skipped: chromadb not installed"
    else:
        assert_ordered(peer.peer.latency, name="chromadb")
        assert 0 < peer.peer.recall_at_10 <= 1 and peer.peer.ingest_seconds > 0

    report = options.report_path.read_text(encoding="utf-8") if options.report_path else ""
    assert report == render_report(results)
    assert "`pytest tests/bench`" in report and "## Targets" in report
    assert "`innomatch serve --workers 2`" in report
    hybrid = size.stored_need_hybrid
    assert f"| 200 | {percentiles_text(hybrid)} |" in report
    assert "re-ingest unchanged ≥ 50x faster than first ingest" in report

    alerts = results.alerts
    assert alerts is not None and alerts.searches == sum(alerts.searches_by_kind.values()) == 60
    assert alerts.new_needs + alerts.new_solutions == 30 and alerts.searches_weighed > 0
    assert alerts.matches_found > 0 and 0 < alerts.deliveries_planned <= alerts.searches
    assert 0 < alerts.memory_after_open_mib <= alerts.peak_during_round_mib
    assert "## Alerts: saved searches against new records" in report
    assert "60 saved searches against 30 new records evaluated" in report

    notices = results.notices
    assert notices is not None and notices.import_outcomes["imported"] == 3
    assert "## Notices: import rate" in report

    raw = json.loads(options.resolved_results_path.read_text(encoding="utf-8"))
    p95 = raw["sizes"][0]["stored_need_hybrid"]["p95_ms"]
    assert math.isclose(p95, hybrid.p95_ms)
    assert not (tmp_path / "bench" / "size-200").exists(), "a size's database is removed unless --keep"


def _alerts(round_seconds: float) -> AlertsResult:
    return AlertsResult(
        solutions=1_000,
        stored_needs=49,
        searches=500,
        searches_by_kind={"needs_for_solution": 500},
        new_needs=80,
        new_solutions=20,
        open_seconds=9.0,
        evaluate_seconds=round_seconds - 1,
        plan_seconds=1.0,
        searches_weighed=500,
        matches_found=948,
        deliveries_planned=249,
        memory_after_open_mib=397.0,
        peak_during_round_mib=427.0,
        load_average=(1.0, 1.0, 1.0),
    )


def test_an_alerts_only_run_replaces_its_section_and_keeps_the_rest(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    report.write_text("# Benchmarks\n\n## Targets\n\nkept\n\n## Added by hand\n\nalso kept\n")
    results = BenchResults(
        command="scripts/bench --alerts-only",
        started_at="2026-12-07T03:00:00+00:00",
        seconds=60.0,
        machine=describe_machine(),
        encoder="tiny",
        encoder_threads=1,
        quick=False,
        options={},
        alerts=_alerts(42.0),
    )
    replace_measured_sections(results, report)
    first = report.read_text()
    assert first.startswith("# Benchmarks\n\n## Targets\n\nkept\n\n## Added by hand\n\nalso kept\n")
    assert "| 500 | 100 | 41.0 | 1.0 | 42.0 | **missed** |" in first
    results.alerts = _alerts(12.0)
    report.write_text(first + "\n## Later by hand\n\nstays\n")
    replace_measured_sections(results, report)
    second = report.read_text()
    assert second.count("## Alerts") == 1 and "| 12.0 | met |" in second and "42.0" not in second
    assert second.endswith("## Later by hand\n\nstays\n") and "also kept" in second


def test_command_line_sizes_and_quick_defaults() -> None:
    assert [parse_size(text) for text in ("1k", "10K", "100k", "1m", "250")] == [
        1_000,
        10_000,
        100_000,
        1_000_000,
        250,
    ]
    quick = parse_args(["--quick"])
    assert quick.quick and quick.sizes == [1_000, 10_000] and quick.base_corpus == "calibration"
    assert (quick.alert_searches, quick.alert_records) == (500, 100)
    alerts_only = parse_args(["--alerts-only", "--alert-searches", "2000", "--alert-solutions", "100k"])
    assert alerts_only.alerts_only and alerts_only.alert_searches == 2000
    assert alerts_only.alert_solutions == 100_000 and alerts_only.alert_records == 1_000
    assert not alerts_only.notices_only and alerts_only.notice_documents == 1_000
    assert quick.notice_documents == 50
    notices_only = parse_args(["--notices-only", "--notice-documents", "20"])
    assert (
        notices_only.notices_only and notices_only.only_some_figures and notices_only.notice_documents == 20
    )
    explicit = parse_args(["--quick", "--sizes", "10k,1k", "--requests", "5", "--no-peer"])
    assert explicit.sizes == [1_000, 10_000] and explicit.requests == 5 and not explicit.peer
    assert parse_args([]).sizes == [1_000, 10_000, 100_000, 1_000_000]
    with pytest.raises(SystemExit):
        parse_args(["--sizes", "lots"])


def test_exact_top_k_is_the_brute_force_order() -> None:
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((2_500, 16)).astype(np.float32)
    queries = rng.standard_normal((5, 16)).astype(np.float32)
    rows, scores = exact_top_k(vectors, queries, 11)
    expected = np.argsort(-(queries @ vectors.T), axis=1)[:, :11]
    assert np.array_equal(rows, expected)
    assert np.all(np.diff(scores, axis=1) <= 0)


def test_missing_chromadb_is_said_and_ours_still_measured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(peer_module, "chromadb_version", lambda: None)
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((300, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    result = peer_module.compare_with_peer(
        directory=tmp_path,
        ids=np.arange(1, 301, dtype=np.int64),
        vectors=vectors,
        queries=vectors[:4],
        warmup=1,
        requests=8,
        run_peer=True,
    )
    assert result.peer is None and result.skipped == "peer skipped: chromadb not installed"
    assert result.ours.recall_at_10 == pytest.approx(1.0) and result.ours.latency.count == 8
    assert result.score_gap_10_11 >= 0
