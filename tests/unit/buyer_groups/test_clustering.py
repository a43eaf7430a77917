"""Which needs describe one problem: the distance (cosine, shared KPIs, the template rule) and the cut."""

import numpy as np
import pytest

from service.buyer_groups.clustering import (
    DISTANCE_THRESHOLD,
    NeedPoint,
    cluster_labels,
    clusters,
    kpi_overlap,
    problem_distances,
)

EAST, NORTH = np.array([1.0, 0.0]), np.array([0.0, 1.0])


def point(
    need_id: int, vector: np.ndarray, kpis: tuple[str, ...] = (), gap_problem: str | None = None
) -> NeedPoint:
    return NeedPoint(need_id, vector, frozenset(kpis), gap_problem)


def test_kpi_overlap_is_the_jaccard_share_and_zero_where_a_need_has_no_kpi() -> None:
    overlap = kpi_overlap(
        [point(1, EAST, ("A", "B")), point(2, EAST, ("B", "C")), point(3, EAST), point(4, EAST, ("A", "B"))]
    )
    assert overlap[0, 1] == overlap[1, 0] == pytest.approx(1 / 3)
    assert overlap[0, 3] == 1.0
    assert (overlap[2] == 0).all() and (overlap[:, 2] == 0).all()
    assert (np.diag(overlap) == 0).all()


def test_distance_is_one_minus_cosine_on_normalised_vectors() -> None:
    at_45 = np.array([3.0, 3.0])  # not unit length: normalised first
    distances = problem_distances([point(1, EAST), point(2, 5 * EAST), point(3, NORTH), point(4, at_45)])
    assert distances[0, 1] == pytest.approx(0.0)
    assert distances[0, 2] == pytest.approx(1.0)
    assert distances[0, 3] == pytest.approx(1 - np.sqrt(0.5))
    assert (np.diag(distances) == 0).all()
    assert np.allclose(distances, distances.T)


def test_a_shared_kpi_brings_needs_closer_by_its_weight_but_never_below_zero() -> None:
    near = np.array([0.9, np.sqrt(1 - 0.81)])
    distances = problem_distances([point(1, EAST, ("A",)), point(2, NORTH, ("A",)), point(3, near, ("A",))])
    assert distances[0, 1] == pytest.approx(0.6)  # 1 - 0 - 0.4
    assert distances[0, 2] == 0.0  # 1 - 0.9 - 0.4, clipped
    assert problem_distances([point(1, EAST, ("A",)), point(2, NORTH, ("A",))], kpi_weight=0.0)[0, 1] == (
        pytest.approx(1.0)
    )


def test_two_generated_needs_are_one_problem_exactly_when_they_come_from_the_same_kpi_data_point() -> None:
    points = [
        point(1, EAST, gap_problem="EC-I-WS-3C:"),
        point(2, EAST, gap_problem="EN-E-TR-1C:private"),  # the same template text, another KPI
        point(3, NORTH, gap_problem="EC-I-WS-3C:"),  # other figures, same KPI
        point(4, EAST),  # written by hand: its cosine counts
    ]
    distances = problem_distances(points)
    assert distances[0, 1] == pytest.approx(1.0)
    assert distances[0, 2] == pytest.approx(0.0)
    assert distances[1, 3] == pytest.approx(0.0)
    assert distances[2, 3] == pytest.approx(1.0)
    without_rule = problem_distances(points, template_rule=False)
    assert (without_rule[0, 1], without_rule[0, 2]) == (pytest.approx(0.0), pytest.approx(1.0))


@pytest.mark.parametrize(
    ("distance", "together"), [(DISTANCE_THRESHOLD - 0.005, True), (DISTANCE_THRESHOLD + 0.005, False)]
)
def test_two_needs_form_a_group_only_below_the_distance_threshold(distance: float, together: bool) -> None:
    matrix = np.array([[0.0, distance], [distance, 0.0]])
    assert clusters([point(1, EAST), point(2, NORTH)], matrix) == ([[0, 1]] if together else [])


@pytest.mark.parametrize(("to_first", "joins"), [(0.5, True), (0.6, False)])
def test_a_need_joins_a_group_by_its_average_distance_to_the_members(to_first: float, joins: bool) -> None:
    # Needs 0 and 1 are one problem; need 2 is 0.8 from need 1, so its average is (to_first + 0.8) / 2:
    # 0.65 joins, 0.7 does not.
    matrix = np.array([[0.0, 0.1, to_first], [0.1, 0.0, 0.8], [to_first, 0.8, 0.0]])
    points = [point(i, EAST) for i in range(3)]
    assert clusters(points, matrix) == ([[0, 1, 2]] if joins else [[0, 1]])


def test_groups_of_one_are_left_out_and_groups_are_ordered_by_their_first_need() -> None:
    points = [
        point(1, NORTH, ("B",)),
        point(2, EAST, ("A",)),
        point(3, np.array([-1.0, 0.0])),
        point(4, EAST, ("A",)),
        point(5, NORTH, ("B",)),
    ]
    assert clusters(points) == [[0, 4], [1, 3]]


def test_one_or_no_need_gets_a_label_without_clustering() -> None:
    assert cluster_labels(np.zeros((1, 1))) == [0]
    assert cluster_labels(np.zeros((0, 0))) == []
