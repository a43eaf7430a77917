"""How candidates are scored: text similarity plus a bonus for the U4SSC KPIs both records address.

The weight was fitted on the train split of the public evaluation set only (`innomatch eval
--fit-kpi-weight`: MRR for weights 0, 0.05, ..., 1.0), taking the smallest weight within 0.01 MRR of the
best, so that text similarity still decides where KPI tags are sparse or noisy. Train MRR rose from 0.73
(weight 0) to 0.937 at 0.4 and plateaued at 0.944 from 0.6. Held-out figures are in the README.
"""

from collections.abc import Sequence

SHARED_KPI_WEIGHT = 0.4
FIT_GRID = tuple(round(0.05 * step, 2) for step in range(21))
FIT_TOLERANCE = 0.01
CANDIDATES_PER_RESULT = 4
MIN_CANDIDATES = 50


def kpi_overlap(query_kpis: Sequence[str], candidate_kpis: Sequence[str]) -> float:
    """Share of the query's KPIs that the candidate also addresses (0 when the query has none)."""
    if not query_kpis:
        return 0.0
    wanted = set(query_kpis)
    return len(wanted & set(candidate_kpis)) / len(wanted)


def candidate_count(limit: int) -> int:
    return max(limit * CANDIDATES_PER_RESULT, MIN_CANDIDATES)


def combined_score(similarity: float, overlap: float, weight: float = SHARED_KPI_WEIGHT) -> float:
    return similarity + weight * overlap


def kpi_bonus(query_kpis: Sequence[str], candidate_kpis: Sequence[str]) -> float:
    """The shared-KPI part of a score."""
    return SHARED_KPI_WEIGHT * kpi_overlap(query_kpis, candidate_kpis)


def choose_weight(mrr_by_weight: Sequence[tuple[float, float]], tolerance: float = FIT_TOLERANCE) -> float:
    """The smallest weight whose MRR is within `tolerance` of the best."""
    best = max(mrr for _weight, mrr in mrr_by_weight)
    return min(weight for weight, mrr in mrr_by_weight if mrr >= best - tolerance)
