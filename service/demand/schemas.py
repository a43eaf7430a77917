"""API shapes of the demand views: public fields only, never an officer's text, contact or verdicts."""

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from service.demand.match_bands import MatchBand
from service.needs.schemas import NeedOrigin, NeedStatus
from service.text_fields import CountyNumber

ThemeKpi = Annotated[str, StringConstraints(max_length=30)]
ThemeDimension = Annotated[str, StringConstraints(max_length=50)]


class ThemeQuery(BaseModel):
    """The query of the demand for a theme, as the router reads its parameters."""

    kpi: ThemeKpi | None = None
    dimension: ThemeDimension | None = None
    county: CountyNumber | None = None


class KpiName(BaseModel):
    code: str
    name_en: str
    name_no: str


class DemandNeed(BaseModel):
    """A need as a supplier may see it: no description, no contact, no feedback."""

    id: int
    title: str
    municipality_number: str | None
    municipality_name: str | None
    county_number: str | None
    kpi_codes: list[str]
    status: NeedStatus
    origin: NeedOrigin
    language: str
    score: float = Field(description="The hybrid match score of the solution against this need.")
    band: MatchBand


class BandCounts(BaseModel):
    strong: int = 0
    moderate: int = 0
    weak: int = 0


class KpiGap(BaseModel):
    """A municipality in a weak U4SSC band on one of the solution's KPIs (public statistics)."""

    municipality_number: str
    kpi_code: str
    data_point: str
    band: int = Field(description="U4SSC band, 1 (<33 % of target) or 2 (<66 %) unless configured.")
    severity: float | None
    need_id: int | None = Field(description="The need generated from this gap, if any.")


class MunicipalityDemand(BaseModel):
    number: str
    name: str
    county_number: str
    population: int = Field(description="SSB population, latest year.")
    needs: int = Field(description="Matching needs (not closed).")
    open_needs: int
    bands: BandCounts
    best_score: float | None
    weak_kpis: list[str] = Field(description="The solution's KPIs on which the municipality is weak.")


class CountyDemand(BaseModel):
    number: str
    name: str
    municipalities: int = Field(description="Municipalities with a matching need or a weak KPI.")
    population: int = Field(description="Their population added up.")
    needs: int
    open_needs: int
    bands: BandCounts
    best_score: float | None


class KpiDemandOfSolution(BaseModel):
    kpi: KpiName
    needs: int = Field(description="Matching needs tagged with the KPI.")
    open_needs: int
    weak_municipalities: int = Field(description="Municipalities weak on the KPI (the solution's own KPIs).")
    municipalities: int = Field(description="Municipalities with a tagged matching need or weak on it.")
    population: int


class DemandTotals(BaseModel):
    needs: int
    open_needs: int
    in_progress_needs: int
    needs_without_municipality: int
    bands: BandCounts
    municipalities: int
    counties: int
    population: int


class SolutionDemand(BaseModel):
    """Where the demand for one solution is."""

    solution_id: int
    solution_title: str
    kpi_codes: list[str]
    matching_rule: str = Field(description="Which needs count as matching.")
    band_floors: dict[str, float] = Field(description="The lowest score of each band.")
    totals: DemandTotals
    by_municipality: list[MunicipalityDemand] = Field(description="Most needs first, then population.")
    by_county: list[CountyDemand]
    by_kpi: list[KpiDemandOfSolution]
    needs: list[DemandNeed] = Field(description="The matching needs, best first.")
    more_needs_beyond_limit: bool = Field(
        description="True when the last need considered still matched: there may be more demand."
    )
    kpi_gaps: list[KpiGap]


class WeakMunicipality(BaseModel):
    number: str
    name: str
    county_number: str
    population: int
    band: int
    severity: float | None
    data_point: str = Field(description="The worst data point of the KPI for this municipality.")
    need_id: int | None


class AddressingSolution(BaseModel):
    id: int
    title: str
    tagged: bool = Field(description="The supplier tagged the solution with the KPI.")
    best_score: float | None = Field(description="Its best match score on the KPI's needs scored.")
    band: MatchBand | None
    needs_matched: int = Field(description="How many of the scored needs it matches (at least weak).")


class KpiDemand(BaseModel):
    kpi: KpiName
    dimension: str
    weak_municipalities: list[WeakMunicipality] = Field(description="Worst first.")
    municipalities: int = Field(description="Municipalities weak on the KPI.")
    population: int = Field(description="Their population added up.")
    needs: int = Field(description="Needs not closed tagged with the KPI.")
    open_needs: int
    needs_scored: int = Field(description="How many of those needs the solutions were scored against.")
    solutions: list[AddressingSolution] = Field(description="Best score first.")
    best_score: float | None = Field(description="The best score of any solution on the KPI's scored needs.")
    market_gap: bool = Field(description="Demand, and no solution fits well: worth a market dialogue.")
    market_gap_reason: str | None


class ThemeDemand(BaseModel):
    """Where a KPI, or the KPIs of a U4SSC dimension, are weak and what answers them."""

    kpi: str | None
    dimension: str | None
    county_number: str | None
    county_name: str | None
    market_gap_rule: str
    municipalities: int = Field(description="Distinct municipalities weak on any of the KPIs.")
    population: int
    market_gaps: list[str] = Field(description="Codes of the KPIs flagged as a gap in the market.")
    kpis: list[KpiDemand] = Field(description="Most weak population first.")
