"""The pure feature functions: shares, CPV subtrees, region, maturity, references and the feedback prior."""

import pytest

from service.matching.features import (
    POSITIVE_VERDICTS,
    cpv_fit,
    cpv_subtree,
    feedback_prior,
    fitting_cpv_codes,
    maturity_fit,
    reference_fit,
    region_fit,
    share_of,
)

# -- share_of -------------------------------------------------------------------------------------------


def test_share_of_is_zero_when_the_query_has_no_items_even_if_the_candidate_has_some() -> None:
    assert share_of([], ["EN-W-WS-3C"]) == 0.0


def test_share_of_is_zero_when_the_candidate_has_none_of_the_query_items() -> None:
    assert share_of(["EN-W-WS-3C"], []) == 0.0


def test_share_of_counts_the_query_side_only() -> None:
    assert share_of(["A", "B"], ["A"]) == 0.5
    assert share_of(["A"], ["A", "B"]) == 1.0


def test_share_of_counts_each_query_item_once() -> None:
    # Two distinct items wanted, one found: repeats on either side do not change the share.
    assert share_of(["A", "A", "B"], ["A", "A"]) == 0.5


# -- CPV ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "subtree"),
    [
        ("45000000", "45"),  # a division
        ("45230000", "4523"),  # a class
        ("45232150", "4523215"),  # a full code's own trailing zero goes too: 45232151 is its child
        ("90000000", "90"),  # a division ending in zero keeps it
        ("03000000", "03"),
    ],
)
def test_cpv_subtree_drops_trailing_zeros_but_keeps_the_division(code: str, subtree: str) -> None:
    assert cpv_subtree(code) == subtree


def test_fitting_codes_are_the_candidates_inside_the_query_subtree() -> None:
    assert fitting_cpv_codes(["45230000"], ["30200000", "45232150"]) == ["45232150"]


def test_fitting_codes_include_a_broader_candidate_code_holding_the_query_code() -> None:
    assert fitting_cpv_codes(["45232150"], ["45230000"]) == ["45230000"]


def test_fitting_codes_keep_the_candidate_order_and_every_fit() -> None:
    assert fitting_cpv_codes(["45230000"], ["45232000", "72000000", "45231000"]) == ["45232000", "45231000"]


def test_fitting_codes_are_empty_when_either_side_has_no_codes() -> None:
    assert fitting_cpv_codes([], ["45230000"]) == []
    assert fitting_cpv_codes(["45230000"], []) == []


def test_cpv_fit_is_one_for_a_code_in_the_subtree_either_way() -> None:
    assert cpv_fit(["45230000"], ["45232150"]) == 1.0
    assert cpv_fit(["45232150"], ["45230000"]) == 1.0


def test_cpv_fit_is_one_half_for_siblings_in_the_same_division() -> None:
    assert cpv_fit(["45230000"], ["45100000"]) == 0.5
    assert cpv_fit(["45232100"], ["45232200"]) == 0.5


def test_cpv_fit_is_zero_across_divisions_and_without_codes() -> None:
    assert cpv_fit(["45230000"], ["30200000"]) == 0.0
    assert cpv_fit([], ["45230000"]) == 0.0
    assert cpv_fit(["45230000"], []) == 0.0


# -- region and maturity --------------------------------------------------------------------------------


def test_region_fit_counts_no_listed_regions_as_all_of_norway() -> None:
    assert region_fit("50", []) == 1.0


def test_region_fit_needs_the_county_among_those_served() -> None:
    assert region_fit("50", ["46", "50"]) == 1.0
    assert region_fit("50", ["46", "03"]) == 0.0


def test_region_fit_is_zero_without_a_county_even_for_all_of_norway() -> None:
    assert region_fit(None, []) == 0.0
    assert region_fit(None, ["50"]) == 0.0


@pytest.mark.parametrize(
    ("trl_min", "trl", "fit"),
    [(6, 7, 1.0), (6, 6, 1.0), (6, 5, 0.0), (None, 9, 0.0), (6, None, 0.0), (None, None, 0.0)],
)
def test_maturity_fit_needs_both_trls_and_the_solution_at_least_as_mature(
    trl_min: int | None, trl: int | None, fit: float
) -> None:
    assert maturity_fit(trl_min, trl) == fit


# -- references -----------------------------------------------------------------------------------------

COUNTY_OF = {"5001": "50", "5006": "50", "0301": "03"}


def test_reference_fit_is_zero_without_references() -> None:
    assert reference_fit("50", "5001", [], COUNTY_OF) == 0.0


def test_reference_fit_ignores_the_needs_own_municipality() -> None:
    assert reference_fit("50", "5001", ["5001"], COUNTY_OF) == 0.0


def test_reference_fit_is_one_for_another_municipality_of_the_same_county() -> None:
    assert reference_fit("50", "5001", ["5001", "5006"], COUNTY_OF) == 1.0


def test_reference_fit_is_one_half_for_a_municipality_elsewhere() -> None:
    assert reference_fit("50", "5001", ["5001", "0301"], COUNTY_OF) == 0.5


def test_reference_fit_is_one_half_when_the_reference_county_is_unknown() -> None:
    assert reference_fit("50", "5001", ["9999"], COUNTY_OF) == 0.5


def test_reference_fit_is_one_half_when_the_need_has_no_county() -> None:
    assert reference_fit(None, None, ["5006"], COUNTY_OF) == 0.5


# -- the feedback prior ---------------------------------------------------------------------------------


def test_feedback_prior_is_zero_without_verdicts_or_when_they_balance() -> None:
    assert feedback_prior(0, 0) == 0.0
    assert feedback_prior(2, 2) == 0.0


def test_feedback_prior_reaches_half_its_range_after_three_one_sided_verdicts() -> None:
    assert feedback_prior(3, 0) == 0.5
    assert feedback_prior(0, 3) == -0.5


def test_feedback_prior_shrinks_few_verdicts_towards_zero() -> None:
    assert feedback_prior(1, 0) == 0.25
    assert feedback_prior(9, 0) == 0.75
    assert feedback_prior(4, 1) == 3 / 8  # the balance, shrunk by the three pseudo-verdicts


def test_feedback_prior_follows_the_sign_of_the_balance_and_stays_inside_minus_one_to_one() -> None:
    assert feedback_prior(1, 5) == -4 / 9
    assert -1.0 < feedback_prior(0, 1000) < feedback_prior(1000, 1000) < feedback_prior(1000, 0) < 1.0


def test_positive_verdicts_leave_out_not_useful() -> None:
    assert {"useful", "contacted", "piloted"} == POSITIVE_VERDICTS
    assert "not_useful" not in POSITIVE_VERDICTS
