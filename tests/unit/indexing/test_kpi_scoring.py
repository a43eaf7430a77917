"""The arithmetic of KPI suggestions on hand-made numbers: the softmax, the neighbours' votes, each KPI's best
text, and how the two halves make the top three."""

import numpy as np
import pytest

from service.indexing.kpi_scoring import (
    NEIGHBOURS,
    SUGGESTED,
    TEMPERATURE,
    Neighbour,
    SuggestedKpi,
    best_per_kpi,
    confidences,
    kpi_scores,
    neighbour_votes,
    suggest,
    top_kpis,
)
from service.indexing.kpi_texts import kpi_texts
from service.models import Kpi

CODES = ["EC-I-WS-3C", "EN-EN-AQ-1C", "EC-I-T-1C"]  # water loss, air quality, transport
POSITION = {code: place for place, code in enumerate(CODES)}


# -- the softmax ---------------------------------------------------------------------------------------


def test_confidences_sum_to_one_and_keep_the_order_of_the_scores() -> None:
    confidence = confidences(np.array([0.40, 0.30, 0.35]))
    assert confidence.sum() == pytest.approx(1.0)
    assert list(np.argsort(-confidence)) == [0, 2, 1]


def test_a_lower_temperature_gives_the_best_kpi_more_of_the_confidence() -> None:
    scores = np.array([0.40, 0.30, 0.35])
    assert confidences(scores, 0.01)[0] > confidences(scores, TEMPERATURE)[0] > confidences(scores, 1.0)[0]
    assert confidences(scores, 1e6) == pytest.approx([1 / 3] * 3)  # hot: no preference left


def test_the_softmax_is_exact_for_a_known_case_and_stable_for_large_scores() -> None:
    # exp(0.1 / 0.05) = e^2 against e^0
    assert confidences(np.array([0.1, 0.0]), 0.05) == pytest.approx(
        [np.e**2 / (np.e**2 + 1), 1 / (np.e**2 + 1)]
    )
    huge = confidences(np.array([1000.0, 999.0]), 0.001)  # exp(1e6) would overflow without the shift
    assert np.isfinite(huge).all() and huge == pytest.approx([1.0, 0.0])


def test_confidences_of_many_texts_are_per_row() -> None:
    rows = confidences(np.array([[0.4, 0.3], [0.1, 0.2]]))
    assert rows.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert rows[0, 0] > rows[0, 1] and rows[1, 1] > rows[1, 0]


