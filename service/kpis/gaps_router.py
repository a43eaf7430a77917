"""HTTP layer for KPI standings and gaps, per municipality and per KPI."""

from fastapi import APIRouter

from service.deps import SessionDep, SettingsDep
from service.kpis.schemas import KpiStandingRead
from service.needs import gap_standings
from service.text_fields import KpiCodeText, MunicipalityNumber

router = APIRouter(prefix="/api/v1", tags=["kpis"])


@router.get("/municipalities/{number}/kpis", response_model=list[KpiStandingRead])
def municipality_kpis(session: SessionDep, number: MunicipalityNumber) -> list[KpiStandingRead]:
    """Every KPI for a municipality: latest value, year, target and its source, % of target, band, trend."""
    return gap_standings.municipality_kpis(session=session, number=number)


@router.get("/municipalities/{number}/gaps", response_model=list[KpiStandingRead])
def municipality_gaps(
    session: SessionDep, settings: SettingsDep, number: MunicipalityNumber
) -> list[KpiStandingRead]:
    """KPIs in the weak bands (1 and 2 unless configured), worst first, each with its evidence and generated need."""
    return gap_standings.municipality_gaps(session=session, number=number, max_band=settings.gap_max_band)


@router.get("/kpis/{code}/gaps", response_model=list[KpiStandingRead])
def kpi_gaps(session: SessionDep, settings: SettingsDep, code: KpiCodeText) -> list[KpiStandingRead]:
    """Municipalities weak on a KPI, worst first: the demand for solutions that improve it."""
    return gap_standings.kpi_gaps(session=session, code=code, max_band=settings.gap_max_band)
