"""The KPI-suggestion evaluation on hand-made scores: which needs are labelled, top-1 and top-3, the log
loss, and the temperature fitted on train cases only."""

import json
from pathlib import Path

import numpy as np
import pytest

from evaluation.kpi_suggestions import SuggestionCase, fit_temperature, log_loss, report, suggestion_cases

CODES = ["A", "B", "C", "D"]


def _case(acceptable: set[str], split: str = "train") -> SuggestionCase:
    return SuggestionCase(case_id="n", text="t", language="no", acceptable=frozenset(acceptable), split=split)


def test_real_cases_are_labelled_by_kpi_area_and_the_older_set_by_its_kpi_codes(tmp_path: Path) -> None:
    need = {"title": "Vanntap", "description": "Lekkasjer.", "language": "no", "split": "train"}
    path = tmp_path / "set.json"
    path.write_text(
        json.dumps(
            {
                "needs": [
                    {**need, "id": "a", "kpi_codes": ["X"], "kpi_area": {"kpi_codes": ["A", "B"]}},
                    {**need, "id": "b", "kpi_codes": [], "kpi_area": {"kpi_codes": [], "note": "no area"}},
                    {**need, "id": "c", "kpi_codes": ["C"]},
                    {**need, "id": "d", "kpi_codes": []},
                ]
            }
        )
    )
    cases = suggestion_cases(path)
    assert [(case.case_id, case.acceptable) for case in cases] == [
        ("a", frozenset({"A", "B"})),  # the label, never the need's own codes
        ("c", frozenset({"C"})),
    ]
    assert cases[0].text == "Vanntap\nLekkasjer."


def test_a_suggestion_is_right_when_an_acceptable_kpi_is_first_or_among_the_three() -> None:
    scores = np.array(
        [
            [0.9, 0.1, 0.0, 0.0],  # A first
            [0.9, 0.8, 0.7, 0.0],  # C third
            [0.9, 0.8, 0.7, 0.6],  # D fourth: missed
        ]
    )
    cases = [_case({"A"}), _case({"C", "D"}), _case({"D"})]
    measured = report("set.json", "train", cases, scores, CODES)
    assert (measured.count, measured.top1, measured.top3) == (3, pytest.approx(1 / 3), pytest.approx(2 / 3))


def test_the_log_loss_counts_the_confidence_of_every_acceptable_kpi() -> None:
    scores = np.array([[0.0, 0.0, 0.0, 0.0]])  # each KPI 1/4
    assert log_loss(scores, [_case({"A"})], CODES, 0.05) == pytest.approx(np.log(4))
    assert log_loss(scores, [_case({"A", "B"})], CODES, 0.05) == pytest.approx(np.log(2))


def test_the_temperature_fit_prefers_confidences_that_match_how_often_suggestions_are_right() -> None:
    # The best-scored KPI is right in two cases of three: an overconfident (cold) softmax pays for the third.
    scores = np.array([[0.1, 0.0, 0.0, 0.0]] * 3)
    cases = [_case({"A"}), _case({"A"}), _case({"B"})]
    by_temperature = dict(fit_temperature(scores, cases, CODES, grid=(0.005, 0.05, 5.0)))
    assert min(by_temperature, key=lambda temperature: by_temperature[temperature]) == 0.05


def test_the_temperature_is_never_fitted_on_held_out_cases() -> None:
    with pytest.raises(ValueError, match="train split only"):
        fit_temperature(np.zeros((1, 4)), [_case({"A"}, split="heldout")], CODES)
