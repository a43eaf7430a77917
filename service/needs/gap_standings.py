"""Where municipalities stand on the U4SSC KPIs, and their gaps with the needs generated from them: what
the API's KPI endpoints and the MCP tools answer (the needs generated from a gap are this package's)."""

from sqlalchemy.orm import Session

from service.errors import NotFoundError
from service.identifiers import compact_kpi_code
from service.kpis import repository as kpis
from service.kpis.gaps import GapAnalysis, KpiStanding, gap_key, is_gap
from service.kpis.schemas import KpiStandingRead, TrendRead
from service.municipalities.repository import get_municipality
from service.needs.repository import need_ids_by_gap_key


def standing_read(standing: KpiStanding, need_id: int | None = None) -> KpiStandingRead:
    latest, target, trend = standing.latest, standing.target, standing.trend
    return KpiStandingRead(
        municipality_number=latest.municipality_number,
        kpi_code=standing.kpi.code,
        name_en=standing.kpi.name_en,
        name_no=standing.kpi.name_no,
        data_point=standing.data_point,
        value=latest.value,
        unit=latest.unit,
        year=latest.year,
        source=latest.source,
        synthetic=latest.synthetic,
        direction=standing.direction,
        target=target.value if target else None,
        target_kind=target.kind if target else None,
        target_source=target.source if target else None,
        percent_of_target=standing.percent_of_target,
        band=standing.band,
        severity=standing.severity,
        trend=TrendRead(direction=trend.direction, change=trend.change, from_year=trend.from_year)
        if trend
        else None,
        need_id=need_id,
    )


def _weak_first(session: Session, standings: list[KpiStanding], max_band: int) -> list[KpiStandingRead]:
    weak = [standing for standing in standings if is_gap(standing, max_band)]
    weak.sort(key=lambda standing: (-(standing.severity or 0.0), standing.kpi.code, standing.data_point))
    keys = [gap_key(s.latest.municipality_number, s.kpi.code, s.data_point) for s in weak]
    need_ids = need_ids_by_gap_key(session, keys)
    return [standing_read(standing, need_ids.get(key)) for standing, key in zip(weak, keys, strict=True)]


def ensure_municipality_exists(session: Session, number: str) -> None:
    if get_municipality(session, number) is None:
        raise NotFoundError("Municipality", number)


def existing_kpi_code(session: Session, code: str) -> str:
    """`code` in its compact form (EC-I-WS-3C), if the catalogue has it."""
    kpi_code = compact_kpi_code(code)
    if kpis.get_kpi(session, kpi_code) is None:
        raise NotFoundError("KPI", code)
    return kpi_code


def municipality_kpis(*, session: Session, number: str) -> list[KpiStandingRead]:
    """Every KPI for a municipality: latest value, year, target and its source, % of target, band, trend;
    a KPI without observations with its name and direction only."""
    ensure_municipality_exists(session, number)
    analysis = GapAnalysis(session)
    observed = [standing_read(standing) for standing in analysis.standings_of_municipality(number)]
    seen = {item.kpi_code for item in observed}
    missing = [
        KpiStandingRead(
            municipality_number=number,
            kpi_code=kpi.code,
            name_en=kpi.name_en,
            name_no=kpi.name_no,
            data_point="",
            value=None,
            unit=None,
            year=None,
            source=None,
            synthetic=None,
            direction=kpi.direction,
            target=None,
            target_kind=None,
            target_source=None,
            percent_of_target=None,
            band=None,
            severity=None,
            trend=None,
        )
        for kpi in analysis.kpis.values()
        if kpi.code not in seen
    ]
    return sorted(observed + missing, key=lambda item: (item.kpi_code, item.data_point))


def municipality_gaps(*, session: Session, number: str, max_band: int) -> list[KpiStandingRead]:
    """A municipality's KPIs in the weak bands (band `max_band` or worse), worst first, each with its
    evidence and generated need."""
    ensure_municipality_exists(session, number)
    return _weak_first(session, GapAnalysis(session).standings_of_municipality(number), max_band)


def kpi_gaps(*, session: Session, code: str, max_band: int) -> list[KpiStandingRead]:
    """Municipalities weak on a KPI, worst first: the demand for solutions that improve it."""
    kpi_code = existing_kpi_code(session, code)
    return _weak_first(session, GapAnalysis(session).standings_of_kpi(kpi_code), max_band)
