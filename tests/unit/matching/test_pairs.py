"""Which side of a pair stands for the need and which for the solution, in every direction of a match."""

import pytest

from service.matching.pairs import NO_CONTEXT, MatchContext, Pair, Side

NEED = Side(kind="need", id=1, language="no", county="50", municipality="5001", trl_min=5)
SOLUTION = Side(kind="solution", id=2, language="en", trl=7, regions_served=("50",))
TEXT = Side(kind="text", language="en")


def test_need_to_solution_reads_the_need_from_the_query_and_the_solution_from_the_candidate() -> None:
    pair = Pair(NEED, SOLUTION, {})
    assert pair.need is NEED
    assert pair.solution is SOLUTION


def test_solution_to_need_reads_the_need_from_the_candidate_and_the_solution_from_the_query() -> None:
    pair = Pair(SOLUTION, NEED, {})
    assert pair.need is NEED
    assert pair.solution is SOLUTION


def test_a_search_text_stands_in_for_the_need_when_solutions_are_searched() -> None:
    pair = Pair(TEXT, SOLUTION, {})
    assert pair.need is TEXT
    assert pair.solution is SOLUTION


def test_a_search_text_stands_in_for_the_solution_when_needs_are_searched() -> None:
    pair = Pair(TEXT, NEED, {})
    assert pair.need is NEED
    assert pair.solution is TEXT


def test_a_side_leaves_the_fields_of_other_kinds_empty() -> None:
    side = Side(kind="text")
    assert (side.id, side.language, side.county, side.municipality, side.trl_min, side.trl) == (
        None,
        "",
        None,
        None,
        None,
        None,
    )
    assert side.kpi_codes == side.sdgs == side.cpv_codes == side.regions_served == ()
    assert side.reference_municipalities == ()


def test_sides_and_pairs_cannot_be_changed() -> None:
    with pytest.raises(AttributeError):
        NEED.county = "03"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        Pair(NEED, SOLUTION, {}).query = SOLUTION  # type: ignore[misc]


def test_a_pair_without_context_reads_an_empty_one() -> None:
    pair = Pair(NEED, SOLUTION, {"similarity": 0.5})
    assert pair.context is NO_CONTEXT
    assert pair.context == MatchContext(county_of={}, verdict_counts={}, verdicts={})
