"""The recommended procurement route: each rule, its boundaries and the reasons it gives."""

import pytest

from service.partnerships.procurement_route import CandidateFacts, RouteFacts, recommend_route

SUMMARY_TAIL = "(among a need's first 5 matches with a score of at least 0.2)"
UNHEARD_PREFIX = "The need is new (the oldest was registered "
SINGLE_SUPPLIER = (
    "Only one supplier is known: check in a market dialogue that more can deliver, so the "
    "competition gets bidders."
)


def candidate(
    solution_id: int, trl: int | None, supplier: str, score: float | None = 0.6, rank: int | None = 1
) -> CandidateFacts:
    return CandidateFacts(solution_id, trl, supplier, score, rank)


def facts(*candidates: CandidateFacts, age: int = 365, contacted: bool = False) -> RouteFacts:
    return RouteFacts(list(candidates), oldest_need_age_days=age, suppliers_contacted=contacted)


@pytest.mark.parametrize(
    ("score", "rank", "well"),
    [
        (0.2, 5, True),  # both at their limits
        (0.2, 6, False),  # below the first five
        (0.199, 1, False),  # first, but under the score floor
        (None, 1, False),
        (0.9, None, False),
    ],
)
def test_a_candidate_matches_well_only_within_the_first_five_and_at_a_score_of_at_least_point_two(
    score: float | None, rank: int | None, well: bool
) -> None:
    assert candidate(1, 9, "a", score, rank).matches_well is well


def test_no_candidate_for_a_new_need_nobody_asked_the_market_about_is_a_market_dialogue() -> None:
    recommendation = recommend_route(facts(age=89))
    assert (recommendation.route, recommendation.rule) == ("market_dialogue", "no_candidate_market_unheard")
    assert recommendation.reasons == [
        f"0 candidate solutions, 0 matching the needs well {SUMMARY_TAIL}, from 0 suppliers.",
        "No solution is known for the need, but the market has not been asked yet.",
        "The need is new (the oldest was registered 89 days ago) and no supplier has been recorded as "
        "contacted: hold a market dialogue first, open to every supplier alike. It shows whether a "
        "solution exists before money goes into developing one.",
    ]


@pytest.mark.parametrize(("age", "contacted"), [(90, False), (0, True), (400, True)])
def test_no_candidate_for_a_need_of_ninety_days_or_after_contact_means_developing_it(
    age: int, contacted: bool
) -> None:
    recommendation = recommend_route(facts(age=age, contacted=contacted))
    assert (recommendation.route, recommendation.rule) == ("pre_commercial_procurement", "no_candidate")
    assert "FOA § 2-5" in recommendation.reasons[-1]


@pytest.mark.parametrize(("age", "words"), [(0, "today)"), (1, "1 day ago)")])
def test_the_age_of_a_new_need_is_said_in_words(age: int, words: str) -> None:
    assert recommend_route(facts(age=age)).reasons[2].startswith(UNHEARD_PREFIX + words)


def test_the_summary_counts_candidates_and_the_suppliers_of_the_well_matching_ones_only() -> None:
    recommendation = recommend_route(
        facts(
            candidate(1, 9, "a"),
            candidate(2, 8, "a"),
            candidate(3, 9, "b"),
            candidate(4, 9, "c", score=0.1),  # a supplier with only a weak match is not counted
        )
    )
    assert recommendation.reasons[0] == (
        f"4 candidate solutions, 3 matching the needs well {SUMMARY_TAIL}, from 2 suppliers."
    )


def test_one_candidate_and_one_supplier_are_singular() -> None:
    reasons = recommend_route(facts(candidate(1, 9, "a"))).reasons
    assert reasons[0] == f"1 candidate solution, 1 matching the needs well {SUMMARY_TAIL}, from 1 supplier."


def test_candidates_that_do_not_answer_the_needs_lead_to_a_dialogue_naming_the_best_ranked_one() -> None:
    recommendation = recommend_route(
        facts(candidate(1, 9, "a", 0.45, 7), candidate(2, 9, "b", 0.5, 6), candidate(3, 9, "c", 0.9, 6))
    )
    assert (recommendation.route, recommendation.rule) == ("market_dialogue", "no_good_match")
    # Rank first, then the higher score among candidates of the same rank.
    assert recommendation.reasons[1] == (
        "No candidate answers the needs well (the best, solution 3, ranks 6 with a score of 0.90): "
        "the market is unclear."
    )
    assert recommendation.reasons[2] == "Ask the market in a dialogue what exists before choosing a route."


