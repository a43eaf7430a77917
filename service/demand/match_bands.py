"""How strong a match is: the hybrid match score (matching.service) cut into strong / moderate / weak.

The score (the cosine of the language-centred vectors plus the weighted shared KPIs and small
structured signals) is comparable across needs and solutions, so one set of cuts serves every view.
The cuts were read off the score distributions of the evaluation set's right and wrong pairs and of
the seeded demo's pairs (docs/matching.md, "Match bands"): *strong* keeps most right answers and almost
no wrong ones, nearly every right answer is at least *moderate*, and below *weak* (the floor) a pair
looks like the unrelated pairs of the seeded data and counts as no demand.
"""

from typing import Literal

MatchBand = Literal["strong", "moderate", "weak"]

STRONG_SCORE = 0.55
MODERATE_SCORE = 0.40
MATCH_FLOOR = 0.30  # the lower edge of "weak": below it a need is not demand for the solution

BAND_FLOORS: dict[MatchBand, float] = {
    "strong": STRONG_SCORE,
    "moderate": MODERATE_SCORE,
    "weak": MATCH_FLOOR,
}


def match_band(score: float) -> MatchBand | None:
    """The band of a match score; None below the floor (not a match)."""
    for band, floor in BAND_FLOORS.items():
        if score >= floor:
            return band
    return None
