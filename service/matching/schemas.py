"""API shapes of matches and ad-hoc searches."""

from pydantic import BaseModel, Field

from service.matching.filters import MatchFilters
from service.needs.schemas import NeedRead
from service.solutions.schemas import SolutionRead
from service.text_fields import Description

MAX_MATCHES = 100


class KpiBrief(BaseModel):
    code: str
    name_en: str
    name_no: str


class Explanation(BaseModel):
    similarity: float = Field(
        description="Cosine similarity of the two texts' vectors (-1..1), language-centred."
    )
    contributions: dict[str, float] = Field(
        description="Each signal's part of the score, summing to it: 'similarity', 'shared_kpis' (weight x share of "
        "the query's KPIs) and, after an officer's positive verdict on this need, 'feedback'."
    )
    shared_kpi_codes: list[str] = Field(description="U4SSC KPI codes tagged on both records.")
    shared_kpis: list[KpiBrief]
    language_pair: str = Field(
        description="Language of the query side -> language of the result, e.g. no->en."
    )
    summary: str = Field(description="The reasons in one sentence.")


class SolutionMatch(BaseModel):
    solution: SolutionRead
    score: float
    explanation: Explanation


class NeedMatch(BaseModel):
    need: NeedRead
    score: float
    explanation: Explanation


class SolutionMatches(BaseModel):
    items: list[SolutionMatch]


class NeedMatches(BaseModel):
    items: list[NeedMatch]


class SearchQuery(BaseModel):
    query: Description = Field(description="Free text in Norwegian or English.")
    limit: int = Field(default=10, ge=1, le=MAX_MATCHES)
    filters: MatchFilters = Field(default_factory=MatchFilters)
