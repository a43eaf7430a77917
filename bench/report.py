"""BENCHMARKS.md from one run's results: the command, the machine, every table, targets met or missed."""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.options import format_size
from bench.results import BenchResults, SizeResult
from bench.stats import Latency, ratio

THREE_GB_IN_MIB = 3e9 / 2**20


@dataclass(frozen=True)
class TargetCheck:
    target: str
    measured: str
    status: str  # met | missed | not measured (why)


def _ms(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _num(value: float | None, digits: int = 1) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:,.{digits}f}"


def percentiles_text(latency: Latency) -> str:
    return f"{_ms(latency.p50_ms)} / {_ms(latency.p95_ms)} / {_ms(latency.p99_ms)}"


def _table(header: list[str], rows: Iterable[list[str]], align_right_from: int = 1) -> list[str]:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append(
        "| " + " | ".join("---" if i < align_right_from else "---:" for i in range(len(header))) + " |"
    )
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _at(results: BenchResults, size: int) -> SizeResult | None:
    return next((result for result in results.sizes if result.size == size), None)


def _check(target: str, value: float | None, limit: float, *, at_most: bool, unit: str) -> TargetCheck:
    if value is None or math.isnan(value):
        return TargetCheck(target, "–", "not measured")
    met = value <= limit if at_most else value >= limit
    return TargetCheck(target, f"{_num(value)} {unit}", "met" if met else "**missed**")


def check_targets(results: BenchResults) -> list[TargetCheck]:
    checks: list[TargetCheck] = []

    def at_size(
        size: int, target: str, measure: Callable[[SizeResult], float], limit: float, at_most: bool, unit: str
    ) -> None:
        result = _at(results, size)
        if result is None:
            checks.append(TargetCheck(target, "–", f"not measured (no {format_size(size)} size in this run)"))
        else:
            checks.append(_check(target, measure(result), limit, at_most=at_most, unit=unit))

    if results.alerts is not None:
        alerts = results.alerts
        checks.append(
            _check(
                f"alerts: {alerts.searches:,} saved searches against {alerts.new_needs + alerts.new_solutions:,} "
                "new records evaluated and every delivery queued ≤ 30 s",
                alerts.round_seconds,
                30,
                at_most=True,
                unit="s",
            )
        )
    at_size(100_000, "stored-need matches at 100k: p95 ≤ 20 ms", _hybrid_p95, 20, True, "ms")
    at_size(
        100_000, "stored-need matches at 100k, 8 clients: ≥ 150 requests/s", _need_rps, 150, False, "req/s"
    )
    at_size(100_000, "ad-hoc text query at 100k: p95 ≤ 80 ms", _adhoc_p95, 80, True, "ms")
    at_size(1_000_000, "stored-need matches at 1M: p95 ≤ 30 ms", _hybrid_p95, 30, True, "ms")
    at_size(
        1_000_000,
        "resident memory at 1M: ≤ 3 GB (peak, all processes)",
        _peak_mib,
        THREE_GB_IN_MIB,
        True,
        "MiB",
    )
    if results.ingest is None:
        checks.append(TargetCheck("re-ingest unchanged ≥ 50x faster than first ingest", "–", "not measured"))
    else:
        for name, ingest_pass in (
            (f"in batches of {results.ingest.batch_size}", results.ingest.batched),
            ("one record a request", results.ingest.one_by_one),
        ):
            checks.append(
                _check(
                    f"re-ingest unchanged ≥ 50x faster than first ingest, {name}",
                    ingest_pass.reingest_speedup,
                    50,
                    at_most=False,
                    unit="x",
                )
            )
    for result in results.sizes:
        label = format_size(result.size)
        if not result.ranking_parameter:
            checks.append(
                TargetCheck(
                    f"hybrid ≤ 2x dense-only latency at {label} (p95)",
                    "–",
                    "not measured (the server offers no ?ranking=dense)",
                )
            )
        else:
            checks.append(
                _check(
                    f"hybrid ≤ 2x dense-only latency at {label} (p95)",
                    ratio(result.stored_need_hybrid.p95_ms, result.stored_need_dense.p95_ms),
                    2,
                    at_most=True,
                    unit="x",
                )
            )
    for result in results.sizes:
        label = format_size(result.size)
        target = f"our query latency ≤ ½ the peer's at equal or better recall, {label} (in-process p95)"
        peer = result.peer
        if peer is None or peer.peer is None:
            checks.append(TargetCheck(target, "–", f"not measured ({peer.skipped if peer else 'no peer'})"))
            continue
        latency_ratio = ratio(peer.ours.latency.p95_ms, peer.peer.latency.p95_ms)
        recall_ok = peer.ours.recall_at_10 >= peer.peer.recall_at_10
        met = latency_ratio is not None and latency_ratio <= 0.5 and recall_ok
        checks.append(
            TargetCheck(
                target,
                f"{_num(latency_ratio, 2)}x the peer's p95; recall@10 {peer.ours.recall_at_10:.3f} vs "
                f"{peer.peer.recall_at_10:.3f}",
                "met" if met else "**missed**",
            )
        )
    return checks