def test_candidates_outside_every_match_list_are_said_to_be_among_no_matches() -> None:
    recommendation = recommend_route(facts(candidate(1, 9, "a", None, None)))
    assert recommendation.rule == "no_good_match"
    assert recommendation.reasons[1] == (
        "No candidate answers the needs well (none is among the needs' published matches): "
        "the market is unclear."
    )


def test_well_matching_candidates_without_a_trl_leave_the_maturity_unknown() -> None:
    # A mature candidate that does not match well says nothing about the ones that do.
    recommendation = recommend_route(facts(candidate(1, None, "a"), candidate(2, 9, "b", score=0.1)))
    assert (recommendation.route, recommendation.rule) == ("market_dialogue", "maturity_unknown")
    assert len(recommendation.reasons) == 2


def test_trl_8_from_two_suppliers_is_an_ordinary_competition_without_further_notes() -> None:
    recommendation = recommend_route(
        facts(candidate(1, 8, "a"), candidate(2, 9, "b"), candidate(3, 7, "c"), age=90)
    )
    assert (recommendation.route, recommendation.rule) == ("ordinary_competition", "on_the_market")
    # The TRL 7 candidate is below the band of the most mature one and is not counted.
    assert recommendation.reasons[1] == (
        "2 well-matching candidates at TRL 8-9 from 2 suppliers: the solution is on the market."
    )
    assert recommendation.reasons[2].startswith("Buy it in an ordinary competition")
    assert len(recommendation.reasons) == 3


def test_a_market_of_one_supplier_adds_the_advice_to_look_for_more_bidders() -> None:
    recommendation = recommend_route(facts(candidate(1, 9, "a"), candidate(2, 8, "a")))
    assert recommendation.reasons[1] == (
        "2 well-matching candidates at TRL 8-9 from 1 supplier: the solution is on the market."
    )
    assert recommendation.reasons[3:] == [SINGLE_SUPPLIER]


def test_a_product_for_a_new_need_nobody_asked_the_market_about_gets_the_dialogue_note_last() -> None:
    recommendation = recommend_route(facts(candidate(1, 9, "a"), candidate(2, 9, "b"), age=30))
    assert recommendation.route == "ordinary_competition"
    assert recommendation.reasons[-1].startswith(UNHEARD_PREFIX + "30 days ago)")
    assert SINGLE_SUPPLIER not in recommendation.reasons


@pytest.mark.parametrize("best_trl", [5, 7])
def test_trl_5_to_7_is_an_innovation_partnership(best_trl: int) -> None:
    recommendation = recommend_route(
        facts(candidate(1, best_trl, "a"), candidate(2, 5, "b"), candidate(3, 4, "c"))
    )
    assert (recommendation.route, recommendation.rule) == ("innovation_partnership", "needs_development")
    assert recommendation.reasons[1] == (
        f"The most mature well-matching candidate is at TRL {best_trl} (2 suppliers at TRL 5-7): "
        "demonstrated, not yet proven in operation."
    )
    assert len(recommendation.reasons) == 3


def test_an_innovation_partnership_for_an_unheard_market_carries_the_dialogue_note() -> None:
    recommendation = recommend_route(facts(candidate(1, 6, "a"), age=5))
    assert recommendation.route == "innovation_partnership"
    assert recommendation.reasons[-1].startswith(UNHEARD_PREFIX + "5 days ago)")


@pytest.mark.parametrize("best_trl", [1, 4])
def test_trl_1_to_4_is_research_and_a_pre_commercial_procurement(best_trl: int) -> None:
    recommendation = recommend_route(facts(candidate(1, best_trl, "a"), candidate(2, None, "b")))
    assert (recommendation.route, recommendation.rule) == ("pre_commercial_procurement", "research_stage")
    assert recommendation.reasons[1] == (
        f"The most mature well-matching candidate is at TRL {best_trl}: still research, far from the market."
    )
