"""HTTP layer for the demand views: a supplier's (per solution) and programme staff's (per KPI or theme)."""

from typing import Annotated

from fastapi import APIRouter, Query

from service.auth import CallerDep
from service.demand import service, themes
from service.demand.schemas import SolutionDemand, ThemeDemand, ThemeDimension, ThemeKpi
from service.deps import IndexesDep, SessionDep, SettingsDep
from service.errors import checks_references
from service.text_fields import CountyNumber, RecordId

router = APIRouter(prefix="/api/v1", tags=["demand"])


@router.get("/solutions/{solution_id}/demand", response_model=SolutionDemand)
def solution_demand(
    session: SessionDep, indexes: IndexesDep, settings: SettingsDep, reader: CallerDep, solution_id: RecordId
) -> SolutionDemand:
    """Matching needs and KPI gaps for a solution by municipality, county and KPI, with population and match strength.

    Each call is in the audit trail with the needs it showed: equal treatment of suppliers is shown from it.
    """
    return service.solution_demand(
        session=session,
        indexes=indexes,
        solution_id=solution_id,
        max_band=settings.gap_max_band,
        caller=reader,
    )


@router.get("/demand", response_model=ThemeDemand)
@checks_references(themes.unchecked_query_errors)
def theme_demand(
    session: SessionDep,
    indexes: IndexesDep,
    settings: SettingsDep,
    reader: CallerDep,
    kpi: Annotated[ThemeKpi | None, Query(description="A U4SSC KPI code, e.g. EC-I-WS-3C.")] = None,
    dimension: Annotated[
        ThemeDimension | None, Query(description="A U4SSC dimension, e.g. Environment.")
    ] = None,
    county: Annotated[CountyNumber | None, Query(description="Only this county.")] = None,
) -> ThemeDemand:
    """Where a KPI (or a dimension's KPIs) is weak, the population, the solutions answering it and gaps in the market."""
    return themes.theme_demand(
        session=session,
        indexes=indexes,
        kpi=kpi,
        dimension=dimension,
        county=county,
        max_band=settings.gap_max_band,
        caller=reader,
    )
