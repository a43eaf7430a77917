"""Weak results and the 'no good match' warning: below the calibrated score of each kind of query."""

from service.matching.confidence import WEAK_BELOW, is_weak, no_good_match_warnings


def test_a_score_is_weak_below_its_kinds_threshold_in_the_hybrid_ranking_only() -> None:
    assert is_weak(WEAK_BELOW["need"] - 0.01, "need", "hybrid")
    assert not is_weak(WEAK_BELOW["need"], "need", "hybrid")
    # Typed words score lower than a stored need's text: the same score is no longer weak for them.
    assert WEAK_BELOW["text"] < WEAK_BELOW["need"]
    assert not is_weak(WEAK_BELOW["text"] + 0.01, "text", "hybrid")
    assert not is_weak(0.01, "need", "dense")  # a single signal's scale is not calibrated


def test_the_warning_says_nothing_was_found_or_the_best_is_weak_and_what_to_do() -> None:
    [nothing] = no_good_match_warnings(None, "need", "hybrid", "solution")
    assert nothing.code == "no-good-match" and nothing.message.startswith("No solution was found.")
    [weak] = no_good_match_warnings(0.12, "text", "hybrid", "solution")
    assert weak.message.startswith("No good match: the best solution scores 0.12, below 0.19")
    assert "market dialogue" in weak.message
    [weak_need] = no_good_match_warnings(0.2, "solution", "hybrid", "need")
    assert "market dialogue" not in weak_need.message
    assert no_good_match_warnings(0.5, "need", "hybrid", "solution") == []
    assert no_good_match_warnings(0.01, "need", "lexical", "solution") == []
