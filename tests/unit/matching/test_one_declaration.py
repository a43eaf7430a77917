"""A signal is declared in one place: a toy signal added to the list is scored, explained in both
languages, documented, and used by the evaluation, with nothing else changed."""

import numpy as np

from evaluation.matching import EvalCase, EvalSet, ScoreTables, rank_solutions
from service.indexing import LexicalDocument
from service.matching.explanations import explain
from service.matching.pairs import Side
from service.matching.query import MatchQuery
from service.matching.ranking import rank
from service.matching.schemas import Explanation
from service.matching.signals import SIGNALS, Signal, SignalSet, number_no
from service.models import Solution

TOY = Signal(
    name="toy_norwegian",
    compute=lambda pair: 1.0 if pair.candidate.language == "no" else 0.0,
    weight=0.5,
    description="(1 when the result is written in Norwegian)",
    phrase_en=lambda reason: f"{reason.contribution:+.2f} written in Norwegian",
    phrase_no=lambda reason: f"{number_no(reason.contribution, signed=True)} skrevet på norsk",
)
WITH_TOY = SignalSet([*SIGNALS, TOY])
NEED = Side(kind="need", id=1, language="en")
SOLUTIONS = {7: Side(kind="solution", id=7, language="en"), 8: Side(kind="solution", id=8, language="no")}
TEXT = {7: {"similarity": 0.6, "lexical": 0.0}, 8: {"similarity": 0.5, "lexical": 0.0}}


def test_the_toy_is_scored_in_the_hybrid_ranking() -> None:
    without = rank(NEED, SOLUTIONS, TEXT, ranking="hybrid")
    with_toy = rank(NEED, SOLUTIONS, TEXT, ranking="hybrid", signals=WITH_TOY)
    assert [item.id for item in without] == [7, 8]
    assert [item.id for item in with_toy] == [8, 7]
    assert with_toy[0].parts == {"similarity": 0.5, "toy_norwegian": 0.5}
    assert with_toy[0].score == 1.0
    assert "toy_norwegian" not in with_toy[1].parts  # it adds nothing there, so it is left out


def test_the_toy_takes_no_part_in_a_ranking_by_one_signal() -> None:
    dense = rank(
        NEED, SOLUTIONS, {7: {"similarity": 0.6}, 8: {"similarity": 0.5}}, ranking="dense", signals=WITH_TOY
    )
    assert [item.parts for item in dense] == [{"similarity": 0.6}, {"similarity": 0.5}]


def test_the_toy_is_explained_in_english_and_norwegian() -> None:
    [best, _other] = rank(NEED, SOLUTIONS, TEXT, ranking="hybrid", signals=WITH_TOY)
    query = MatchQuery(
        side=NEED,
        vector=np.zeros(4, dtype=np.float32),
        document=LexicalDocument.of("Water loss", "We lose water in leaks.", "en", []),
        terms=(),
    )
    result = Solution(
        id=8, title="Lekkasjesøk", description="Vi finner lekkasjer.", language="no", kpi_codes=[]
    )
    explanation = explain(query, best, result, {}, signals=WITH_TOY)
    assert explanation.contributions == {"similarity": 0.5, "toy_norwegian": 0.5}
    # "leaks" reaches "lekkasjer" across the languages (the lexical bridge), so the words are named too.
    assert explanation.summary == (
        "text similarity 0.50 between the English need and the Norwegian solution; +0.50 written in Norwegian; "
        "words in common: lekkasjer."
    )
    assert explanation.summary_no == (
        "tekstlikhet 0,50 mellom det engelske behovet og den norske løsningen; +0,50 skrevet på norsk; "
        "felles ord: lekkasjer."
    )


def test_the_toy_is_documented_where_the_api_documents_the_signals() -> None:
    assert "'toy_norwegian' (1 when the result is written in Norwegian)" in WITH_TOY.describe()
    assert Explanation.model_fields["contributions"].description == SIGNALS.describe()
    assert all(f"'{signal.name}'" in SIGNALS.describe() for signal in SIGNALS)


def test_the_evaluation_ranks_with_the_toy() -> None:
    cases = [
        EvalCase(
            need_id="N1",
            text="",
            document=LexicalDocument.of("", "", "en", []),
            language="en",
            kpi_codes=(),
            relevant=frozenset({"S2"}),
            relevant_language="no",
            split="heldout",
        )
    ]
    eval_set = EvalSet(
        solution_ids=["S1", "S2"],
        solution_texts=["", ""],
        solution_documents=[],
        solution_languages=["en", "no"],
        solution_kpis=[(), ()],
        cases=cases,
    )
    tables = ScoreTables(
        cases=cases,
        raw_dense=np.array([[0.6, 0.5]]),
        dense=np.array([[0.6, 0.5]]),
        bm25=np.zeros((1, 2)),
        shared_kpis=np.zeros((1, 2)),
        solution_sides=eval_set.solution_sides(),
    )
    assert rank_solutions(tables, "final") == [[0, 1]]
    assert rank_solutions(tables, "final", WITH_TOY) == [[1, 0]]