def _hybrid_p95(result: SizeResult) -> float:
    return result.stored_need_hybrid.p95_ms


def _adhoc_p95(result: SizeResult) -> float:
    return result.adhoc_text.p95_ms


def _need_rps(result: SizeResult) -> float:
    return result.stored_need_throughput.requests_per_second


def _peak_mib(result: SizeResult) -> float:
    return result.memory_after_load.peak_resident_mb


def _data_section(results: BenchResults) -> list[str]:
    lines = [
        "## Data: what is real and what is synthetic",
        "",
        "- **Ingest** posts real solution texts from `seed_data/` (past those, the same texts with their "
        "sentences rotated) and encodes them for real.",
        "- **Each size** is its own SQLite database in a temporary data dir, written directly (SQLAlchemy "
        "core, one transaction per batch of 10 000) in the form the write path leaves: record, stored vector "
        "under the encoder's model id with the content hash, and an index change-log entry. The first "
        "solutions are the real `seed_data/` solutions with their real vectors; **all others are synthetic**: "
        "a real solution's vector plus a step along the difference of two other real vectors of the same "
        "language and a little isotropic noise, re-normalised; their short texts (Norwegian or English, as the "
        "base) mix the base text's words with the language's words by frequency, from a fixed seed. The "
        "stored needs are the real needs with their real vectors, and ad-hoc queries are cut from their texts.",
        "",
    ]
    rows = [
        [
            format_size(result.size),
            f"{result.real_solutions:,}",
            f"{result.synthetic_solutions:,}",
            f"{result.stored_needs:,}",
            _num(result.population_seconds),
            _num(result.size / result.population_seconds if result.population_seconds else None, 0),
            _num(result.database_mb, 0),
        ]
        for result in results.sizes
    ]
    return lines + _table(
        [
            "size",
            "real solutions",
            "synthetic solutions",
            "stored needs",
            "population s",
            "solutions/s",
            "database MiB",
        ],
        rows,
    )


def _ingest_section(results: BenchResults) -> list[str]:
    ingest = results.ingest
    if ingest is None:
        return []
    lines = [
        "## Ingest through the API (real encoding)",
        "",
        "The same records sent two ways, each to its own fresh server and database: one record a request "
        "(`POST /api/v1/solutions`, then `PATCH` of each with the same content), and in batches of "
        f"{ingest.batch_size} (`POST`, then `PATCH`, of `/api/v1/solutions/batch`: one transaction and one "
        "encoder call a batch), as an importer of a catalogue sends them. Unchanged text is never "
        "encoded again. The encoder alone was measured in the bench process on the same texts, with no "
        f"server running (batches: the first {ingest.encoder_batch_texts} texts): "
        f"{_num(ingest.encoder_single_texts_per_second, 2)} texts/s one text a call, "
        f"{_num(ingest.encoder_batch_texts_per_second, 2)} texts/s in batches of up to 32.",
        "",
    ]
    return lines + _table(
        [
            "records sent",
            "records",
            "first ingest records/s",
            "re-ingest unchanged records/s",
            "re-ingest speed-up",
            "errors",
        ],
        [
            [
                name,
                f"{ingest.records:,}",
                _num(ingest_pass.first_records_per_second, 2),
                _num(ingest_pass.reingest_records_per_second),
                f"{_num(ingest_pass.reingest_speedup)}x",
                str(ingest_pass.errors),
            ]
            for name, ingest_pass in (
                ("one a request", ingest.one_by_one),
                (f"in batches of {ingest.batch_size}", ingest.batched),
            )
        ],
    )


