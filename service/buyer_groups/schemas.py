"""API shapes of buyer groups: public need fields only, as in the demand views."""

from pydantic import BaseModel, Field

from service.demand.schemas import KpiName
from service.needs.schemas import NeedOrigin


class GroupNeed(BaseModel):
    id: int
    title: str
    municipality_number: str
    municipality_name: str
    kpi_codes: list[str]
    origin: NeedOrigin
    language: str


class GroupMunicipality(BaseModel):
    number: str
    name: str
    county_number: str
    population: int = Field(description="SSB population, latest year.")


class SharedKpi(BaseModel):
    kpi: KpiName
    needs: int = Field(description="Members tagged with it.")


class GroupSolution(BaseModel):
    id: int
    title: str
    average_score: float = Field(
        description="Mean match score over the needs scored (0 where the solution is not in a need's top ten)."
    )
    needs_matched: int = Field(description="Scored needs it matches at least weakly.")
    contracts_won: int = Field(
        default=0,
        description="Contracts its supplier won, by award notices naming the supplier's organisation number.",
    )


class BuyerGroup(BaseModel):
    key: str = Field(description="Derived from the member need ids: the same members, the same key.")
    theme: str = Field(
        description="The most shared KPI in English and Norwegian, else the central need's title."
    )
    theme_kpi: KpiName | None
    central_need_id: int = Field(description="The member closest to all others.")
    central_need_title: str
    needs: list[GroupNeed]
    municipalities: list[GroupMunicipality]
    shared_kpis: list[SharedKpi] = Field(description="KPIs of two or more members, most shared first.")
    population: int = Field(description="The members' municipalities' population added up.")
    best_solutions: list[GroupSolution]
    needs_scored: int = Field(description="The most central members the solutions were scored against.")
    notices: int = Field(
        description="Procurement notices (kunngjøringer; open, closed or awarded) whose need carries one of the "
        "group's shared KPIs (else one of its members' KPIs), or has it as its best suggestion: the theme "
        "bought elsewhere."
    )


class BuyerGroupPage(BaseModel):
    items: list[BuyerGroup]
    total: int = Field(description="Groups found.")
    offset: int
    limit: int
    needs_considered: int = Field(description="Open needs with a municipality that were clustered.")
    needs_left_out: int = Field(description="Older open needs beyond the clustering bound, not considered.")
    method: str
