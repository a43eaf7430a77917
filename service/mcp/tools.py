"""The tools: each a thin translation onto the service functions the API's routers call, so that an
assistant sees exactly what the API shows the same caller, with links added. Who the caller is comes
from the transport (service/mcp/callers.py); what they may see is the service functions' rule."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from mcp.server.mcpserver import Context
from pydantic import Field
from sqlalchemy.orm import Session, sessionmaker

from service.access import Principal
from service.alerts import service as saved_searches
from service.alerts.schemas import SavedSearchFields, SavedSearchRead
from service.audit.service import record_event
from service.buyer_groups import service as buyer_groups
from service.config import Settings
from service.demand import service as demand
from service.indexing import Indexes
from service.kpis import service as kpis
from service.matching import service as matching
from service.matching.filters import MatchFilters
from service.matching.schemas import MAX_MATCHES, SolutionMatch
from service.mcp.links import LinkMaker
from service.mcp.results import (
    BuyerGroupsResult,
    CreatedNeed,
    DemandResult,
    GapsResult,
    KpiFacts,
    LinkedBuyerGroup,
    LinkedDemandNeed,
    LinkedNeedMatch,
    LinkedSolutionMatch,
    LinkedStanding,
    NeedResults,
    SavedSearchResult,
    SolutionResults,
)
from service.needs import gap_standings
from service.needs import service as needs
from service.needs.schemas import NeedCreate
from service.text_fields import Description, KpiCodeText, MunicipalityNumber, RecordId

CallerOf = Callable[[Context], Principal]
MAX_GROUPS = 50  # as the API's page of buyer groups: each group on it has its solutions scored
MAX_WEAK_MUNICIPALITIES = 100

Query = Annotated[
    Description,
    Field(
        description="Free text in Norwegian or English, e.g. 'lekkasjer i vannledningsnettet' / "
        "Fritekst på norsk eller engelsk."
    ),
]
Limit = Annotated[
    int, Field(ge=1, le=MAX_MATCHES, description="How many results, best first / Hvor mange treff.")
]
Filters = Annotated[
    MatchFilters | None,
    Field(description="Optional hard filters, as the API's: county, municipality, kpi, cpv, trl, ..."),
]
MunicipalityArgument = Annotated[
    MunicipalityNumber,
    Field(description="A four-digit municipality number (SSB), e.g. 5001 for Trondheim / Kommunenummer."),
]


@dataclass(frozen=True)
class ToolServices:
    """What the tools run on: the service's database, indexes and settings."""

    session_factory: sessionmaker[Session]
    indexes: Indexes
    settings: Settings


