"""HTTP layer for the KPI catalogue."""

from fastapi import APIRouter, status

from service.auth import NeedWriterDep
from service.deps import IndexesDep, SessionDep
from service.errors import checks_references
from service.kpis import repository, service, suggestions
from service.kpis.schemas import (
    Dimension,
    ImportResult,
    KpiRead,
    KpiSuggestionRequest,
    KpiSuggestions,
    ObservationBatch,
)
from service.pagination import Page, PageDep
from service.text_fields import KpiCodeText

router = APIRouter(prefix="/api/v1/kpis", tags=["kpis"])


@router.get("", response_model=Page[KpiRead])
def list_kpis(session: SessionDep, page: PageDep, dimension: Dimension | None = None) -> Page[KpiRead]:
    """The 91 U4SSC KPIs with names in English and Norwegian and the direction that is better."""
    items, total = repository.list_kpis(session, offset=page.offset, limit=page.limit, dimension=dimension)
    return Page(
        items=[KpiRead.model_validate(kpi) for kpi in items],
        total=total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/{code}", response_model=KpiRead)
def get_kpi(session: SessionDep, code: KpiCodeText) -> KpiRead:
    """One KPI by its code (`EC-I-WS-3C` or `EC: I: WS: 3C`)."""
    return service.read_kpi(session=session, code=code)


@router.post("/suggest", response_model=KpiSuggestions)
def suggest_kpis(session: SessionDep, indexes: IndexesDep, request: KpiSuggestionRequest) -> KpiSuggestions:
    """The three U4SSC KPIs a need's or a query's text most likely moves, each with a confidence: suggested
    from the text (its likeness to each KPI's name, definition and problem statement in both languages, and
    the KPI codes of the nearest public needs and solutions), for a text without KPI codes of its own."""
    return suggestions.suggest_kpis(session=session, indexes=indexes, text=request.text)


observations_router = APIRouter(prefix="/api/v1/kpi-observations", tags=["kpis"])


@observations_router.post("", response_model=ImportResult, status_code=status.HTTP_200_OK)
@checks_references(service.unchecked_observation_errors)
def import_observations(session: SessionDep, writer: NeedWriterDep, batch: ObservationBatch) -> ImportResult:
    """Store a batch of KPI observations, all or nothing; an existing (municipality, KPI, data point, year) is updated.
    An officer imports only its own municipality's observations."""
    return service.import_observations(session=session, observations=batch.observations, caller=writer)
