"""What the ranking knows of the two sides of a match: the query and one candidate."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

SideKind = Literal["need", "solution", "text"]


class Side(NamedTuple):
    """The facts of a need, a solution or a search text that the signals compare.

    A field that does not apply to the kind (a need's TRL, a text's KPIs) stays empty. A tuple, because
    a match builds one for each of its candidates.
    """

    kind: SideKind
    id: int | None = None
    language: str = ""
    kpi_codes: Sequence[str] = ()
    # (code, confidence) suggested from a stored record's text; a search text has none (searches stay fast)
    suggested_kpis: Sequence[tuple[str, float]] = ()
    sdgs: Sequence[int] = ()  # a need's are those of its KPIs
    cpv_codes: Sequence[str] = ()
    county: str | None = None  # a need's municipality's county
    municipality: str | None = None  # a need's municipality
    trl_min: int | None = None  # the least mature solution a need's buyer would try
    trl: int | None = None  # a solution's maturity
    regions_served: Sequence[str] = ()  # a solution's counties; empty is all of Norway
    reference_municipalities: Sequence[str] = ()  # municipalities already using a solution


@dataclass(frozen=True)
class MatchContext:
    """What the signals read beyond the two sides, loaded once per match."""

    county_of: Mapping[str, str] = field(default_factory=dict)  # reference municipality -> county
    verdict_counts: Mapping[int, tuple[int, int]] = field(default_factory=dict)  # solution -> (+, -)
    verdicts: Mapping[int, str] = field(default_factory=dict)  # this need's latest verdict per solution


NO_CONTEXT = MatchContext()


class Pair(NamedTuple):
    """The query and one candidate, with the text signals retrieval found for it."""

    query: Side
    candidate: Side
    text: Mapping[str, float]  # similarity and lexical (or the ranks of reciprocal-rank fusion)
    context: MatchContext = NO_CONTEXT

    @property
    def need(self) -> Side:
        """The need side; a search text or a solution stands in for it when no need takes part."""
        return self.candidate if self.candidate.kind == "need" else self.query

    @property
    def solution(self) -> Side:
        """The solution side; a search text or a need stands in for it when no solution takes part."""
        return self.candidate if self.candidate.kind == "solution" else self.query
