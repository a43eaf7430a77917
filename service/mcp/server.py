"""The MCP server: the tools a caller may use, registered for them, and failures as tool errors.

Read tools for everyone (what each returns is what the API shows the same caller). Write tools only
for a caller whose token may write: creating a need (admins, programme staff, officers: the API's
need writers) and saving a search (a person's or an integration's own token: it needs an owner).
"""

from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, InputRequiredResult, ToolAnnotations

from service.access import Principal
from service.mcp.errors import explained
from service.mcp.tools import Tools

NEED_WRITERS = ("admin", "staff", "officer")  # as NeedWriterDep of service/auth.py
INSTRUCTIONS = (
    "Innomatch matches the needs of Norwegian municipalities (often from weak U4SSC smart-city KPIs) with "
    "suppliers' solutions. Texts may be Norwegian (Bokmål) or English. Every result carries links to its "
    "page and API answer: cite them. Scores and explanations say why a result ranks where it does; "
    "a result marked weak is not a good match. / Innomatch kobler kommuners behov med leverandørers "
    "løsninger; resultatene har lenker til kilden."
)


@dataclass(frozen=True)
class ToolSpec:
    name: str
    title: str
    description: str


READ_TOOLS = (
    ToolSpec(
        "search_solutions",
        "Search solutions / Søk i løsninger",
        "Search suppliers' published solutions with free text in Norwegian or English, best first, each "
        "with its score, the explanation of its rank (shared KPIs, SDGs, CPV codes, matched words) and "
        "links. / Søk i leverandørenes løsninger med fritekst, best først, med forklaring og lenker.",
    ),
    ToolSpec(
        "search_needs",
        "Search needs / Søk i behov",
        "Search municipalities' needs (not closed) with free text in Norwegian or English, best first, "
        "with explanations and links. / Søk i kommunenes behov med fritekst, med forklaring og lenker.",
    ),
    ToolSpec(
        "match_need",
        "Matches for a need / Treff for et behov",
        "The published solutions that best answer one need, by its id, each with score, explanation and "
        "links. / Løsningene som best svarer på et behov, med forklaring og lenker.",
    ),
    ToolSpec(
        "solution_demand",
        "Demand for a solution / Etterspørsel etter en løsning",
        "Where the demand for one solution is: matching needs and KPI gaps by municipality, county and "
        "KPI, with population and match strength. / Hvor etterspørselen etter en løsning er: behov og "
        "KPI-gap per kommune, fylke og KPI.",
    ),
    ToolSpec(
        "municipality_gaps",
        "A municipality's KPI gaps / En kommunes KPI-gap",
        "A municipality's U4SSC KPIs in the weak bands, worst first, each with value, target, source, "
        "trend and the need generated from it. / En kommunes svake U4SSC-indikatorer, verst først, med "
        "verdi, mål, kilde og behovet som ble laget av dem.",
    ),
    ToolSpec(
        "buyer_groups",
        "Buyer groups / Innkjøpsgrupper",
        "Open needs from two or more municipalities that describe the same problem (candidates for a "
        "joint procurement), largest first, with their best solutions. / Åpne behov fra flere kommuner "
        "som beskriver samme problem: kandidater til felles anskaffelse.",
    ),
    ToolSpec(
        "kpi_facts",
        "KPI facts / KPI-fakta",
        "A U4SSC KPI from the catalogue (names, definition, direction, SDGs) and either where one "
        "municipality stands on it or the municipalities weak on it. / En U4SSC-indikator fra katalogen "
        "og hvor kommunene står på den.",
    ),
)
CREATE_NEED = ToolSpec(
    "create_need",
    "Create a need / Opprett et behov",
    "Register a need written as a problem, in Norwegian or English; matchable at once. An officer's need "
    "belongs to the officer's municipality. The answer has the quality check of its text. / Registrer "
    "et behov skrevet som et problem; en innkjøpers behov hører til innkjøperens kommune.",
)
SAVE_SEARCH = ToolSpec(
    "save_search",
    "Save a search / Lagre et søk",
    "Save a search: from now on, what newly matches it is reported (notifications page, e-mail, webhook "
    "or feed). A supplier follows its own solutions, an officer its municipality's needs. / Lagre et "
    "søk og bli varslet om nye treff.",
)


@dataclass(frozen=True)
class WriteRights:
    """Which write tools a caller gets."""

    create_needs: bool
    save_searches: bool

    @classmethod
    def of(cls, caller: Principal) -> "WriteRights":
        owned = caller.user_id is not None or caller.token_id is not None  # a saved search has an owner
        return cls(
            create_needs=caller.role in NEED_WRITERS,
            save_searches=caller.role != "anonymous" and owned,
        )


class InnomatchMCP(MCPServer[Any]):
    """MCPServer whose failed calls say what is wrong with the arguments or the request."""

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as error:
            message = explained(name, error.__cause__)
            if message is None:
                raise
            raise ToolError(message) from error.__cause__


def build_server(tools: Tools, rights: WriteRights) -> InnomatchMCP:
    """A server with the read tools and the write tools of `rights`: a tool a caller may not use is not
    registered, so it is neither listed nor callable."""
    server = InnomatchMCP(name="innomatch", title="Innomatch", instructions=INSTRUCTIONS, version="0.1.0")
    reading = ToolAnnotations(read_only_hint=True, open_world_hint=False)
    for spec in READ_TOOLS:
        _add(server, tools, spec, reading)
    writing = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)
    if rights.create_needs:
        _add(server, tools, CREATE_NEED, writing)
    if rights.save_searches:
        _add(server, tools, SAVE_SEARCH, writing)
    return server


def _add(server: MCPServer[Any], tools: Tools, spec: ToolSpec, annotations: ToolAnnotations) -> None:
    server.add_tool(
        getattr(tools, spec.name),
        name=spec.name,
        title=spec.title,
        description=spec.description,
        annotations=annotations,
        structured_output=True,
    )
