"""Which needs describe the same problem: agglomerative clustering of need vectors plus shared KPIs.

Distance between two needs: `1 - similarity - KPI_WEIGHT x shared-KPI share`, at least 0, where
similarity is the cosine of the vectors as the index holds them (centred on their language, so a
Norwegian and an English text about one problem are close) and the shared-KPI share is the Jaccard
overlap of their KPI tags (0 when either has none). Two needs generated from KPI gaps are one text
template filled with other figures, so their cosine says little (docs/buyer-groups.md, "Why these
parameters"); for such a pair the similarity is 1 when they come from the same KPI data point,
else 0. Clusters: scikit-learn's AgglomerativeClustering, average linkage on the precomputed
distances, cut at DISTANCE_THRESHOLD (a need joins a group when its mean distance to the members is
below it).

Chosen by measurement over a grid on needs labelled by problem (`python -m evaluation.buyer_groups`;
the table and the reasons are in docs/buyer-groups.md): average linkage, KPI weight 0.4 and threshold
0.675 had the best F1 on the written needs, where the text has to do the work. A group is a proposal
for programme staff, not a decision.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering

KPI_WEIGHT = 0.4
DISTANCE_THRESHOLD = 0.675
LINKAGE = "average"


@dataclass(frozen=True)
class NeedPoint:
    """What clustering knows of a need."""

    need_id: int
    vector: np.ndarray  # as the index holds it (language-centred, unit length)
    kpi_codes: frozenset[str]
    gap_problem: str | None  # "KPI:data point" for needs generated from a KPI gap


def kpi_overlap(points: Sequence[NeedPoint]) -> np.ndarray:
    """Jaccard overlap of each pair's KPI tags; 0 where either has none."""
    size = len(points)
    overlap = np.zeros((size, size))
    for i, first in enumerate(points):
        for j in range(i + 1, size):
            second = points[j].kpi_codes
            if first.kpi_codes and second:
                overlap[i, j] = overlap[j, i] = len(first.kpi_codes & second) / len(first.kpi_codes | second)
    return overlap


def problem_distances(
    points: Sequence[NeedPoint], *, kpi_weight: float = KPI_WEIGHT, template_rule: bool = True
) -> np.ndarray:
    """The distance matrix the clustering cuts (symmetric, zero diagonal)."""
    vectors = np.vstack([point.vector for point in points]).astype(np.float64)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    similarity = vectors @ vectors.T
    if template_rule:
        problems = [point.gap_problem for point in points]
        generated = np.array([problem is not None for problem in problems])
        same_problem = np.array([[a is not None and a == b for b in problems] for a in problems])
        similarity = np.where(np.outer(generated, generated), same_problem.astype(np.float64), similarity)
    distances = np.clip(1.0 - similarity - kpi_weight * kpi_overlap(points), 0.0, None)
    np.fill_diagonal(distances, 0.0)
    return distances


def cluster_labels(
    distances: np.ndarray, *, threshold: float = DISTANCE_THRESHOLD, linkage: str = LINKAGE
) -> list[int]:
    """A cluster label per point; the same matrix always gives the same labels."""
    if len(distances) < 2:
        return [0] * len(distances)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage=linkage, distance_threshold=threshold
    )
    return [int(label) for label in model.fit_predict(distances)]


def clusters(points: Sequence[NeedPoint], distances: np.ndarray | None = None) -> list[list[int]]:
    """Positions of the points in each cluster of two or more, each sorted, in order of first position."""
    matrix = problem_distances(points) if distances is None else distances
    members: dict[int, list[int]] = {}
    for position, label in enumerate(cluster_labels(matrix)):
        members.setdefault(label, []).append(position)
    return sorted((group for group in members.values() if len(group) > 1), key=lambda group: group[0])
