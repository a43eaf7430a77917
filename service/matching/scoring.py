"""The rankings the service offers, the candidate pool, reciprocal-rank fusion and how weights are chosen.

What each signal is and weighs is in signals.py.
"""

from collections.abc import Sequence
from typing import Literal

Ranking = Literal["hybrid", "dense", "lexical", "rrf"]

CANDIDATES_PER_RESULT = 4
MIN_CANDIDATES = 50
RRF_K = 60  # the constant of Cormack et al. (2009); not tuned
FIT_GRID = tuple(round(0.05 * step, 2) for step in range(21))
FIT_TOLERANCE = 0.01


def candidate_count(limit: int) -> int:
    """How many candidates each retrieval side brings for a page of `limit` results."""
    return max(limit * CANDIDATES_PER_RESULT, MIN_CANDIDATES)


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> dict[int, list[float]]:
    """Each id's 1 / (k + rank) in every ranking (0 where absent); the fused score is their sum."""
    fused: dict[int, list[float]] = {}
    for position, ranking in enumerate(rankings):
        for rank, owner_id in enumerate(ranking, start=1):
            fused.setdefault(owner_id, [0.0] * len(rankings))[position] = 1.0 / (k + rank)
    return fused


def choose_weights(
    mrr_by_weights: Sequence[tuple[tuple[float, ...], float]], tolerance: float = FIT_TOLERANCE
) -> tuple[float, ...]:
    """The weights with the smallest sum whose MRR is within `tolerance` of the best, so that text
    similarity still decides where tags are sparse or noisy."""
    best = max(mrr for _weights, mrr in mrr_by_weights)
    near_best = [weights for weights, mrr in mrr_by_weights if mrr >= best - tolerance]
    return min(near_best, key=lambda weights: (sum(weights), weights))