class Tools:
    """The tool functions, bound to the services and to how a call's caller is found."""

    def __init__(self, services: ToolServices, caller_of: CallerOf) -> None:
        self.session_factory = services.session_factory
        self.indexes = services.indexes
        self.max_band = services.settings.gap_max_band
        self.links = LinkMaker(services.settings.public_base_url)
        self.caller_of = caller_of

    def search_solutions(
        self, query: Query, ctx: Context, limit: Limit = 10, filters: Filters = None
    ) -> SolutionResults:
        with self.session_factory() as session:
            found = matching.search_solutions(
                session=session,
                indexes=self.indexes,
                text=query,
                limit=limit,
                caller=self.caller_of(ctx),
                filters=filters,
            )
        return SolutionResults(items=self._solutions(found.items), warnings=found.warnings)

    def search_needs(
        self, query: Query, ctx: Context, limit: Limit = 10, filters: Filters = None
    ) -> NeedResults:
        with self.session_factory() as session:
            found = matching.search_needs(
                session=session,
                indexes=self.indexes,
                text=query,
                limit=limit,
                caller=self.caller_of(ctx),
                filters=filters,
            )
        items = [
            LinkedNeedMatch(**match.model_dump(), links=self.links.need(match.need.id))
            for match in found.items
        ]
        return NeedResults(items=items, warnings=found.warnings)

    def match_need(
        self,
        need_id: Annotated[RecordId, Field(description="The need's id / Behovets id.")],
        ctx: Context,
        limit: Limit = 10,
        filters: Filters = None,
    ) -> SolutionResults:
        with self.session_factory() as session:
            found = matching.match_need(
                session=session,
                indexes=self.indexes,
                need_id=need_id,
                limit=limit,
                caller=self.caller_of(ctx),
                filters=filters,
            )
        return SolutionResults(
            items=self._solutions(found.items),
            warnings=found.warnings,
            links=self.links.need_matches(need_id),
        )

    def _solutions(self, matches: list[SolutionMatch]) -> list[LinkedSolutionMatch]:
        return [
            LinkedSolutionMatch(**match.model_dump(), links=self.links.solution(match.solution.id))
            for match in matches
        ]

    def solution_demand(
        self,
        solution_id: Annotated[RecordId, Field(description="The solution's id / Løsningens id.")],
        ctx: Context,
    ) -> DemandResult:
        with self.session_factory() as session:
            found = demand.solution_demand(
                session=session,
                indexes=self.indexes,
                solution_id=solution_id,
                max_band=self.max_band,
                caller=self.caller_of(ctx),
            )
        fields = found.model_dump(exclude={"needs"})
        linked = [
            LinkedDemandNeed(**need.model_dump(), links=self.links.need(need.id)) for need in found.needs
        ]
        return DemandResult(**fields, needs=linked, links=self.links.solution_demand(solution_id))

    def municipality_gaps(self, municipality_number: MunicipalityArgument) -> GapsResult:
        with self.session_factory() as session:
            gaps = gap_standings.municipality_gaps(
                session=session, number=municipality_number, max_band=self.max_band
            )
        linked = [
            LinkedStanding(
                **gap.model_dump(), need_links=self.links.need(gap.need_id) if gap.need_id else None
            )
            for gap in gaps
        ]
        return GapsResult(
            municipality_number=municipality_number,
            max_band=self.max_band,
            gaps=linked,
            links=self.links.municipality_gaps(municipality_number),
        )

    def buyer_groups(
        self,
        offset: Annotated[int, Field(ge=0, le=100_000, description="How many groups to skip.")] = 0,
        limit: Annotated[int, Field(ge=1, le=MAX_GROUPS, description="How many groups, largest first.")] = 10,
    ) -> BuyerGroupsResult:
        with self.session_factory() as session:
            page = buyer_groups.buyer_groups(
                session=session, indexes=self.indexes, offset=offset, limit=limit
            )
        items = [
            LinkedBuyerGroup(**group.model_dump(), links=self.links.buyer_group(group.key))
            for group in page.items
        ]
        return BuyerGroupsResult(**page.model_dump(exclude={"items"}), items=items)

    def kpi_facts(
        self,
        kpi_code: Annotated[
            KpiCodeText, Field(description="A U4SSC KPI code, e.g. EC-I-WS-3C (water loss) / KPI-kode.")
        ],
        municipality_number: Annotated[
            MunicipalityNumber | None,
            Field(
                description="Optional: where this municipality stands on the KPI / Valgfritt kommunenummer."
            ),
        ] = None,
        limit: Annotated[
            int,
            Field(
                ge=1, le=MAX_WEAK_MUNICIPALITIES, description="Without a municipality: how many weak ones."
            ),
        ] = 20,
    ) -> KpiFacts:
        with self.session_factory() as session:
            kpi = kpis.read_kpi(session=session, code=kpi_code)
            if municipality_number is not None:
                standings = [
                    standing
                    for standing in gap_standings.municipality_kpis(
                        session=session, number=municipality_number
                    )
                    if standing.kpi_code == kpi.code
                ]
                return KpiFacts(
                    kpi=kpi,
                    municipality_standings=standings,
                    weak_municipalities=None,
                    weak_municipalities_total=None,
                    links=self.links.kpi(kpi.code),
                )
            weak = gap_standings.kpi_gaps(session=session, code=kpi.code, max_band=self.max_band)
        return KpiFacts(
            kpi=kpi,
            municipality_standings=None,
            weak_municipalities=weak[:limit],
            weak_municipalities_total=len(weak),
            links=self.links.kpi(kpi.code),
        )

    def create_need(
        self,
        need: Annotated[
            NeedCreate,
            Field(
                description="The need, written as a problem (not a product), as the API's POST /api/v1/needs."
            ),
        ],
        ctx: Context,
    ) -> CreatedNeed:
        caller = self.caller_of(ctx)
        with self.session_factory() as session:
            written = needs.create(session=session, indexes=self.indexes, need_in=need, caller=caller)
            _audit_write(session, caller, "create_need", need_id=written.id)
        return CreatedNeed(**written.model_dump(), links=self.links.need(written.id))

    def save_search(
        self,
        search: Annotated[
            SavedSearchFields,
            Field(description="The saved search, as the API's POST /api/v1/saved-searches."),
        ],
        ctx: Context,
    ) -> SavedSearchResult:
        caller = self.caller_of(ctx)
        with self.session_factory() as session:
            saved = saved_searches.create(session=session, indexes=self.indexes, fields=search, caller=caller)
            read = SavedSearchRead.model_validate(saved)
            _audit_write(session, caller, "save_search", saved_search_id=read.id)
        return SavedSearchResult(**read.model_dump(), links=self.links.saved_search(read.id))


def _audit_write(session: Session, caller: Principal, tool: str, **detail: int) -> None:
    """A write through a tool is in the audit trail, as the API's writes are (service/audit/writes.py)."""
    record_event(
        session,
        actor=caller.actor,
        action="write",
        subject_kind="mcp",
        subject_id=f"tools/call {tool}",
        detail={"role": caller.role, **detail},
    )
    session.commit()