def _server_section(results: BenchResults) -> list[str]:
    lines = [
        "## Rebuild, start and memory",
        "",
        "`innomatch reindex` is the whole command (imports, encoder load, rebuild of both indexes from the "
        "stored vectors, snapshots). Server start is `innomatch serve` until `/health` answers; it loads the "
        "snapshot `reindex` wrote and builds BM25 from SQL. Memory is that of all the server's processes (the "
        "one started and the workers it forks after loading): their summed PSS from `/proc/<pid>/smaps_rollup`, "
        "in which the pages they share, the loaded indexes above all, count once; after start and after all "
        "load phases. Peak is the larger of the summed PSS after load and the started process's own peak "
        "(VmHWM), which covers start-up: everything is loaded there, before any worker exists.",
        "",
    ]
    rows = [
        [
            format_size(result.size),
            _num(result.reindex_seconds),
            _num(result.start_seconds),
            _num(result.memory_after_start.resident_mb, 0),
            _num(result.memory_after_load.resident_mb, 0),
            _num(result.memory_after_load.peak_resident_mb, 0),
        ]
        for result in results.sizes
    ]
    return lines + _table(
        [
            "size",
            "reindex s",
            "server start s",
            "memory after start MiB",
            "memory after load MiB",
            "peak MiB",
        ],
        rows,
    )


def _latency_section(results: BenchResults) -> list[str]:
    lines = [
        "## Match latency over HTTP (sequential, after warm-up)",
        "",
        "p50 / p95 / p99 in ms, one client on loopback, `limit=10`. Stored-need matches "
        "(`GET /api/v1/needs/{id}/matches`) alternate `ranking=hybrid` and `ranking=dense` request by request, "
        "so both see the same background load; ad-hoc text is `POST /api/v1/search/solutions` with a distinct "
        "text each time (encoding included).",
        "",
    ]
    rows = []
    for result in results.sizes:
        dense_note = "" if result.ranking_parameter else " (no ?ranking: default ranking)"
        rows.append(
            [
                format_size(result.size),
                percentiles_text(result.stored_need_hybrid),
                percentiles_text(result.stored_need_dense) + dense_note,
                f"{_num(ratio(result.stored_need_hybrid.p50_ms, result.stored_need_dense.p50_ms), 2)}x / "
                f"{_num(ratio(result.stored_need_hybrid.p95_ms, result.stored_need_dense.p95_ms), 2)}x",
                percentiles_text(result.adhoc_text),
                f"{result.stored_need_hybrid.count} / {result.stored_need_dense.count} / {result.adhoc_text.count}",
                str(
                    result.stored_need_hybrid.errors
                    + result.stored_need_dense.errors
                    + result.adhoc_text.errors
                ),
            ]
        )
    return lines + _table(
        [
            "size",
            "stored need, hybrid",
            "stored need, dense only",
            "hybrid / dense (p50 / p95)",
            "ad-hoc text",
            "requests",
            "errors",
        ],
        rows,
    )


