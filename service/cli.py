"""The `innomatch` command: serve, seed, reindex, eval, tokens, user accounts, backups and KPI imports."""

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Literal

import typer
import uvicorn
from tqdm import tqdm

from embeddings import CachingEncoder, Encoder, load_encoder
from service.access import operator
from service.accounts.cli import users_cli
from service.config import get_settings
from service.notices.cli_fetch import fetch_for_command
from service.operations.commands import backup_command, restore_command
from service.tokens.cli import tokens_cli

app = typer.Typer(
    help="Innomatch: innovation-procurement matchmaking for Norwegian municipalities.", no_args_is_help=True
)
app.add_typer(tokens_cli, name="tokens")
app.add_typer(users_cli, name="user")
notices_cli = typer.Typer(
    help="Public procurement notices (eForms): fetch them from Doffin, import them as needs.",
    no_args_is_help=True,
)
app.add_typer(notices_cli, name="notices")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes, sharing one start-up (default: INNOMATCH_WORKERS, 1)."),
    ] = None,
) -> None:
    """Serve the API and pages (OpenAPI at /docs); logs go to stderr as JSON lines (INNOMATCH_LOG_FORMAT)."""
    from service.app import create_app
    from service.operations.logs import configure_logging

    settings = get_settings()
    configure_logging(level=settings.log_level, log_format=settings.log_format)
    workers = workers or settings.workers
    if workers > 1:
        from service.serving import ensure_port_free, serve_in_workers

        ensure_port_free(host, port)  # before start-up, which is long at a million solutions
        serve_in_workers(create_app(settings, open_now=True), host=host, port=port, workers=workers)
        return
    # log_config=None: uvicorn's loggers go through ours. Our request log replaces its access log,
    # which would print raw paths and query strings.
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        log_config=None,
        access_log=False,
    )


@app.command()
def worker() -> None:
    """Run the alert jobs alone (evaluate saved searches, send e-mails), for deployments whose API
    processes run with INNOMATCH_ALERTS_WORKER=false: a round at once, then every minute; stops on
    Ctrl-C or SIGTERM after the job under way."""
    from service.alerts.jobs import consumer_options, job_queue, schedule_rounds
    from service.alerts.work import alert_work
    from service.app import open_service
    from service.operations.logs import configure_logging

    settings = get_settings()
    configure_logging(level=settings.log_level, log_format=settings.log_format)
    opened = open_service(settings)
    queue = job_queue(settings)
    schedule_rounds(queue, alert_work(settings, opened.session_factory, opened.indexes))
    typer.echo(f"Alert worker: queue in {settings.redis_url or settings.data_dir / 'jobs.sqlite3'}", err=True)
    queue.create_consumer(**consumer_options()).run()


@app.command()
def mcp(
    token_file: Annotated[
        Path | None,
        typer.Option(
            help="A file holding the bearer token to act with (default: INNOMATCH_MCP_TOKEN; none: anonymous)."
        ),
    ] = None,
) -> None:
    """Serve the MCP tools over stdio for an AI assistant (docs/mcp.md): public data without a token, a
    token's role's reads and writes with one; logs go to stderr."""
    from service.app import open_service
    from service.mcp.stdio import RefusedToken, caller_of_token, given_token, serve_stdio, stdout_to_stderr
    from service.mcp.tools import ToolServices
    from service.operations.logs import configure_logging

    settings = get_settings()
    configure_logging(level=settings.log_level, log_format=settings.log_format)
    try:
        token = given_token(token_file)
        with stdout_to_stderr():
            opened = open_service(settings)
        services = ToolServices(opened.session_factory, opened.indexes, settings)
        caller = caller_of_token(services, token, opened.admin_token)
    except RefusedToken as refusal:
        typer.echo(str(refusal), err=True)
        raise typer.Exit(code=2) from refusal
    serve_stdio(services, caller)


@app.command("admin-token")
def admin_token() -> None:
    """Create the bootstrap admin token if there is none yet, and say where it is (never the secret)."""
    from service.auth import resolve_admin_token

    settings = get_settings()
    resolve_admin_token(settings)
    if settings.admin_token:
        typer.echo("Admin token for writes: the value of INNOMATCH_ADMIN_TOKEN")
    else:
        typer.echo(f"Admin token for writes: in {settings.data_dir / 'admin-token'}")


app.command("backup")(backup_command)
app.command("restore")(restore_command)


