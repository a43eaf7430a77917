"""API shapes of matches and ad-hoc searches."""

from pydantic import BaseModel, Field

from service.matching.evidence import KpiBrief, MatchedTerm, SuggestedKpiBrief
from service.matching.filters import MatchFilters
from service.matching.scoring import Ranking
from service.matching.signals import SIGNALS
from service.needs.schemas import NeedRead
from service.response_warnings import ResponseWarning
from service.solutions.schemas import SolutionRead
from service.text_fields import Description

MAX_MATCHES = 100


class Explanation(BaseModel):
    ranking: Ranking = Field(description="How the list was ranked (hybrid unless asked otherwise).")
    similarity: float | None = Field(
        description="Cosine similarity of the two texts' vectors (-1..1), language-centred; "
        "null when the ranking did not use it."
    )
    contributions: dict[str, float] = Field(description=SIGNALS.describe())
    shared_kpi_codes: list[str] = Field(description="U4SSC KPI codes tagged on both records.")
    shared_kpis: list[KpiBrief]
    suggested_kpis: list[SuggestedKpiBrief] = Field(
        description="KPIs both sides point to where a side has no KPI codes of its own: suggested from its "
        "text by Innomatch, not chosen by its writer (suggested_for says whose)."
    )
    shared_sdgs: list[int] = Field(description="SDGs of both sides (a need's SDGs are its KPIs').")
    fitting_cpv_codes: list[str] = Field(description="The result's CPV codes in the subtree of the query's.")
    matched_terms: list[MatchedTerm] = Field(description="Words the two texts share, after stemming.")
    language_pair: str = Field(
        description="Language of the query side -> language of the result, e.g. no->en."
    )
    summary: str = Field(description="The reasons in one sentence.")
    summary_no: str = Field(description="The reasons in one sentence, in Norwegian.")


WEAK_DESCRIPTION = (
    "True when the score is below the calibrated level where a right answer is rarely found (hybrid "
    "ranking only): shown for completeness, not a good match."
)


class SolutionMatch(BaseModel):
    solution: SolutionRead
    score: float
    weak: bool = Field(description=WEAK_DESCRIPTION)
    explanation: Explanation


class NeedMatch(BaseModel):
    need: NeedRead
    score: float
    weak: bool = Field(description=WEAK_DESCRIPTION)
    explanation: Explanation


WARNINGS_DESCRIPTION = (
    "E.g. that there is no good match (code no-good-match: the best result is weak, or nothing was found), "
    "or that the query (the search text, need or solution) is in a language Innomatch does not match "
    "well; the matches are there all the same. Empty when all is well."
)


class SolutionMatches(BaseModel):
    items: list[SolutionMatch]
    warnings: list[ResponseWarning] = Field(description=WARNINGS_DESCRIPTION)


class NeedMatches(BaseModel):
    items: list[NeedMatch]
    warnings: list[ResponseWarning] = Field(description=WARNINGS_DESCRIPTION)


class SearchQuery(BaseModel):
    query: Description = Field(
        description="Free text in Norwegian or English, with words (letters); another language is searched "
        "with a warning."
    )
    limit: int = Field(default=10, ge=1, le=MAX_MATCHES)
    filters: MatchFilters = Field(default_factory=MatchFilters)
    ranking: Ranking = Field(
        default="hybrid", description="hybrid, or one signal alone: dense, lexical, rrf."
    )