def _throughput_section(results: BenchResults) -> list[str]:
    if not results.sizes:
        return []
    clients = results.sizes[0].stored_need_throughput.clients
    lines = [
        f"## Throughput with {clients} concurrent clients (loopback)",
        "",
        "httpx async clients in the bench process (on the same 2 cores as the server), each sending its next "
        "request when the previous one returned; completed requests per second and their latency under load.",
        "",
    ]
    rows = []
    for result in results.sizes:
        need, adhoc = result.stored_need_throughput, result.adhoc_throughput
        rows.append(
            [
                format_size(result.size),
                _num(need.requests_per_second),
                f"{_ms(need.latency.p50_ms)} / {_ms(need.latency.p95_ms)}",
                _num(adhoc.requests_per_second),
                f"{_ms(adhoc.latency.p50_ms)} / {_ms(adhoc.latency.p95_ms)}",
                f"{_num(need.seconds)} / {_num(adhoc.seconds)}",
                str(need.latency.errors + adhoc.latency.errors),
            ]
        )
    return lines + _table(
        [
            "size",
            "stored-need matches req/s",
            "p50 / p95 ms",
            "ad-hoc text req/s",
            "p50 / p95 ms",
            "phase s",
            "errors",
        ],
        rows,
    )


def _peer_section(results: BenchResults) -> list[str]:
    lines = [
        "## Peer: the same vectors in chromadb",
        "",
        "Both sides hold the same index-form vectors (language-centred, unit length) and answer the same "
        "query vectors (the stored needs', cycled), top 10, one query at a time after a warm-up, in the bench "
        f"process with no server running ({_peer_queries(results)} queries per side). *Ours in-process* is `embeddings.VectorIndex`, the index the service searches, built from "
        "vectors in memory; *chromadb* is a `PersistentClient` given the embeddings directly (no embedding "
        "function), cosine space, default HNSW settings, so its ingest includes writing to disk. Recall@10 is "
        "against exact search (numpy). *Ours over HTTP* is the whole stored-need match from the latency "
        "table (SQL, BM25, scoring, JSON): not the same work, shown for scale. The last column is the mean "
        "exact score of the 10th neighbour minus the 11th: the synthetic copies crowd around the real "
        "vectors, so the top 10 is nearly a tie and recall@10 is a hard test for any approximate index.",
        "",
    ]
    rows = []
    skipped = []
    for result in results.sizes:
        peer = result.peer
        if peer is None:
            continue
        ours, other = peer.ours, peer.peer
        if other is None:
            skipped.append(f"{format_size(result.size)}: {peer.skipped}")
        rows.append(
            [
                format_size(result.size),
                _num(other.ingest_seconds, 2) if other else "–",
                _num(ours.ingest_seconds, 2),
                f"{_ms(other.latency.p50_ms)} / {_ms(other.latency.p95_ms)}" if other else "–",
                f"{_ms(ours.latency.p50_ms)} / {_ms(ours.latency.p95_ms)}",
                _ms(result.stored_need_hybrid.p95_ms),
                f"{other.recall_at_10:.3f}" if other else "–",
                f"{ours.recall_at_10:.3f}",
                f"{_num(ratio(ours.latency.p95_ms, other.latency.p95_ms), 2)}x" if other else "–",
                f"{_num(ratio(result.stored_need_hybrid.p95_ms, other.latency.p95_ms), 2)}x"
                if other
                else "–",
                _num(peer.score_gap_10_11, 4),
            ]
        )
    lines += _table(
        [
            "size",
            "chromadb ingest s",
            "our index build s",
            "chromadb p50 / p95 ms",
            "ours in-process p50 / p95 ms",
            "ours over HTTP p95 ms",
            "chromadb recall@10",
            "our recall@10",
            "ours / chromadb, in-process p95",
            "ours over HTTP / chromadb, p95",
            "exact score gap 10th-11th",
        ],
        rows,
    )
    names = {result.peer.peer.name for result in results.sizes if result.peer and result.peer.peer}
    our_sides = [
        f"{format_size(result.size)}: {result.peer.ours.name}" for result in results.sizes if result.peer
    ]
    if our_sides:
        lines += [f"Ours: {'; '.join(our_sides)}.", ""]
    if names:
        lines += [f"Peer: {', '.join(sorted(names))}.", ""]
    if skipped:
        lines += ["Skipped: " + "; ".join(skipped) + ".", ""]
    return lines


def _peer_queries(results: BenchResults) -> str:
    return str(results.options.get("peer_queries", "?"))