@app.command()
def seed(
    demo: Annotated[
        bool | None, typer.Option("--demo/--no-demo", help="Load demo records (default: INNOMATCH_SEED).")
    ] = None,
) -> None:
    """Create the schema and load KPIs, municipalities and (by default) demo data; safe to repeat.

    With the demo, needs are then generated from the demo municipalities' KPI gaps.
    """
    from service.db import make_engine, make_session_factory
    from service.indexing import Indexes
    from service.migrations import upgrade_to_head
    from service.seeding import generate_demo_needs, run_seed

    settings = get_settings()
    logging.basicConfig(level=settings.log_level.upper())
    upgrade_to_head(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    session_factory = make_session_factory(engine)
    with_demo = settings.seed == "demo" if demo is None else demo
    encoder = load_encoder(settings.encoder, threads=settings.encoder_threads) if with_demo else None

    def demo_encoder() -> Encoder:
        assert encoder is not None
        return encoder

    report = run_seed(session_factory, demo=with_demo, encoder_factory=demo_encoder)
    typer.echo(f"seeded {settings.resolved_database_url}: {report}")
    if encoder is not None:
        indexes = Indexes.create(
            encoder=encoder, index_dir=settings.index_dir, session_factory=session_factory
        )
        indexes.open()
        created = generate_demo_needs(
            session_factory, indexes, report.municipalities_with_values, max_band=settings.gap_max_band
        )
        indexes.save_snapshots()
        typer.echo(
            f"generated {created} needs from KPI gaps in {len(report.municipalities_with_values)} municipalities"
        )
    engine.dispose()


@app.command()
def reindex() -> None:
    """Encode records missing a vector for the configured encoder, then rebuild both indexes from SQL."""
    from service.db import make_engine, make_session_factory
    from service.indexing import Indexes
    from service.indexing.repository import count_vectors
    from service.migrations import upgrade_to_head

    settings = get_settings()
    upgrade_to_head(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    session_factory = make_session_factory(engine)
    indexes = Indexes.create(
        encoder=load_encoder(settings.encoder, threads=settings.encoder_threads),
        index_dir=settings.index_dir,
        session_factory=session_factory,
    )

    def progress(total: int, label: str) -> Callable[[int], object]:
        advance: Callable[[int], object] = tqdm(total=total, desc=label, unit="text").update
        return advance

    for index in (indexes.needs, indexes.solutions):
        index.encode_missing(progress=progress)
        with session_factory() as session:
            total = count_vectors(session, kind=index.kind, model_id=index.encoder.model_id)
        with tqdm(total=total, desc=f"rebuilding {index.kind} index", unit="vector") as bar:
            index.rebuild(advance=bar.update)
        typer.echo(f"{index.kind} index: {len(index)} vectors, change sequence {index.applied_seq}")
    engine.dispose()


@app.command("eval")
def evaluate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Evaluation sets (JSON); default: the real cases, the short queries and public_eval.json."
        ),
    ] = None,
    encoder: Annotated[
        list[str] | None, typer.Option(help="Encoder(s) to evaluate; default: the configured one.")
    ] = None,
    split: Annotated[
        list[str] | None, typer.Option(help="all, train or heldout (repeatable); default: heldout and all.")
    ] = None,
    fit: Annotated[
        bool,
        typer.Option(
            help="Also fit the lexical, shared-KPI and suggested-KPI weights and the KPI suggestions' "
            "temperature on the train splits."
        ),
    ] = False,
    needs_quality: Annotated[
        bool,
        typer.Option(
            "--needs-quality",
            help="Instead: the needs-quality rules' precision and recall per rule and language on the "
            "labelled need texts (dev, the seen heldout-1 to heldout5, and the held-out heldout6, "
            "seed_data/needs_quality/); "
            "needs no encoder.",
        ),
    ] = False,
) -> None:
    """Print R@1, R@5, R@10, MRR and nDCG@10 overall and per language pair for each ranking and set, and the
    KPI suggestions' top-1 and top-3 accuracy on the labelled needs."""
    if needs_quality:
        from evaluation.needs_quality import report

        typer.echo(report())
        return
    from evaluation.kpi_suggestions import KpiSuggestionModel, evaluate_suggestions
    from evaluation.matching import (
        DEFAULT_SETS,
        RANKINGS,
        fit_suggested_kpis_weight,
        fit_weights,
        format_reports,
        load_eval_set,
        report_for,
        score_tables,
        without_need_kpis,
    )
    from service.indexing import fit_centroids
    from service.matching.scoring import choose_weights
    from service.matching.signals import SIGNALS
    from service.seeding import catalogue_kpi_names

    kpi_names = catalogue_kpi_names()
    for name in encoder or [get_settings().encoder]:
        loaded = CachingEncoder(load_encoder(name))
        centroids, _counts = fit_centroids(loaded)
        suggester = KpiSuggestionModel.build(loaded, centroids)
        suggested_fits: list[list[tuple[tuple[float], float]]] = []
        for path in paths or list(DEFAULT_SETS):
            eval_set = load_eval_set(path)
            typer.echo(f"## {path.name}\n")
            if fit:
                train = score_tables(
                    eval_set,
                    loaded,
                    centroids=centroids,
                    kpi_names=kpi_names,
                    split="train",
                    suggester=suggester,
                )
                grid = fit_weights(eval_set, train)
                best = sorted(grid, key=lambda item: -item[1])[:10]
                typer.echo(
                    "train MRR, best (lexical, shared_kpis) weights: "
                    + ", ".join(f"({lex:g}, {kpi:g}): {mrr:.3f}" for (lex, kpi), mrr in best)
                )
                chosen = choose_weights(grid)
                in_use = (SIGNALS.weight("lexical"), SIGNALS.weight("shared_kpis"))
                typer.echo(f"chosen {chosen} (in use: ({in_use[0]:g}, {in_use[1]:g}))\n")
                if any(case.kind == "need" for case in eval_set.cases):
                    untagged = without_need_kpis(eval_set)
                    by_weight = fit_suggested_kpis_weight(
                        untagged,
                        score_tables(
                            untagged,
                            loaded,
                            centroids=centroids,
                            kpi_names=kpi_names,
                            split="train",
                            suggester=suggester,
                        ),
                    )
                    suggested_fits.append(by_weight)
                    typer.echo(
                        "train MRR by suggested_kpis weight, the needs' KPI codes hidden: "
                        + ", ".join(f"{weight:g}: {mrr:.3f}" for (weight,), mrr in by_weight)
                        + "\n"
                    )
            for split_name in split or ["heldout", "all"]:
                tables = score_tables(
                    eval_set,
                    loaded,
                    centroids=centroids,
                    kpi_names=kpi_names,
                    split=split_name,
                    suggester=suggester,
                )
                reports = [
                    report_for(eval_set, tables, ranking, encoder=loaded.model_id, split=split_name)
                    for ranking in RANKINGS
                ]
                typer.echo(format_reports(reports) + "\n")
        if suggested_fits:
            # One weight for every set of needs: the mean of their train MRRs, by the same rule.
            joint = [
                (weights, sum(mrr for _, mrr in row) / len(row))
                for weights, row in zip(
                    [weights for weights, _ in suggested_fits[0]],
                    zip(*suggested_fits, strict=True),
                    strict=True,
                )
            ]
            (suggested_weight,) = choose_weights(joint)
            typer.echo(
                f"suggested_kpis weight over the sets of needs: chosen {suggested_weight:g} "
                f"(in use: {SIGNALS.weight('suggested_kpis'):g})\n"
            )
        typer.echo("## KPI suggestions\n")
        typer.echo(
            evaluate_suggestions(paths or list(DEFAULT_SETS), loaded, centroids, suggester, fit=fit) + "\n"
        )


