"""Which needs describe the same problem: agglomerative clustering of need vectors plus shared KPIs.

Distance between two needs: `1 - similarity - KPI_WEIGHT x shared-KPI share`, at least 0, where
similarity is the cosine of the vectors as the index holds them (centred on their language, so a
Norwegian and an English text about one problem are close) and the shared-KPI share is the Jaccard
overlap of their KPI tags (0 when either has none). Two needs generated from KPI gaps are one text
template filled with other figures, so their cosine says little (different KPIs' generated needs
reach 0.6-0.8); for such a pair the similarity is 1 when they come from the same KPI data point,
else 0. Clusters: scikit-learn's AgglomerativeClustering, average linkage on the precomputed
distances, cut at DISTANCE_THRESHOLD (a need joins a group when its mean distance to the members is
below it).

Chosen by measurement (`python -m evaluation.buyer_groups`, e5-small, 2026-11-22): 220 open
needs, the 190 of the seeded demo (141 generated from KPI gaps) and 30 written for the purpose (9
problems in 2-4 wordings each, Norwegian and English, only the first of each tagged, plus 8 look-alikes
and unrelated needs), labelled by problem (seed_data/eval/buyer_groups.json); pairs whose label is debatable are left
out. Pair precision / recall of "in the same cluster", all pairs (871 same-problem pairs, most between
generated needs) and only pairs of two written needs (50), where the text has to do the work:

| linkage | KPI weight | threshold | all P | all R | written P | written R | written F1 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| average | 0.0 | 0.6 | 1.000 | 0.876 | 1.000 | 0.300 | 0.462 |
| average | 0.0 | 0.65 | 0.992 | 0.883 | 0.778 | 0.420 | 0.545 |
| average | 0.0 | 0.7 | 0.986 | 0.906 | 0.703 | 0.520 | 0.598 |
| average | 0.2 | 0.6 | 0.995 | 0.906 | 0.833 | 0.400 | 0.541 |
| average | 0.2 | 0.65 | 0.988 | 0.924 | 0.730 | 0.540 | 0.621 |
| average | 0.2 | 0.7 | 0.982 | 0.940 | 0.732 | 0.820 | 0.774 |
| average | 0.4 | 0.6 | 0.995 | 0.943 | 0.846 | 0.440 | 0.579 |
| average | 0.4 | 0.65 | 0.991 | 0.968 | 0.810 | 0.680 | 0.739 |
| average | 0.4 | 0.675 | 0.991 | 0.971 | 0.822 | 0.740 | 0.779 |
| average | 0.4 | 0.7 | 0.989 | 0.971 | 0.804 | 0.740 | 0.771 |
| average | 0.4 | 0.75 | 0.972 | 0.983 | 0.621 | 0.820 | 0.707 |
| complete | 0.4 | 0.6 | 0.995 | 0.930 | 0.833 | 0.400 | 0.541 |
| complete | 0.4 | 0.65 | 0.989 | 0.945 | 0.690 | 0.400 | 0.506 |
| complete | 0.4 | 0.7 | 0.983 | 0.958 | 0.641 | 0.500 | 0.562 |
| complete | 0.4 | 0.75 | 0.980 | 0.963 | 0.638 | 0.600 | 0.619 |

Average linkage with KPI weight 0.4 and threshold 0.675 has the best F1 on the written needs and
the best all-pairs recall short of 0.75 (where written precision drops to 0.62); complete linkage
loses recall. Without the template rule, different KPIs' generated needs fall into one cluster
(all-pairs precision 0.09 at the chosen parameters). Same-language pairs of unrelated written needs still reach a cosine of 0.35-0.44,
so written-need precision stays near 0.8: a group is a proposal for programme staff, not a decision.
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
