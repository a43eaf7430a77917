"""create_app(): the FastAPI application, its routers and its start-up (database, encoder, indexes)."""

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from embeddings import Encoder, load_encoder
from service import __doc__ as service_doc
from service.alerts.jobs import job_queue, schedule_rounds, start_consumer
from service.alerts.router import feed_router as alerts_feed_router
from service.alerts.router import router as alerts_router
from service.alerts.webhooks_router import router as webhooks_router
from service.alerts.work import alert_work
from service.audit.router import router as audit_router
from service.audit.writes import AuditWrites
from service.auth import resolve_admin_token
from service.buyer_groups.router import router as buyer_groups_router
from service.config import Settings, get_settings
from service.db import make_engine, make_session_factory
from service.demand.router import router as demand_router
from service.errors import install_error_handlers
from service.indexing import Indexes, IndexFollower
from service.kpis.gaps_router import router as gaps_router
from service.kpis.router import observations_router
from service.kpis.router import router as kpis_router
from service.matching.router import router as matching_router
from service.mcp.http import mount_mcp
from service.mcp.tools import ToolServices
from service.migrations import upgrade_to_head
from service.municipalities.router import router as municipalities_router
from service.needs.router import generation_router
from service.needs.router import router as needs_router
from service.notices.router import router as notices_router
from service.ocds.router import router as ocds_router
from service.open_data.router import router as open_data_router
from service.operations.metrics import ServiceMetrics
from service.operations.router import install_operations
from service.partnerships.router import router as partnerships_router
from service.partnerships.router import solution_outcomes_router
from service.request_limits import RequestLimits
from service.security_headers import SecurityHeaders
from service.solutions.router import router as solutions_router
from service.suppliers.router import router as suppliers_router
from service.tokens.router import router as tokens_router
from service.web.account_pages import router as account_pages_router
from service.web.alert_pages import router as alert_pages_router
from service.web.assets import mount_static
from service.web.audit_page import router as audit_page_router
from service.web.buyer_group_pages import router as buyer_group_pages_router
from service.web.demand_pages import router as demand_pages_router
from service.web.errors import install_error_pages, is_page
from service.web.i18n import RememberLanguage
from service.web.kpi_import_page import router as kpi_import_page_router
from service.web.municipality_pages import router as municipality_pages_router
from service.web.need_pages import router as need_pages_router
from service.web.notice_pages import router as notice_pages_router
from service.web.notification_page import router as notification_page_router
from service.web.open_data_page import router as open_data_page_router
from service.web.operations_page import router as operations_page_router
from service.web.outbox_pages import router as outbox_pages_router
from service.web.partnership_pages import router as partnership_pages_router
from service.web.people_pages import router as people_pages_router
from service.web.quality_report_page import router as quality_report_page_router
from service.web.router import router as web_router
from service.web.supplier_pages import router as supplier_pages_router
from service.web.tools_page import router as tools_page_router
from service.web.unsubscribe_page import router as unsubscribe_page_router

log = logging.getLogger("innomatch")


class Health(BaseModel):
    status: str
    database: str
    encoder: str
    indexed_needs: int
    indexed_solutions: int


@dataclass
class OpenedService:
    """What start-up builds: the database engine, the encoder's indexes and the admin token."""

    engine: Engine
    session_factory: sessionmaker[Session]
    indexes: Indexes
    admin_token: str


def open_service(settings: Settings, encoder: Encoder | None = None) -> OpenedService:
    """Migrations, the encoder and the indexes without the web application (`innomatch worker`)."""
    return _open_service(settings, encoder, ServiceMetrics())


def _open_service(settings: Settings, encoder: Encoder | None, metrics: ServiceMetrics) -> OpenedService:
    database_url = settings.resolved_database_url
    upgrade_to_head(database_url)
    engine = make_engine(database_url)
    session_factory = make_session_factory(engine)
    loaded_encoder = encoder or load_encoder(
        settings.encoder, threads=settings.encoder_threads, cache_dir=settings.data_dir / "models"
    )
    indexes = Indexes.create(
        encoder=metrics.timed(loaded_encoder),
        index_dir=settings.index_dir,
        session_factory=session_factory,
        snapshot_every=settings.snapshot_every,
    )
    for line in indexes.open():
        log.info(line)
    metrics.watch(indexes)
    return OpenedService(engine, session_factory, indexes, resolve_admin_token(settings))