@notices_cli.command("import")
def import_notices(
    paths: Annotated[list[Path], typer.Argument(help="eForms XML files, or folders of *.xml files.")],
) -> None:
    """Import eForms notices, each file in its own transaction: one line per file and a summary; exit
    code 1 when a file was refused (the others are kept)."""
    from service.notices.files import notice_files, read_documents

    try:
        files = notice_files(paths)
    except FileNotFoundError as error:
        raise typer.BadParameter(str(error)) from error
    _import_notice_documents(read_documents(files), source="file")


@notices_cli.command("fetch")
def fetch_notices(
    since: Annotated[str, typer.Option(help="First issue date to fetch, YYYY-MM-DD.")],
    until: Annotated[
        str | None, typer.Option(help="Last issue date to fetch, YYYY-MM-DD (default: today).")
    ] = None,
    cpv: Annotated[
        list[str] | None,
        typer.Option(help="Only notices of this CPV code or its subtree (8 digits); may repeat."),
    ] = None,
    save_to: Annotated[
        Path | None, typer.Option(help="Write each notice's XML to this folder as <doffin id>.xml.")
    ] = None,
    import_notices: Annotated[
        bool, typer.Option("--import/--no-import", help="Import the fetched notices (default).")
    ] = True,
) -> None:
    """Fetch the notices Doffin has issued since a date (INNOMATCH_DOFFIN_SUBSCRIPTION_KEY needed) and
    import them as `notices import` does, each with its Doffin page as its link."""
    fetched = fetch_for_command(since=since, until=until, cpv=cpv, save_to=save_to)
    if import_notices and fetched:
        _import_notice_documents(
            [(notice.name, notice.data) for notice in fetched],
            source="doffin",
            source_urls={notice.name: notice.source_url for notice in fetched},
        )


def _import_notice_documents(
    documents: Iterable[tuple[str, bytes]],
    *,
    source: Literal["file", "doffin"],
    source_urls: dict[str, str] | None = None,
) -> None:
    """Import through the opened service, say each document's outcome; exit 1 when one was refused."""
    from service.app import open_service
    from service.notices.importer import import_documents

    opened = open_service(get_settings())
    with opened.session_factory() as session:
        report = import_documents(
            session=session,
            indexes=opened.indexes,
            caller=operator(),
            documents=documents,
            source=source,
            source_urls=source_urls,
        )
    opened.indexes.save_snapshots()
    opened.engine.dispose()
    for document in report.documents:
        typer.echo(f"{document.name}: {document.outcome} {document.notice_id or '-'}: {document.message}")
    typer.echo(report.summary())
    if report.any_refused:
        raise typer.Exit(1)


