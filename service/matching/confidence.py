"""When a ranked list holds no good match: the hybrid score below which a first result is rarely right.

Calibrated on the tuning splits of the real cases (a stored need against solutions) and the short
queries (search text), so that few right first results fall below it; the figures are in
docs/matching.md ("No good match"). Scores of the single-signal rankings are on other scales and are
not judged.
"""

from collections.abc import Mapping
from typing import Literal

from service.matching.pairs import SideKind
from service.matching.scoring import Ranking
from service.response_warnings import ResponseWarning, response_warning

# A stored record's text is long and scores higher than a few typed words; a solution matched to needs
# is a stored record too, judged like a need until a labelled set of supplier queries says otherwise.
WEAK_BELOW: Mapping[SideKind, float] = {"need": 0.36, "solution": 0.36, "text": 0.19}


def weak_below(kind: SideKind, ranking: Ranking) -> float | None:
    """The calibrated score, or None where scores are not calibrated (a single-signal ranking)."""
    return WEAK_BELOW[kind] if ranking == "hybrid" else None


def is_weak(score: float, kind: SideKind, ranking: Ranking) -> bool:
    threshold = weak_below(kind, ranking)
    return threshold is not None and score < threshold


def no_good_match_warnings(
    first_score: float | None, kind: SideKind, ranking: Ranking, found: Literal["solution", "need"]
) -> list[ResponseWarning]:
    """Say so when a list holds nothing, or only weak results (its best is weak)."""
    if first_score is None:
        message = f"No {found} was found. Widen the filters, or describe the problem in other words."
        return [response_warning("no-good-match", message, found=found, score=None, threshold=None)]
    threshold = weak_below(kind, ranking)
    if threshold is None or first_score >= threshold:
        return []
    message = (
        f"No good match: the best {found} scores {first_score:.2f}, below {threshold:.2f}, where right "
        "answers are rarely found. Describe the problem in other words or widen the filters"
        + (", or ask the market in a market dialogue." if found == "solution" else ".")
    )
    return [response_warning("no-good-match", message, found=found, score=first_score, threshold=threshold)]
