"""One bench run: real texts and their vectors, a template database, the ingest phase, then for each
size a populated database, a rebuild, a real server measured over HTTP, and the peer comparison."""

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import httpx
import numpy as np

from bench.alerts import measure_alerts
from bench.corpus import BaseCorpus, RealRecord, load_base_corpus
from bench.http_load import Call, concurrent_throughput, sequential_latency
from bench.ingest import run_ingest
from bench.machine import describe_machine, load_average
from bench.notices import measure_notices
from bench.options import BenchOptions, format_size
from bench.peer import compare_with_peer
from bench.population import Population, populate
from bench.report import replace_measured_sections, write_report
from bench.results import BenchResults, SizeResult, write_json
from bench.server import ServerProcess, run_reindex
from bench.stats import Latency
from bench.template import build_template, sqlite_url
from embeddings import Encoder, LanguageCentroids, default_threads, load_encoder
from service.config import Settings
from service.db import make_engine, make_session_factory
from service.indexing import repository

log = logging.getLogger(__name__)
MATCH_LIMIT = 10
NEED_MATCHES_PATH = "/api/v1/needs/{need_id}/matches"
NOTHING_MEASURED = Latency.of([])  # a phase whose time bound ran out before this kind of request came


def _say(message: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def stored_centroids(template: Path, model_id: str) -> LanguageCentroids:
    engine = make_engine(sqlite_url(template))
    try:
        with make_session_factory(engine)() as session:
            means = repository.get_centroids(session, model_id=model_id)
    finally:
        engine.dispose()
    if not means:
        raise RuntimeError(f"{template} has no language centroids for {model_id}")
    return LanguageCentroids(means=means)


def adhoc_queries(needs: list[RealRecord]) -> list[str]:
    """Search-box texts from the needs, each distinct, so no cache can answer one without encoding it."""
    queries: dict[str, None] = {}
    for record in needs:
        sentences = [part.strip() for part in record.description.split(". ") if part.strip()]
        variants = [
            record.title,
            *(f"{record.title}. {sentence}" for sentence in sentences[:2]),
            *sentences[:2],
        ]
        queries.update(dict.fromkeys(variant[:400] for variant in variants))
    return list(queries)


def offers_ranking(base_url: str) -> bool:
    """Whether the server documents ?ranking= on stored-need matches (unknown parameters are ignored)."""
    document = httpx.get(f"{base_url}/openapi.json", timeout=30).json()
    operation = document.get("paths", {}).get(NEED_MATCHES_PATH, {}).get("get", {})
    return any(parameter.get("name") == "ranking" for parameter in operation.get("parameters", []))


def _need_match(need_ids: list[int], ranking: str) -> Callable[[int], Call]:
    def call(number: int) -> Call:
        need_id = need_ids[number % len(need_ids)]
        return Call(
            "GET",
            NEED_MATCHES_PATH.format(need_id=need_id),
            params={"limit": MATCH_LIMIT, "ranking": ranking},
            label=ranking,
        )

    return call


def _hybrid_and_dense(need_ids: list[int]) -> Callable[[int], Call]:
    # Alternating (one need, then the same need the other way) compares the two under the same load.
    hybrid, dense = _need_match(need_ids, "hybrid"), _need_match(need_ids, "dense")
    return lambda number: (hybrid if number % 2 == 0 else dense)(number // 2)


def _adhoc(queries: list[str]) -> Callable[[int], Call]:
    return lambda number: Call(
        "POST",
        "/api/v1/search/solutions",
        body={"query": queries[number % len(queries)], "limit": MATCH_LIMIT},
        label="adhoc",
    )


def measure_size(
    size: int,
    *,
    options: BenchOptions,
    template: Path,
    corpus: BaseCorpus,
    centroids: LanguageCentroids,
    model_id: str,
) -> SizeResult:
    directory = options.work_dir / f"size-{format_size(size)}"
    shutil.rmtree(directory, ignore_errors=True)
    population: Population = populate(
        directory=directory,
        template=template,
        corpus=corpus,
        centroids=centroids,
        model_id=model_id,
        size=size,
    )
    _say(f"{format_size(size)}: populated in {population.seconds:.1f} s; rebuilding with `innomatch reindex`")
    log_path = directory / "server.log"
    reindex_seconds = run_reindex(directory, population.database_url, log_path)
    server = ServerProcess(
        data_dir=directory,
        database_url=population.database_url,
        log_path=log_path,
        start_timeout=options.server_start_timeout,
        workers=options.workers,
    )
    queries = adhoc_queries(population.need_texts)
    with server:
        _say(f"{format_size(size)}: server up in {server.start_seconds:.1f} s; measuring latency")
        memory_after_start = server.memory()
        ranking_parameter = offers_ranking(server.base_url)
        # Warm-up and requests count both kinds: each gets half.
        need_latency = sequential_latency(
            server.base_url,
            _hybrid_and_dense(population.need_ids),
            warmup=2 * options.warmup,
            requests=2 * options.requests,
            max_seconds=options.phase_seconds,
        )
        adhoc_latency = sequential_latency(
            server.base_url,
            _adhoc(queries),
            warmup=options.warmup,
            requests=options.requests,
            max_seconds=options.phase_seconds,
        )
        _say(f"{format_size(size)}: {options.clients} concurrent clients for {options.load_seconds:g} s each")
        need_throughput = concurrent_throughput(
            server.base_url,
            _need_match(population.need_ids, "hybrid"),
            clients=options.clients,
            seconds=options.load_seconds,
            max_requests=options.load_requests,
        )
        adhoc_throughput = concurrent_throughput(
            server.base_url,
            # Past the sequential phase's texts, so none of these was encoded before.
            lambda number: _adhoc(queries)(number + options.warmup + options.requests),
            clients=options.clients,
            seconds=options.load_seconds,
            max_requests=options.load_requests,
        )
        memory_after_load = server.memory()
    _say(f"{format_size(size)}: server stopped; peer comparison")
    peer = compare_with_peer(
        directory=directory / "chromadb",
        ids=population.solution_ids,
        vectors=population.solution_vectors,
        queries=population.need_vectors.astype(np.float32),
        warmup=options.warmup,
        requests=options.peer_queries,
        run_peer=options.peer and size <= options.peer_max_size,
    )
    result = SizeResult(
        size=size,
        real_solutions=population.real_solutions,
        synthetic_solutions=population.synthetic_solutions,
        stored_needs=len(population.need_ids),
        population_seconds=population.seconds,
        database_mb=population.database_bytes / 1024 / 1024,
        reindex_seconds=reindex_seconds,
        start_seconds=server.start_seconds,
        memory_after_start=memory_after_start,
        memory_after_load=memory_after_load,
        ranking_parameter=ranking_parameter,
        stored_need_hybrid=need_latency.get("hybrid", NOTHING_MEASURED),
        stored_need_dense=need_latency.get("dense", NOTHING_MEASURED),
        adhoc_text=adhoc_latency.get("adhoc", NOTHING_MEASURED),
        stored_need_throughput=need_throughput,
        adhoc_throughput=adhoc_throughput,
        load_average=load_average(),
        peer=peer,
    )
    if not options.keep:
        shutil.rmtree(directory, ignore_errors=True)
    return result


def run_bench(
    options: BenchOptions, *, encoder: Encoder | None = None, template: Path | None = None
) -> BenchResults:
    """Run every phase, write the JSON and the report; `encoder` and `template` (a migrated database
    with the catalogues and this encoder's centroids) may be passed in by tests and tools."""
    started = time.perf_counter()
    settings = Settings()
    encoder = encoder or load_encoder(settings.encoder, threads=settings.encoder_threads)
    options.work_dir.mkdir(parents=True, exist_ok=True)
    results = BenchResults(
        command=options.command,
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
        seconds=0.0,
        machine=describe_machine(),
        encoder=encoder.model_id,
        encoder_threads=settings.encoder_threads or default_threads(settings.encoder),
        quick=options.quick,
        options={
            name: str(value) if isinstance(value, Path) else value for name, value in asdict(options).items()
        },
    )
    _say(f"real texts and their vectors ({options.base_corpus} corpus)")
    corpus = load_base_corpus(
        encoder, base_corpus=options.base_corpus, cache_dir=options.work_dir / "vector-cache"
    )
    if template is None:
        template = build_template(options.work_dir / "template.sqlite3", encoder, corpus.vectors_by_hash)
    centroids = stored_centroids(template, encoder.model_id)
    if options.ingest_records > 0 and not options.only_some_figures:
        _say(f"ingest: {options.ingest_records} records, real encoding, through the API")
        results.ingest = run_ingest(
            corpus=corpus,
            encoder=encoder,
            template=template,
            directory=options.work_dir / "ingest",
            count=options.ingest_records,
            start_timeout=options.server_start_timeout,
        )
        if not options.keep:
            shutil.rmtree(options.work_dir / "ingest", ignore_errors=True)
    for size in [] if options.only_some_figures else options.sizes:
        _say(f"size {format_size(size)}")
        results.sizes.append(
            measure_size(
                size,
                options=options,
                template=template,
                corpus=corpus,
                centroids=centroids,
                model_id=encoder.model_id,
            )
        )
        # Written after every size, so a long run that fails late keeps what it measured.
        results.seconds = time.perf_counter() - started
        write_json(results, options.resolved_results_path)
    if options.alert_searches > 0 and (options.alerts_only or not options.only_some_figures):
        _say(f"alerts: {options.alert_searches} saved searches against {options.alert_records} new records")
        results.alerts = measure_alerts(
            directory=options.work_dir / "alerts",
            template=template,
            corpus=corpus,
            centroids=centroids,
            model_id=encoder.model_id,
            solutions=options.alert_solutions,
            searches=options.alert_searches,
            new_records=options.alert_records,
        )
        if not options.keep:
            shutil.rmtree(options.work_dir / "alerts", ignore_errors=True)
    if options.notice_documents > 0 and (options.notices_only or not options.only_some_figures):
        _say(f"notices: {options.notice_documents} eForms documents parsed, imported and imported again")
        results.notices = measure_notices(
            directory=options.work_dir / "notices", template=template, documents=options.notice_documents
        )
        if not options.keep:
            shutil.rmtree(options.work_dir / "notices", ignore_errors=True)
    results.seconds = time.perf_counter() - started
    write_json(results, options.resolved_results_path)
    if options.report_path is not None and options.only_some_figures:
        replace_measured_sections(results, options.report_path)
    elif options.report_path is not None:
        write_report(results, options.report_path)
    _say(f"done in {results.seconds:.0f} s: {options.resolved_results_path}, {options.report_path}")
    return results