def render_report(results: BenchResults) -> str:
    workers = results.options.get("workers", 1)
    loads = ", ".join(f"{format_size(result.size)}: {result.load_average[0]:.2f}" for result in results.sizes)
    lines = [
        "# Benchmarks",
        "",
        "Written by the bench (`scripts/bench`, code in `bench/`); rerun it rather than editing this "
        "file. Figures are from one run: latencies are that run's percentiles (p50 is the median).",
        "",
        f"- Command: `{results.command}`",
        f"- Date: {results.started_at} (the run took {results.seconds:.0f} s)",
        f"- Machine: {results.machine.describe()}",
        f"- Encoder: `{results.encoder}`, {results.encoder_threads} thread(s) per encoding call",
        f"- Server: `innomatch serve --workers {workers}` ({workers} worker process(es) forked after start-up) "
        "for latency, throughput and memory; the ingest servers run one process",
        f"- 1-minute load average as each size finished (others' work on the machine shows in every figure): {loads or '–'}",
    ]
    if results.quick:
        lines.append("- Quick mode: small sizes, short phases; the 100k and 1M targets are not measured.")
    lines += [f"- {note}" for note in results.notes]
    lines += ["", "## Targets", ""]
    lines += _table(
        ["target", "measured", "status"],
        ([check.target, check.measured, check.status] for check in check_targets(results)),
        align_right_from=3,
    )
    for section in (
        _data_section,
        _ingest_section,
        _server_section,
        _latency_section,
        _throughput_section,
        _peer_section,
        alerts_section,
        notices_section,
    ):
        lines += section(results)
    return "\n".join(lines).rstrip() + "\n"


ALERTS_HEADING = "## Alerts: saved searches against new records"


def alerts_section(results: BenchResults) -> list[str]:
    alerts = results.alerts
    if alerts is None:
        return []
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in alerts.searches_by_kind.items())
    verdict = "met" if alerts.round_seconds <= 30 else "**missed**"
    lines = [
        ALERTS_HEADING,
        "",
        f"Measured by `{results.command}` on {results.started_at}, load average "
        f"{alerts.load_average[0]:.2f} when it finished. One round of the alert worker "
        "(`service/alerts/`; docs/alerts.md) in a process of its own, after the service opened as "
        "`innomatch worker` opens it: every saved search weighed against the new records (the prefilter, "
        "then each search with candidates ranked among them as the matches endpoint ranks), then every "
        "delivery planned and written (nothing is sent). The database holds "
        f"{alerts.solutions:,} solutions (real, then synthetic as above) and {alerts.stored_needs:,} real "
        f"needs; then {alerts.searches:,} saved searches are written (**synthetic**: by kind {kinds}; text "
        "queries are real need and solution texts with their real vectors; a third of need searches, and "
        "every new-needs search, filter on a county; weakest band drawn from weak, moderate, moderate, "
        f"strong; 100 integration owners with a webhook each), then {alerts.new_needs:,} new needs and "
        f"{alerts.new_solutions:,} new solutions (**synthetic**, made from real ones as above).",
        "",
    ]
    lines += _table(
        ["searches", "new records", "evaluate s", "plan deliveries s", "round s", "target ≤ 30 s"],
        [
            [
                f"{alerts.searches:,}",
                f"{alerts.new_needs + alerts.new_solutions:,}",
                _num(alerts.evaluate_seconds),
                _num(alerts.plan_seconds),
                _num(alerts.round_seconds),
                verdict,
            ]
        ],
    )
    lines += _table(
        [
            "searches weighed",
            "matches found",
            "deliveries planned",
            "memory after open MiB",
            "peak in round MiB",
        ],
        [
            [
                f"{alerts.searches_weighed:,}",
                f"{alerts.matches_found:,}",
                f"{alerts.deliveries_planned:,}",
                _num(alerts.memory_after_open_mib, 0),
                _num(alerts.peak_during_round_mib, 0),
            ]
        ],
    )
    lines.append(
        f"Opening the service (migrations, encoder, indexes, KPI texts) took {alerts.open_seconds:.0f} s "
        "before the round; it is not part of the round."
    )
    return [*lines, ""]