@app.command("import-kpis")
def import_kpis(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="CSV with columns municipality_number, kpi_code, year, value, unit, source [, data_point, synthetic]."
        ),
    ] = None,
    ssb: Annotated[
        str | None,
        typer.Option(
            "--ssb",
            metavar="TABLE",
            help="Import from Statistics Norway's table TABLE (overrides the mapping's).",
        ),
    ] = None,
    mapping_path: Annotated[
        Path | None,
        typer.Option(
            "--map",
            metavar="MAPPING",
            help="JSON file saying which SSB table cells become which KPI, e.g. seed_data/ssb_mappings/*.json.",
        ),
    ] = None,
    ssb_url: Annotated[
        str, typer.Option("--ssb-url", help="Base URL of SSB's PxWebApi v0 tables.")
    ] = "https://data.ssb.no/api/v0/no/table",
) -> None:
    """Import KPI observations from a CSV file or from SSB, all or nothing; bad rows are named and nothing is stored."""
    if path is not None and (ssb is not None or mapping_path is not None):
        raise typer.BadParameter("give either a CSV file or --ssb/--map, not both")
    if path is not None:
        _import_kpis_from_csv(path)
    elif mapping_path is not None:
        _import_kpis_from_ssb(table=ssb, mapping_path=mapping_path, base_url=ssb_url)
    else:
        raise typer.BadParameter(
            "give a CSV file, or --map MAPPING.json (with --ssb TABLE to change the table)"
        )


def _import_kpis_from_csv(path: Path) -> None:
    from service.db import make_engine, make_session_factory
    from service.errors import FieldErrors
    from service.kpis.csv_import import CsvProblems, read_observations
    from service.kpis.service import CSV_LINES, import_observations, row_name
    from service.migrations import upgrade_to_head

    settings = get_settings()
    try:
        observations = read_observations(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as error:
        raise typer.BadParameter(f"cannot read {path}: {error}") from error
    except CsvProblems as problems:
        typer.echo(f"{path}: nothing imported\n" + "\n".join(problems.problems), err=True)
        raise typer.Exit(code=1) from problems
    upgrade_to_head(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    try:
        with make_session_factory(engine)() as session:
            result = import_observations(
                session=session, observations=observations, caller=operator(), location=CSV_LINES
            )
    except FieldErrors as errors:
        lines = [f"{row_name(CSV_LINES, int(error.location[1]))}: {error.message}" for error in errors.errors]
        typer.echo(f"{path}: nothing imported\n" + "\n".join(lines), err=True)
        raise typer.Exit(code=1) from errors
    finally:
        engine.dispose()
    typer.echo(f"{path}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged")


def _import_kpis_from_ssb(*, table: str | None, mapping_path: Path, base_url: str) -> None:
    import httpx

    from service.db import make_engine, make_session_factory
    from service.errors import FieldErrors
    from service.kpis.ssb import SsbImportError, import_from_ssb
    from service.kpis.ssb_mapping import SsbMappingError, load_mapping
    from service.migrations import upgrade_to_head

    settings = get_settings()
    logging.basicConfig(level=settings.log_level.upper())  # shows each retry
    label = f"SSB table {table or '(from mapping)'}"
    try:
        mapping = load_mapping(mapping_path)
        label = f"SSB table {table or mapping.table}"
        upgrade_to_head(settings.resolved_database_url)
        engine = make_engine(settings.resolved_database_url)
        try:
            with (
                httpx.Client(headers={"User-Agent": "innomatch"}) as client,
                make_session_factory(engine)() as session,
            ):
                report = import_from_ssb(
                    session=session,
                    client=client,
                    mapping=mapping,
                    caller=operator(),
                    table=table,
                    base_url=base_url,
                )
        finally:
            engine.dispose()
    except (SsbMappingError, SsbImportError) as error:
        typer.echo(f"{label}: nothing imported\n{error}", err=True)
        raise typer.Exit(code=1) from error
    except FieldErrors as errors:
        typer.echo(
            f"{label}: nothing imported\n" + "\n".join(error.message for error in errors.errors), err=True
        )
        raise typer.Exit(code=1) from errors
    result = report.result
    skipped = f"{report.missing_values} missing values skipped"
    if report.skipped_regions:
        skipped += f", {len(report.skipped_regions)} regions that are not municipalities skipped"
    typer.echo(
        f"{label}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged ({skipped})"
    )
