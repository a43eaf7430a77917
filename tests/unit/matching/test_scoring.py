"""The candidate pool, reciprocal-rank fusion, the fitting grid and how fitted weights are chosen."""

import itertools

import pytest

from service.matching.scoring import FIT_GRID, RRF_K, candidate_count, choose_weights, reciprocal_rank_fusion


@pytest.mark.parametrize(("limit", "count"), [(1, 50), (12, 50), (13, 52), (100, 400)])
def test_candidate_count_is_four_per_result_but_never_below_fifty(limit: int, count: int) -> None:
    assert candidate_count(limit) == count


def test_rrf_gives_each_id_one_over_k_plus_rank_per_list_and_zero_where_absent() -> None:
    assert RRF_K == 60
    assert reciprocal_rank_fusion([[5, 3], [3, 9]]) == {
        5: [1 / 61, 0.0],
        3: [1 / 62, 1 / 61],
        9: [0.0, 1 / 62],
    }


def test_rrf_takes_its_constant_as_a_parameter() -> None:
    assert reciprocal_rank_fusion([[4, 2], [2]], k=0) == {4: [1.0, 0.0], 2: [0.5, 1.0]}


def test_rrf_of_empty_lists_is_empty() -> None:
    assert reciprocal_rank_fusion([[], []]) == {}


def test_rrf_sum_puts_an_id_found_second_by_both_lists_above_one_found_first_by_one() -> None:
    fused = reciprocal_rank_fusion([[1, 2], [3, 2]])
    totals = {owner_id: sum(parts) for owner_id, parts in fused.items()}
    assert max(totals, key=lambda owner_id: totals[owner_id]) == 2


def test_fit_grid_runs_from_zero_to_one_in_twentieths_without_float_noise() -> None:
    assert len(FIT_GRID) == 21
    assert FIT_GRID[0] == 0.0 and FIT_GRID[-1] == 1.0
    assert 0.15 in FIT_GRID and 0.35 in FIT_GRID  # 0.05 * 3 is 0.15000000000000002 unless rounded
    assert all(b > a for a, b in itertools.pairwise(FIT_GRID))


def test_choose_weights_takes_the_smallest_sum_within_the_tolerance_of_the_best() -> None:
    results = [((0.5, 0.5), 0.80), ((0.2, 0.1), 0.795), ((0.0, 0.0), 0.70)]
    assert choose_weights(results) == (0.2, 0.1)


def test_choose_weights_keeps_the_best_when_the_rest_fall_outside_the_tolerance() -> None:
    results = [((0.5, 0.5), 0.80), ((0.1, 0.0), 0.78)]
    assert choose_weights(results) == (0.5, 0.5)


def test_choose_weights_includes_the_tolerance_edge() -> None:
    results = [((1.0, 1.0), 1.0), ((0.0, 0.5), 0.75), ((0.0, 0.0), 0.5)]
    assert choose_weights(results, tolerance=0.25) == (0.0, 0.5)


def test_choose_weights_breaks_equal_sums_by_the_weights_themselves() -> None:
    results = [((0.3, 0.0), 0.8), ((0.0, 0.3), 0.8)]
    assert choose_weights(results) == (0.0, 0.3)