NOTICES_HEADING = "## Notices: import rate"


def notices_section(results: BenchResults) -> list[str]:
    notices = results.notices
    if notices is None:
        return []
    outcomes = ", ".join(
        f"{count:,} {outcome}" for outcome, count in notices.import_outcomes.items() if count
    )
    again = ", ".join(f"{count:,} {outcome}" for outcome, count in notices.reimport_outcomes.items() if count)
    lines = [
        NOTICES_HEADING,
        "",
        f"Measured by `{results.command}` on {results.started_at}, load average "
        f"{notices.load_average[0]:.2f} when it finished. {notices.documents:,} eForms documents, "
        "**synthetic copies of real samples**: the valid eForms SDK sample notices of `tests/notices/samples/` "
        f"({', '.join(f'`{name}`' for name in notices.samples)}) taken in turn, each copy given a new notice "
        "id (a UUID) and nothing else changed, so each is a new notice whose need text is encoded (the change "
        "notice's copies change a notice that is not among them, so each is stored as a notice of its own). "
        "Measured in a process of its own, on a fresh copy of the bench's template database (SQLite) with the "
        f"default encoder (`{notices.encoder}`), after the service opened as `innomatch notices import` opens it, the documents read "
        "into memory first: *parse only* is `parse_notice` on each document; *import* is `import_documents` "
        "(parse, encode, store the notice and its need, index; each document its own transaction) into the "
        "empty database; *re-import* is the same documents again, every one unchanged. Parse only and "
        f"re-import are the median of {notices.repeats} passes; the import is one pass. The encoder's share "
        "is the time spent in its passage calls during the import, timed by a wrapper around the encoder "
        "(in the bench only).",
        "",
    ]
    lines += _table(
        [
            "documents",
            "parse only docs/s",
            "import docs/s",
            "encoder share of import",
            "re-import unchanged docs/s",
        ],
        [
            [
                f"{notices.documents:,}",
                _num(notices.parse_per_second),
                _num(notices.import_per_second, 2),
                f"{notices.encode_share:.0%}",
                _num(notices.reimport_per_second),
            ]
        ],
    )
    lines += _table(
        [
            "import s",
            "texts encoded",
            "encoder s",
            "snapshots s",
            "memory after open MiB",
            "peak MiB",
        ],
        [
            [
                _num(notices.import_seconds),
                f"{notices.encoded_texts:,}",
                _num(notices.encode_seconds),
                _num(notices.snapshot_seconds, 2),
                _num(notices.memory_after_open_mib, 0),
                _num(notices.peak_mib, 0),
            ]
        ],
    )
    lines.append(
        f"Import outcomes: {outcomes or '–'}; re-import: {again or '–'}. Peak is the process's peak resident "
        "memory from when the service was open (documents read, parsed, imported, imported again). Opening "
        f"the service (migrations, encoder, indexes) took {notices.open_seconds:.0f} s and is not part of any "
        "figure; nor are the index snapshots the command saves after importing (shown apart)."
    )
    return [*lines, ""]


def replace_section(path: Path, section: list[str]) -> None:
    """The section of an existing report whose heading is `section`'s first line replaced by `section`
    (or added at the report's end), the rest kept as it was."""
    heading = section[0]
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    start = old.find(heading + "\n")
    if start == -1:
        kept_before, kept_after = old.rstrip() + "\n\n", ""
    else:
        following = old.find("\n## ", start + len(heading))
        kept_before = old[:start]
        kept_after = "" if following == -1 else old[following + 1 :]
    text = "\n".join(section).rstrip() + "\n"
    path.write_text(kept_before + text + ("\n" + kept_after if kept_after else ""), encoding="utf-8")


def replace_measured_sections(results: BenchResults, path: Path) -> None:
    """The sections of the figures this run measured (--alerts-only, --notices-only) replaced in place."""
    for section in (alerts_section, notices_section):
        lines = section(results)
        if lines:
            replace_section(path, lines)


def write_report(results: BenchResults, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(results), encoding="utf-8")
