"""The ranker's pure core: fusing the two retrievals into text signals, then scoring and ordering."""

from collections.abc import Mapping

import pytest

from service.matching.pairs import MatchContext, Side
from service.matching.ranking import fuse_text_signals, rank
from service.matching.signals import SIGNALS


def _unused(owner_ids: list[int]) -> Mapping[int, float]:
    raise AssertionError(f"this ranking should not look up {owner_ids}")


class Lookup:
    """A stand-in for the index: known scores, and the ids it was asked for."""

    def __init__(self, known: Mapping[int, float]) -> None:
        self.known = known
        self.asked: list[list[int]] = []

    def __call__(self, owner_ids: list[int]) -> Mapping[int, float]:
        self.asked.append(owner_ids)
        return {owner_id: self.known[owner_id] for owner_id in owner_ids if owner_id in self.known}


# -- fuse_text_signals ----------------------------------------------------------------------------------


def test_dense_keeps_every_given_hit_and_looks_nothing_up() -> None:
    text = fuse_text_signals("dense", 2, [(5, 0.9), (3, 0.7), (8, 0.1)], [(4, 9.0)], _unused, _unused)
    assert text == {5: {"similarity": 0.9}, 3: {"similarity": 0.7}, 8: {"similarity": 0.1}}


def test_lexical_divides_by_the_best_bm25_and_cuts_at_the_limit() -> None:
    text = fuse_text_signals("lexical", 2, [(1, 0.9)], [(4, 8.0), (2, 4.0), (7, 2.0)], _unused, _unused)
    assert text == {4: {"lexical": 1.0}, 2: {"lexical": 0.5}}


def test_lexical_without_hits_is_empty() -> None:
    assert fuse_text_signals("lexical", 10, [(1, 0.9)], [], _unused, _unused) == {}


def test_rrf_gives_one_over_sixty_plus_rank_per_side_and_zero_when_absent() -> None:
    text = fuse_text_signals("rrf", 10, [(1, 0.9), (2, 0.8)], [(2, 7.0), (3, 1.0)], _unused, _unused)
    assert text == {
        1: {"dense_rank": 1 / 61, "lexical_rank": 0.0},
        2: {"dense_rank": 1 / 62, "lexical_rank": 1 / 61},
        3: {"dense_rank": 0.0, "lexical_rank": 1 / 62},
    }


def test_hybrid_fills_each_missing_side_from_the_callbacks() -> None:
    similarity_of, bm25_of = Lookup({3: 0.4}), Lookup({1: 2.5})
    text = fuse_text_signals(
        "hybrid", 10, [(1, 0.8), (2, 0.6)], [(2, 10.0), (3, 5.0)], similarity_of, bm25_of
    )
    assert text == {
        1: {"similarity": 0.8, "lexical": 0.25},
        2: {"similarity": 0.6, "lexical": 1.0},
        3: {"similarity": 0.4, "lexical": 0.5},
    }
    assert similarity_of.asked == [[3]]  # only the lexical-only candidate
    assert bm25_of.asked == [[1]]  # only the dense-only candidate


def test_hybrid_asks_for_the_missing_ids_in_ascending_order() -> None:
    similarity_of, bm25_of = Lookup({}), Lookup({8: 0.0, 6: 0.0})
    fuse_text_signals("hybrid", 10, [(8, 0.5), (6, 0.4)], [(9, 3.0), (4, 2.0)], similarity_of, bm25_of)
    assert similarity_of.asked == [[4, 9]]
    assert bm25_of.asked == [[6, 8]]


def test_hybrid_gives_zero_similarity_to_a_lexical_only_candidate_the_vector_index_lacks() -> None:
    text = fuse_text_signals("hybrid", 10, [], [(3, 5.0)], Lookup({}), Lookup({}))
    assert text == {3: {"similarity": 0.0, "lexical": 1.0}}


def test_hybrid_without_lexical_hits_divides_by_one() -> None:
    text = fuse_text_signals("hybrid", 10, [(1, 0.7)], [], Lookup({}), Lookup({1: 0.0}))
    assert text == {1: {"similarity": 0.7, "lexical": 0.0}}


def test_hybrid_does_not_cut_at_the_limit() -> None:
    dense = [(owner_id, 1.0 - owner_id / 10) for owner_id in range(5)]
    text = fuse_text_signals("hybrid", 2, dense, [], Lookup({}), Lookup(dict.fromkeys(range(5), 0.0)))
    assert sorted(text) == [0, 1, 2, 3, 4]


# -- rank -----------------------------------------------------------------------------------------------

NEED = Side(kind="need", id=1, language="no", kpi_codes=("EN-W-WS-3C",))