def create_app(
    settings: Settings | None = None, encoder: Encoder | None = None, *, open_now: bool = False
) -> FastAPI:
    """The application; `encoder` may be passed in so tests and tools load a model once.

    With `open_now`, start-up (migrations, encoder, indexes) happens here rather than when the app
    starts serving: worker processes forked afterwards share those pages instead of each loading a copy.
    """
    settings = settings or get_settings()
    metrics = ServiceMetrics()
    opened = _open_service(settings, encoder, metrics) if open_now else None
    if opened:
        gc.freeze()  # before the fork, so that no worker's collections write to the shared pages

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        logging.basicConfig(
            level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
        )
        service = opened or _open_service(settings, encoder, metrics)
        if opened:
            # This may be a forked worker: the pool's connections belong to the process that opened them.
            service.engine.dispose(close=False)
        indexes = service.indexes
        # Writes through other processes on the same database reach this index through the follower.
        follower = IndexFollower(indexes, settings.follow_interval) if settings.follow_interval else None
        if follower:
            follower.start()
        # The alert jobs (docs/alerts.md): here unless `innomatch worker` runs them on their own.
        consumer = None
        if settings.alerts_worker:
            queue = job_queue(settings)
            schedule_rounds(queue, alert_work(settings, service.session_factory, indexes))
            consumer = start_consumer(queue)
        app.state.settings = settings
        app.state.engine = service.engine
        app.state.session_factory = service.session_factory
        app.state.indexes = indexes
        app.state.admin_token = service.admin_token
        # The MCP server at /mcp (docs/mcp.md), on the same database and indexes.
        async with mcp.serving(ToolServices(service.session_factory, indexes, settings), service.admin_token):
            # What start-up built (modules, the encoder, the indexes' Python objects) lives as long as the
            # service; frozen, a full collection no longer walks it (docs/matching.md, "Start-up").
            gc.freeze()
            yield
            gc.unfreeze()  # so that a process that starts the app again (tests) can collect this one
        if consumer:
            consumer.stop(graceful=True)
        if follower:
            follower.stop()
        indexes.save_snapshots()
        service.engine.dispose()

    app = FastAPI(
        title="Innomatch",
        version="0.1.0",
        description=(service_doc or "")
        + " Writes need `Authorization: Bearer <token>`. Demo records are fictional and marked `demo: true`.",
        lifespan=lifespan,
        # /docs and /redoc are pages of service/web, on files the app serves rather than a CDN's.
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    install_error_pages(app)
    # Pages remember the language the reader chose with ?lang= in a cookie, and say which it is.
    app.add_middleware(RememberLanguage, is_page=is_page)
    app.add_middleware(AuditWrites)
    # Outside the audit (a refused body is no write), inside the metrics (a 413 is still counted).
    app.add_middleware(RequestLimits, max_bytes=settings.max_request_bytes)
    # Added after the other middleware, so it is the outermost and times them too.
    install_operations(app, metrics)
    # Outermost of all: the 413 of the request limits and the operations' own answers get them too.
    app.add_middleware(SecurityHeaders)
    for router in (
        needs_router,
        solutions_router,
        suppliers_router,
        municipalities_router,
        kpis_router,
        observations_router,
        gaps_router,
        generation_router,
        notices_router,
        matching_router,
        demand_router,
        open_data_router,
        buyer_groups_router,
        partnerships_router,
        ocds_router,
        solution_outcomes_router,
        audit_router,
        alerts_router,
        webhooks_router,
        alerts_feed_router,
        tokens_router,
        notification_page_router,  # before the saved-search pages: /alerts/notifications is no search
        need_pages_router,  # before web_router: /needs/new is not the page of a need numbered "new"
        municipality_pages_router,
        supplier_pages_router,  # before web_router: /solutions/new is not /solutions/{solution_id}
        demand_pages_router,
        buyer_group_pages_router,
        partnership_pages_router,
        web_router,
        account_pages_router,
        people_pages_router,
        operations_page_router,
        audit_page_router,
        kpi_import_page_router,
        notice_pages_router,
        tools_page_router,
        open_data_page_router,
        quality_report_page_router,
        unsubscribe_page_router,
        outbox_pages_router,
        alert_pages_router,
    ):
        app.include_router(router)
    mount_static(app)
    mcp = mount_mcp(app, settings.public_base_url)

    @app.get("/health", response_model=Health, tags=["operations"])
    def health() -> Health:
        """Liveness and the state of the database, the encoder and the indexes."""
        with app.state.session_factory() as session:
            session.execute(text("SELECT 1"))
        indexes: Indexes = app.state.indexes
        return Health(
            status="ok",
            database=app.state.engine.dialect.name,
            encoder=indexes.encoder.model_id,
            indexed_needs=len(indexes.needs),
            indexed_solutions=len(indexes.solutions),
        )

    return app
