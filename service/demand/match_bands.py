"""How strong a match is: the hybrid match score (matching.service) cut into strong / moderate / weak.

The score is `cosine of the language-centred vectors + 0.4 x shared KPIs + small structured signals`,
so it is comparable across needs and solutions. The cuts were read off two distributions, measured
with e5-small on 2026-11-22 (`innomatch seed --demo`, then every solution matched against every need):

| score at least | known right pairs above (eval set, 145) | wrong pairs above (eval set, 20 590) | seeded pairs above (29 450) | of those, sharing a KPI |
| ---: | ---: | ---: | ---: | ---: |
| 0.30 | 100 % | 2.7 % | 712 | 97 % |
| 0.40 | 99.3 % | 1.4 % | 316 | 99 % |
| 0.55 | 86.9 % | 0.36 % | 99 | 100 % |

- The eval set (seed_data/eval, one known solution per need) scored with the service's weights:
  right pairs have a median of 0.66 and a 5th percentile of 0.49; the wrong pairs above 0.40 are
  mostly the set's deliberate look-alikes (same domain, other problem).
- The seeded demo (155 solutions x 190 needs): pairs that share no KPI have a 99th percentile of
  0.29; a solution's best need has a median of 0.52, its tenth best 0.16.

So: at least 0.55 is *strong* (most right answers, almost no wrong ones), at least 0.40 *moderate*
(nearly every right answer is above it), at least 0.30 *weak* (the floor: below it a pair looks like
the unrelated pairs of the seeded data), and below 0.30 is no match and counts as no demand.
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