def _solutions(*owner_ids: int, kpi_codes: tuple[str, ...] = ()) -> dict[int, Side]:
    return {
        owner_id: Side(kind="solution", id=owner_id, language="en", kpi_codes=kpi_codes)
        for owner_id in owner_ids
    }


def test_rank_orders_by_score_then_by_id() -> None:
    text = {3: {"similarity": 0.5}, 1: {"similarity": 0.5}, 2: {"similarity": 0.7}}
    assert [item.id for item in rank(NEED, _solutions(1, 2, 3), text, ranking="dense")] == [2, 1, 3]


def test_rank_keeps_at_most_the_limit() -> None:
    text = {3: {"similarity": 0.1}, 1: {"similarity": 0.5}, 2: {"similarity": 0.7}}
    assert [item.id for item in rank(NEED, _solutions(1, 2, 3), text, ranking="dense", limit=2)] == [2, 1]


def test_rank_leaves_out_a_candidate_without_facts() -> None:
    text = {1: {"similarity": 0.5}, 2: {"similarity": 0.9}}
    assert [item.id for item in rank(NEED, _solutions(1), text, ranking="dense")] == [1]


def test_rank_scores_hybrid_as_the_sum_of_weighted_parts() -> None:
    text = {1: {"similarity": 0.3, "lexical": 0.0}, 2: {"similarity": 0.5, "lexical": 0.0}}
    candidates = {**_solutions(1, kpi_codes=("EN-W-WS-3C",)), **_solutions(2)}
    first, second = rank(NEED, candidates, text, ranking="hybrid")
    assert first.id == 1  # 0.3 + 0.45 x 1 beats 0.5
    assert first.parts == {"similarity": 0.3, "shared_kpis": pytest.approx(0.45)}
    assert first.score == pytest.approx(0.75)
    assert first.features["shared_kpis"] == 1.0 and first.features["lexical"] == 0.0
    assert second.parts == {"similarity": 0.5}


def test_rank_uses_the_signal_set_it_is_given() -> None:
    text = {1: {"similarity": 0.3}, 2: {"similarity": 0.5}}
    candidates = {**_solutions(1, kpi_codes=("EN-W-WS-3C",)), **_solutions(2)}
    without_kpis = SIGNALS.with_weights(shared_kpis=0.0)
    assert [item.id for item in rank(NEED, candidates, text, ranking="hybrid", signals=without_kpis)] == [
        2,
        1,
    ]


def test_a_positive_verdict_lifts_a_solution_above_a_closer_text() -> None:
    text = {1: {"similarity": 0.6}, 2: {"similarity": 0.5}}
    context = MatchContext(verdicts={2: "useful"})
    ranked = rank(NEED, _solutions(1, 2), text, ranking="hybrid", context=context)
    assert [item.id for item in ranked] == [2, 1]  # 0.5 + 0.2 x 1 > 0.6
    assert ranked[0].pair.context is context


def test_not_useful_is_left_to_retrieval_the_ranker_scores_it_like_no_verdict() -> None:
    text = {1: {"similarity": 0.6}, 2: {"similarity": 0.5}}
    rejected = rank(
        NEED, _solutions(1, 2), text, ranking="hybrid", context=MatchContext(verdicts={1: "not_useful"})
    )
    unjudged = rank(NEED, _solutions(1, 2), text, ranking="hybrid")
    assert [(item.id, item.score) for item in rejected] == [(item.id, item.score) for item in unjudged]
    assert [item.id for item in rejected] == [1, 2]


def test_needs_as_candidates_get_no_solution_only_parts_even_with_verdicts_in_the_context() -> None:
    solution = Side(kind="solution", id=9, language="en", reference_municipalities=("5006",))
    needs = {4: Side(kind="need", id=4, language="no", county="50", municipality="5001")}
    context = MatchContext(county_of={"5006": "50"}, verdict_counts={4: (5, 0)}, verdicts={4: "useful"})
    (scored,) = rank(solution, needs, {4: {"similarity": 0.2}}, ranking="hybrid", context=context)
    assert not {"references", "feedback_prior", "feedback"} & set(scored.features)


def test_rrf_ranks_by_the_sum_of_reciprocal_ranks() -> None:
    text = fuse_text_signals("rrf", 10, [(1, 0.9), (2, 0.8)], [(2, 7.0), (3, 1.0)], _unused, _unused)
    ranked = rank(NEED, _solutions(1, 2, 3), text, ranking="rrf")
    assert [item.id for item in ranked] == [2, 1, 3]
    assert ranked[0].score == pytest.approx(1 / 62 + 1 / 61)