@pytest.mark.parametrize("temperature", [0.0, -0.1])
def test_a_temperature_must_be_positive(temperature: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        confidences(np.array([0.1, 0.2]), temperature)


# -- the neighbours' votes ------------------------------------------------------------------------------


def test_each_neighbour_votes_for_its_kpis_with_its_similarity_over_the_places() -> None:
    votes = neighbour_votes(
        [
            Neighbour(0.6, ["EC-I-WS-3C"]),
            Neighbour(0.4, ["EC-I-WS-3C", "EC-I-T-1C"]),
        ],
        POSITION,
    )
    assert votes == pytest.approx([(0.6 + 0.4) / NEIGHBOURS, 0.0, 0.4 / NEIGHBOURS])


def test_ten_close_neighbours_vote_louder_than_one_distant_one() -> None:
    close = neighbour_votes([Neighbour(0.7, ["EC-I-WS-3C"])] * NEIGHBOURS, POSITION)
    distant = neighbour_votes([Neighbour(0.1, ["EC-I-WS-3C"])], POSITION)
    assert close[0] == pytest.approx(0.7)
    assert distant[0] == pytest.approx(0.01)


def test_a_neighbour_less_similar_than_unrelated_text_does_not_vote() -> None:
    votes = neighbour_votes([Neighbour(-0.2, ["EC-I-WS-3C"]), Neighbour(0.0, ["EN-EN-AQ-1C"])], POSITION)
    assert votes == pytest.approx([0.0, 0.0, 0.0])


def test_only_the_nearest_neighbours_vote_and_a_repeated_or_unknown_code_changes_nothing() -> None:
    neighbours = [Neighbour(0.5, ["EC-I-T-1C", "EC-I-T-1C", "XX-UNKNOWN"])] * NEIGHBOURS
    neighbours += [Neighbour(0.9, ["EC-I-WS-3C"])]  # the eleventh: beyond the places
    votes = neighbour_votes(neighbours, POSITION)
    assert votes == pytest.approx([0.0, 0.0, 0.5])


def test_no_neighbours_no_votes() -> None:
    assert neighbour_votes([], POSITION) == pytest.approx([0.0, 0.0, 0.0])


# -- each KPI's best text, the two halves, the top three ------------------------------------------------


def test_each_kpi_takes_its_best_text_and_a_kpi_without_texts_scores_minus_one() -> None:
    kpi_of_row = np.array([0, 0, 2, 2, 2])  # KPI 1 has no texts
    one = best_per_kpi(np.array([0.2, 0.5, 0.1, 0.3, -0.1]), kpi_of_row, 3)
    assert one == pytest.approx([0.5, -1.0, 0.3])
    many = best_per_kpi(np.array([[0.2, 0.5, 0.1, 0.3, -0.1], [0.6, 0.0, 0.0, 0.0, 0.4]]), kpi_of_row, 3)
    np.testing.assert_allclose(many, [[0.5, -1.0, 0.3], [0.6, -1.0, 0.4]])


def test_a_score_is_half_text_likeness_and_half_votes() -> None:
    assert kpi_scores(np.array([0.4, 0.2]), np.array([0.0, 0.6])) == pytest.approx([0.2, 0.4])


def test_top_kpis_are_the_most_confident_first_rounded() -> None:
    top = top_kpis(["A", "B", "C", "D"], np.array([0.1, 0.5, 0.123456, 0.276544]))
    assert top == [SuggestedKpi("B", 0.5), SuggestedKpi("D", 0.2765), SuggestedKpi("C", 0.1235)]
    assert len(top_kpis(CODES, np.array([0.2, 0.3, 0.5]), count=2)) == 2


def test_votes_can_outweigh_a_closer_kpi_text() -> None:
    """The text reads a little more like air quality, but its neighbours are all about water loss."""
    neighbours = [Neighbour(0.5, ["EC-I-WS-3C"])] * NEIGHBOURS
    suggested = suggest(CODES, np.array([0.30, 0.35, 0.10]), neighbours)
    assert [item.code for item in suggested] == ["EC-I-WS-3C", "EN-EN-AQ-1C", "EC-I-T-1C"]
    assert len(suggested) == SUGGESTED
    assert sum(item.confidence for item in suggested) == pytest.approx(1.0, abs=1e-3)
    alone = suggest(CODES, np.array([0.30, 0.35, 0.10]), [])
    assert alone[0].code == "EN-EN-AQ-1C"  # without neighbours the texts decide


# -- the texts of a KPI ---------------------------------------------------------------------------------


def test_a_kpi_is_read_by_its_names_definition_and_problem_statements() -> None:
    kpi = Kpi(
        code="EC-I-WS-3C",
        name_en="Water Supply Loss",
        name_no="Vanntap",
        definition="Percentage of water loss",
        problem_en="We lose drinking water to leaks.",
        problem_no="Vi mister drikkevann i lekkasjer.",
    )
    assert [(text.text_kind, text.language, text.text) for text in kpi_texts(kpi)] == [
        ("name_en", "en", "Water Supply Loss"),
        ("name_no", "no", "Vanntap"),
        ("definition_en", "en", "Water Supply Loss: Percentage of water loss"),
        ("problem_en", "en", "We lose drinking water to leaks."),
        ("problem_no", "no", "Vi mister drikkevann i lekkasjer."),
    ]


def test_a_kpi_without_definition_or_problem_statements_is_read_by_its_names() -> None:
    kpi = Kpi(code="EC-ICT-ICT-1C", name_en="Household Internet Access", name_no="Internett", problem_no="  ")
    assert [text.text_kind for text in kpi_texts(kpi)] == ["name_en", "name_no"]
