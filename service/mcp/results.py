"""What the tools answer: the API's own read schemas, each record with links to its page and its API
answer, so that an assistant can cite where a fact comes from."""

from pydantic import BaseModel, Field

from service.alerts.schemas import SavedSearchRead
from service.buyer_groups.schemas import BuyerGroup, BuyerGroupPage
from service.demand.schemas import DemandNeed, SolutionDemand
from service.kpis.schemas import KpiRead, KpiStandingRead
from service.matching.schemas import WARNINGS_DESCRIPTION, NeedMatch, SolutionMatch
from service.mcp.links import Links
from service.needs.schemas import NeedWritten
from service.response_warnings import ResponseWarning


class LinkedSolutionMatch(SolutionMatch):
    links: Links = Field(description="The solution's page and API answer.")


class LinkedNeedMatch(NeedMatch):
    links: Links = Field(description="The need's page and API answer.")


class SolutionResults(BaseModel):
    """Solutions best first, each with its score, the explanation of its rank and its links."""

    items: list[LinkedSolutionMatch]
    warnings: list[ResponseWarning] = Field(description=WARNINGS_DESCRIPTION)
    links: Links | None = Field(
        default=None, description="For the matches of a need: the need's page and the matches' API answer."
    )


class NeedResults(BaseModel):
    """Needs best first, each with its score, the explanation of its rank and its links."""

    items: list[LinkedNeedMatch]
    warnings: list[ResponseWarning] = Field(description=WARNINGS_DESCRIPTION)


class LinkedDemandNeed(DemandNeed):
    links: Links = Field(description="The need's page and API answer.")


class DemandResult(SolutionDemand):
    needs: list[LinkedDemandNeed] = Field(description="The matching needs, best first.")  # type: ignore[assignment]
    links: Links = Field(description="The supplier's demand page for the solution and the API answer.")


class LinkedStanding(KpiStandingRead):
    need_links: Links | None = Field(description="The need generated from this gap, if any.")


class GapsResult(BaseModel):
    """A municipality's KPIs in the weak U4SSC bands, worst first."""

    municipality_number: str
    max_band: int = Field(description="KPIs in this band or worse count as gaps (INNOMATCH_GAP_MAX_BAND).")
    gaps: list[LinkedStanding]
    links: Links


class LinkedBuyerGroup(BuyerGroup):
    links: Links = Field(description="The group's page (programme staff) and API answer.")


class BuyerGroupsResult(BuyerGroupPage):
    items: list[LinkedBuyerGroup]  # type: ignore[assignment]


class KpiFacts(BaseModel):
    """A U4SSC KPI from the catalogue, with where municipalities stand on it."""

    kpi: KpiRead
    municipality_standings: list[KpiStandingRead] | None = Field(
        description="When a municipality was named: its latest value, target, band and trend on the KPI "
        "(one per data point; without observations, the name and direction only)."
    )
    weak_municipalities: list[KpiStandingRead] | None = Field(
        description="When no municipality was named: the municipalities weak on the KPI, worst first."
    )
    weak_municipalities_total: int | None = Field(
        description="How many municipalities are weak on it (the list shows the worst `limit`)."
    )
    links: Links


class CreatedNeed(NeedWritten):
    links: Links = Field(description="The new need's page and API answer.")


class SavedSearchResult(SavedSearchRead):
    # By its name: the alias SavedSearchRead reads the stored column by would be the schema's name.
    text: str | None = Field(description="needs_for_text, solutions_for_text: the search's text.")
    links: Links = Field(description="Where its owner changes it, and its API answer.")
