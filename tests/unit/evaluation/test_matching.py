"""The matching evaluation on hand-built score tables: each ranking's order, the metrics, the weight fit
and the report table. No encoder: the tables are numpy arrays written out below."""

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from evaluation.matching import (
    EvalCase,
    EvalReport,
    EvalSet,
    Metrics,
    ScoreTables,
    fit_suggested_kpis_weight,
    fit_weights,
    format_reports,
    load_eval_set,
    rank_solutions,
    report_for,
    without_need_kpis,
)
from service.indexing import LexicalDocument
from service.matching.pairs import Side
from service.matching.scoring import choose_weights
from service.matching.signals import SIGNALS

# The weights the "final" arithmetic below is worked out for, whatever the fit last chose.
FINAL_SIGNALS = SIGNALS.with_weights(lexical=0.0, shared_kpis=0.4)


def _case(
    need_id: str, language: str, kpis: tuple[str, ...], relevant: str, relevant_language: str
) -> EvalCase:
    return EvalCase(
        need_id=need_id,
        text=need_id,
        document=LexicalDocument.of(need_id, "", language, kpis),
        language=language,
        kpi_codes=kpis,
        relevant=frozenset({relevant}),
        relevant_language=relevant_language,
        split="train",
    )


def _eval_set(
    solution_count: int, kpis: list[tuple[str, ...]] | None = None, cases: list[EvalCase] | None = None
) -> EvalSet:
    kpis = kpis or [()] * solution_count
    languages = ["no", "en"] * (solution_count // 2) + ["no"] * (solution_count % 2)
    return EvalSet(
        solution_ids=[f"s{position}" for position in range(solution_count)],
        solution_texts=[""] * solution_count,
        solution_documents=[LexicalDocument.of("", "", language, ()) for language in languages],
        solution_languages=languages,
        solution_kpis=kpis,
        cases=cases or [],
    )


# Four solutions, two cases. Case 0 (no, KPI A) wants s2; case 1 (en, KPIs B and C) wants s0.
CASES = [_case("n0", "no", ("A",), "s2", "en"), _case("n1", "en", ("B", "C"), "s0", "no")]
EVAL_SET = _eval_set(4, kpis=[("B",), ("A",), ("A", "C"), ()], cases=CASES)
TABLES = ScoreTables(
    cases=CASES,
    raw_dense=np.array([[0.8, 0.7, 0.6, 0.9], [0.1, 0.2, 0.3, 0.4]]),
    dense=np.array([[0.30, 0.28, 0.05, -0.05], [0.20, 0.40, 0.10, 0.0]]),
    bm25=np.array([[0.0, 2.0, 4.0, 0.0], [3.0, 0.0, 0.0, 1.0]]),
    shared_kpis=np.array([[0.0, 1.0, 1.0, 0.0], [0.5, 0.0, 0.5, 0.0]]),
    solution_sides=EVAL_SET.solution_sides(),
)


# -- Metrics --------------------------------------------------------------------------------------------


def test_metrics_of_no_cases_are_zero() -> None:
    metrics = Metrics()
    assert (metrics.count, metrics.recall(1), metrics.recall(10), metrics.mrr) == (0, 0.0, 0.0, 0.0)


def test_metrics_count_a_rank_at_each_cutoff_it_reaches_and_a_miss_as_zero() -> None:
    metrics = Metrics()
    for rank in (1, 5, 10, 11, None):
        metrics.add(rank)
    assert metrics.count == 5
    assert metrics.hits == {1: 1, 5: 2, 10: 3}
    assert (metrics.recall(1), metrics.recall(5), metrics.recall(10)) == (0.2, 0.4, 0.6)
    assert metrics.mrr == pytest.approx((1 + 1 / 5 + 1 / 10 + 1 / 11) / 5)


# -- each ranking over the hand-built tables ------------------------------------------------------------


def test_raw_dense_orders_by_the_raw_cosines() -> None:
    assert rank_solutions(TABLES, "dense, raw vectors") == [[3, 0, 1, 2], [3, 2, 1, 0]]


def test_dense_orders_every_solution_by_the_centred_cosines() -> None:
    assert rank_solutions(TABLES, "dense") == [[0, 1, 2, 3], [1, 0, 2, 3]]


def test_lexical_leaves_out_solutions_with_a_zero_bm25() -> None:
    assert rank_solutions(TABLES, "lexical") == [[2, 1], [0, 3]]


def test_shared_kpis_leave_out_solutions_sharing_none_and_keep_ties_in_file_order() -> None:
    assert rank_solutions(TABLES, "shared KPIs") == [[1, 2], [0, 2]]


def test_shared_kpis_keep_file_order_among_many_ties() -> None:
    # Long enough that an unstable sort would shuffle the ties.
    case = _case("n0", "no", ("A", "B"), "s0", "no")
    shares = [1.0 if position % 3 else 0.5 for position in range(30)]
    tables = ScoreTables(
        cases=[case],
        raw_dense=np.zeros((1, 30)),
        dense=np.zeros((1, 30)),
        bm25=np.zeros((1, 30)),
        shared_kpis=np.array([shares]),
        solution_sides=_eval_set(30).solution_sides(),
    )
    halves = list(range(0, 30, 3))
    wholes = [position for position in range(30) if position not in halves]
    assert rank_solutions(tables, "shared KPIs") == [wholes + halves]


def test_rrf_sums_one_over_sixty_plus_rank_of_both_lists() -> None:
    # Case 0: s2 has 1/63 + 1/61, s1 2/62 (a hair less), s0 1/61, s3 1/64.
    # Case 1: s0 1/62 + 1/61, s3 1/64 + 1/62, s1 1/61, s2 1/63.
    assert rank_solutions(TABLES, "rrf") == [[2, 1, 0, 3], [0, 3, 1, 2]]


def test_final_is_similarity_plus_the_weighted_kpi_share_with_ties_by_position() -> None:
    # Case 0: 0.30, 0.28 + 0.4, 0.05 + 0.4, -0.05. Case 1: 0.20 + 0.2 and 0.40 tie at 0.4; 0.10 + 0.2; 0.0.
    assert rank_solutions(TABLES, "final", FINAL_SIGNALS) == [[1, 2, 0, 3], [0, 1, 2, 3]]


def test_an_unknown_ranking_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown ranking 'bm42'"):
        rank_solutions(TABLES, "bm42")


def test_fused_rankings_draw_the_services_pool_but_rank_it_beyond_the_page() -> None:
    # 60 solutions: dense prefers lower positions, BM25 finds only the last one.
    case = _case("n0", "no", (), "s59", "no")
    eval_set = _eval_set(60, cases=[case])
    tables = ScoreTables(
        cases=[case],
        raw_dense=np.zeros((1, 60)),
        dense=np.array([[1.0 - position / 100 for position in range(60)]]),
        bm25=np.array([[0.0] * 59 + [5.0]]),
        shared_kpis=np.zeros((1, 60)),
        solution_sides=eval_set.solution_sides(),
    )
    pool = [*range(50), 59]  # the dense top 50 and the one BM25 hit, not just a page of 10
    assert rank_solutions(tables, "final", FINAL_SIGNALS) == [pool]
    assert sorted(rank_solutions(tables, "rrf")[0]) == pool
    assert rank_solutions(tables, "dense") == [list(range(60))]  # one signal alone reaches every solution
    assert rank_solutions(tables, "lexical") == [[59]]


# -- reports and the fit --------------------------------------------------------------------------------


def test_report_finds_the_rank_of_the_relevant_solution_per_language_pair() -> None:
    report = report_for(EVAL_SET, TABLES, "final", encoder="e5", split="train", signals=FINAL_SIGNALS)
    assert (report.encoder, report.split, report.ranking) == ("e5", "train", "final")
    assert report.overall.count == 2
    assert report.overall.mrr == 0.75  # s2 second for case 0, s0 first for case 1
    assert report.by_pair["no->en"].hits == {1: 0, 5: 1, 10: 1}
    assert report.by_pair["en->no"].hits == {1: 1, 5: 1, 10: 1}


def test_report_counts_a_relevant_solution_the_ranking_never_reaches_as_a_miss() -> None:
    case = _case("n0", "no", ("A",), "s3", "no")
    tables = ScoreTables(
        [case],
        TABLES.raw_dense[:1],
        TABLES.dense[:1],
        TABLES.bm25[:1],
        TABLES.shared_kpis[:1],
        TABLES.solution_sides,
    )
    report = report_for(EVAL_SET, tables, "lexical", encoder="e5", split="train")
    assert report.overall.count == 1
    assert report.overall.mrr == 0.0 and report.overall.recall(10) == 0.0


def test_fit_weights_scores_each_weight_pair_and_choose_weights_picks_the_lightest_best() -> None:
    results = fit_weights(EVAL_SET, TABLES, grid=(0.0, 1.0))
    assert [weights for weights, _mrr in results] == [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
    assert [mrr for _weights, mrr in results] == pytest.approx([5 / 12, 0.75, 1.0, 1.0])
    assert choose_weights(results) == (1.0, 0.0)


def test_fit_weights_refuses_cases_outside_the_train_split() -> None:
    heldout = dataclasses.replace(CASES[0], split="heldout")
    tables = ScoreTables(
        [CASES[1], heldout],
        TABLES.raw_dense,
        TABLES.dense,
        TABLES.bm25,
        TABLES.shared_kpis,
        TABLES.solution_sides,
    )
    with pytest.raises(ValueError, match="train split only"):
        fit_weights(EVAL_SET, tables, grid=(0.0,))


def _metrics(*ranks: int | None) -> Metrics:
    metrics = Metrics()
    for rank in ranks:  # one relevant solution: nDCG is the discount of its rank
        metrics.add(rank, 1 / np.log2(rank + 1) if rank else 0.0)
    return metrics


def test_format_reports_lists_pairs_in_order_then_overall_with_a_row_per_ranking() -> None:
    dense = EvalReport(
        "e5", "heldout", "dense", _metrics(3, 1), {"no->en": _metrics(3), "en->no": _metrics(1)}
    )
    final = EvalReport("e5", "heldout", "final", _metrics(1), {"no->en": _metrics(1)})
    assert format_reports([dense, final]).splitlines() == [
        "encoder e5 | split heldout",
        "| pair | n | ranking | R@1 | R@5 | R@10 | MRR | nDCG@10 |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
        "| en->no | 1 | dense | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 |",
        "| en->no | 0 | final | 0.000 | 0.000 | 0.000 | 0.000 | 0.000 |",
        "| no->en | 1 | dense | 0.000 | 1.000 | 1.000 | 0.333 | 0.500 |",
        "| no->en | 1 | final | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 |",
        "| overall | 2 | dense | 0.500 | 1.000 | 1.000 | 0.667 | 0.750 |",
        "| overall | 1 | final | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 |",
    ]


def test_format_reports_of_nothing_is_empty() -> None:
    assert format_reports([]) == ""


# -- loading --------------------------------------------------------------------------------------------


def test_load_eval_set_reads_texts_languages_kpis_and_the_relevant_language(tmp_path: Path) -> None:
    path = tmp_path / "eval.json"
    document = {
        "solutions": [
            {
                "id": "s1",
                "title": " Leak sensors ",
                "description": "Find leaks. ",
                "language": "en",
                "kpi_codes": ["K1"],
            },
            {"id": "s2", "title": "Brøyting", "description": "Roboter", "language": "no", "kpi_codes": []},
        ],
        "needs": [
            {
                "id": "n1",
                "title": "Vanntap",
                "description": "Vi mister vann",
                "language": "no",
                "kpi_codes": ["K1"],
                "relevant": ["s1", "s2"],
                "split": "heldout",
            }
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    eval_set = load_eval_set(path)
    assert eval_set.solution_ids == ["s1", "s2"]
    assert eval_set.solution_texts == ["Leak sensors\nFind leaks.", "Brøyting\nRoboter"]
    assert eval_set.solution_kpis == [("K1",), ()]
    assert eval_set.solution_sides() == {
        0: Side(kind="solution", id=0, language="en", kpi_codes=("K1",)),
        1: Side(kind="solution", id=1, language="no", kpi_codes=()),
    }
    (case,) = eval_set.cases
    assert (case.need_id, case.text, case.split) == ("n1", "Vanntap\nVi mister vann", "heldout")
    assert case.relevant == {"s1", "s2"}
    assert case.relevant_language == "en"  # the first relevant solution's
    assert case.side == Side(kind="need", language="no", kpi_codes=("K1",))
    assert case.document.texts == [("Vanntap\nVi mister vann", "no")]


def test_a_query_set_is_ranked_over_its_catalogue_with_the_language_detected() -> None:
    eval_set = load_eval_set(Path(__file__).resolve().parents[3] / "seed_data/eval/short_queries.json")
    catalogue = {case for case in eval_set.solution_ids}
    leak = next(case for case in eval_set.cases if case.text == "Vi mister mye drikkevann i lekkasjer")
    assert leak.side == Side(kind="text", language="no", kpi_codes=())
    assert leak.group == "no query"
    assert leak.highly_relevant and leak.highly_relevant <= leak.relevant <= catalogue
    assert leak.document.texts == [("Vi mister mye drikkevann i lekkasjer", "no")]
    assert any(not case.relevant for case in eval_set.cases)  # queries with no good answer are kept


# -- nDCG -----------------------------------------------------------------------------------------------


def test_ndcg_weighs_a_direct_answer_above_a_related_one_and_rank_by_its_discount() -> None:
    case = dataclasses.replace(
        _case("q", "no", (), "a", ""), relevant=frozenset({"a", "b"}), highly_relevant=frozenset({"a"})
    )
    assert case.ndcg(["a", "b"]) == pytest.approx(1.0)
    ideal = 3 + 1 / np.log2(3)
    assert case.ndcg(["b", "a"]) == pytest.approx((1 + 3 / np.log2(3)) / ideal)
    assert case.ndcg(["x", "a"]) == pytest.approx((3 / np.log2(3)) / ideal)
    assert case.ndcg(["x"] * 10 + ["a"]) == 0.0  # beyond the depth of 10


def test_a_query_without_answers_is_left_out_of_the_ranking_metrics() -> None:
    answered = _case("n1", "no", (), "s0", "no")
    unanswerable = dataclasses.replace(_case("n2", "no", (), "s0", "no"), relevant=frozenset())
    eval_set = _eval_set(2, cases=[answered, unanswerable])
    tables = ScoreTables(
        cases=[answered, unanswerable],
        raw_dense=np.array([[0.9, 0.1], [0.5, 0.4]]),
        dense=np.array([[0.9, 0.1], [0.5, 0.4]]),
        bm25=np.zeros((2, 2)),
        shared_kpis=np.zeros((2, 2)),
        solution_sides=eval_set.solution_sides(),
    )
    report = report_for(eval_set, tables, "dense", encoder="e", split="all")
    assert (report.overall.count, report.overall.recall(1), report.overall.ndcg) == (1, 1.0, 1.0)


def test_the_suggested_kpis_weight_is_fitted_on_train_cases_with_the_needs_codes_hidden() -> None:
    untagged = without_need_kpis(EVAL_SET)
    assert [case.kpi_codes for case in untagged.cases] == [(), ()]
    assert untagged.solution_kpis == EVAL_SET.solution_kpis  # the solutions keep theirs
    # Case 0 has A suggested, which s1 and its answer s2 carry; case 1 has B, which only its answer s0 carries.
    sides = [
        dataclasses.replace(case, kpi_codes=()).side._replace(suggested_kpis=(kpi,))
        for case, kpi in zip(CASES, [("A", 0.9), ("B", 0.9)], strict=True)
    ]
    tables = dataclasses.replace(TABLES, case_sides=sides)
    results = fit_suggested_kpis_weight(untagged, tables, grid=(0.0, 1.0))
    assert [weights for weights, _mrr in results] == [(0.0,), (1.0,)]
    # Without the signal the answers rank 3rd and 2nd; with it 2nd (behind s1, which carries A too) and 1st.
    assert [mrr for _weights, mrr in results] == pytest.approx([(1 / 3 + 1 / 2) / 2, (1 / 2 + 1) / 2])
    heldout = dataclasses.replace(tables, cases=[dataclasses.replace(CASES[0], split="heldout"), CASES[1]])
    with pytest.raises(ValueError, match="train split only"):
        fit_suggested_kpis_weight(untagged, heldout, grid=(0.0,))
