"""What an explanation names besides the numbers: shared KPIs (chosen or suggested), SDGs, fitting CPV codes,
shared words."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pydantic import BaseModel, Field

from service.matching.pairs import Pair, SideKind


class KpiBrief(BaseModel):
    code: str
    name_en: str
    name_no: str


class SuggestedKpiBrief(KpiBrief):
    suggested_for: list[SideKind] = Field(
        description="Whose text the KPI was suggested from by Innomatch ('need', 'solution'): not chosen by "
        "the officer or supplier who wrote it. The other side chose it, or had it suggested too."
    )


class MatchedTerm(BaseModel):
    term: str = Field(description="The stem both texts share, e.g. 'lekkasj'.")
    query_words: list[str] = Field(description="The words behind it in the query side's text.")
    result_words: list[str] = Field(description="The words behind it in the result's text.")


@dataclass(frozen=True)
class Evidence:
    """Found once per explained result."""

    shared_kpi_codes: Sequence[str] = ()
    shared_kpis: Sequence[KpiBrief] = ()  # those of the shared codes in the catalogue, with their names
    suggested_kpis: Sequence[SuggestedKpiBrief] = ()  # KPIs both sides point to, suggested for one or both
    shared_sdgs: Sequence[int] = ()
    fitting_cpv_codes: Sequence[str] = ()
    matched_terms: Sequence[MatchedTerm] = ()


class Reason(NamedTuple):
    """One signal's part in one result, for its phrase."""

    pair: Pair
    value: float  # the signal's value
    contribution: float  # its part of the score
    evidence: Evidence
