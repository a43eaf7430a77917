"""The arithmetic of KPI suggestions: which U4SSC KPIs a text most likely moves, and how sure that is.

Half of a KPI's score is the text's similarity to the KPI's own texts (the best of its name, definition
and problem statements in both languages), half the votes of the text's ten nearest stored records that
carry KPI codes (each votes for its KPIs with its similarity). A softmax turns the scores into
confidences. Pure: no SQL, no index; the service (kpi_suggestions.py) and the evaluation feed it.
The constants were fitted on the train splits (docs/matching.md, "KPI suggestions").
"""

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

TEXT_SHARE = 0.5  # of a KPI's score from the KPI's own texts; the rest from the neighbours' votes
NEIGHBOURS = 10  # KPI-tagged stored records that vote
TEMPERATURE = 0.022  # of the softmax, fitted on the train splits (innomatch eval --fit)
SUGGESTED = 3  # KPIs suggested per text


class SuggestedKpi(NamedTuple):
    code: str
    confidence: float  # 0..1; the confidences of all KPIs sum to 1


class Neighbour(NamedTuple):
    """A stored record near the text: its similarity and the KPI codes it carries."""

    similarity: float
    kpi_codes: Sequence[str]


def best_per_kpi(similarities: np.ndarray, kpi_of_row: np.ndarray, kpi_count: int) -> np.ndarray:
    """Each KPI's best similarity among its texts, for each row of `similarities` (texts x KPI texts, or one
    text's vector of KPI texts); `kpi_of_row` gives the KPI (a position) of each KPI text. A KPI without
    texts scores -1."""
    matrix = np.atleast_2d(similarities)
    best = np.full((matrix.shape[0], kpi_count), -1.0, dtype=np.float64)
    for kpi in range(kpi_count):
        columns = np.flatnonzero(kpi_of_row == kpi)
        if len(columns):
            best[:, kpi] = matrix[:, columns].max(axis=1)
    return best if similarities.ndim == 2 else best[0]


def neighbour_votes(neighbours: Sequence[Neighbour], position_of: Mapping[str, int]) -> np.ndarray:
    """Each KPI's votes (a position per KPI): the similarities of the neighbours carrying it, over the
    NEIGHBOURS places (0..1).

    A neighbour less similar than unrelated text (a negative cosine) does not vote. Dividing by the places
    rather than by the voters' total keeps a few distant neighbours (a catalogue with few tagged records)
    from voting as loudly as ten close ones. A KPI code not in `position_of` is ignored.
    """
    votes = np.zeros(len(position_of), dtype=np.float64)
    for neighbour in neighbours[:NEIGHBOURS]:
        weight = max(neighbour.similarity, 0.0)
        for code in set(neighbour.kpi_codes):
            position = position_of.get(code)
            if position is not None:
                votes[position] += weight
    return votes / NEIGHBOURS


def kpi_scores(text_similarity: np.ndarray, votes: np.ndarray) -> np.ndarray:
    return TEXT_SHARE * text_similarity + (1.0 - TEXT_SHARE) * votes


def confidences(scores: np.ndarray, temperature: float = TEMPERATURE) -> np.ndarray:
    """Softmax of the scores at `temperature`: a lower one gives the best KPI more of the confidence."""
    if temperature <= 0:
        raise ValueError("the temperature must be positive")
    scaled = np.asarray(scores, dtype=np.float64) / temperature
    scaled -= scaled.max(axis=-1, keepdims=True)  # exp of the largest is 1: no overflow
    weights = np.exp(scaled)
    result: np.ndarray = weights / weights.sum(axis=-1, keepdims=True)
    return result


def top_kpis(codes: Sequence[str], confidence: np.ndarray, count: int = SUGGESTED) -> list[SuggestedKpi]:
    """The `count` most confident KPIs, best first (ties in catalogue order)."""
    order = np.argsort(-confidence, kind="stable")[:count]
    return [SuggestedKpi(codes[position], round(float(confidence[position]), 4)) for position in order]


def suggest(
    codes: Sequence[str],
    text_similarity: np.ndarray,
    neighbours: Sequence[Neighbour],
    *,
    temperature: float = TEMPERATURE,
    count: int = SUGGESTED,
) -> list[SuggestedKpi]:
    """The text's top KPIs: `text_similarity` holds its best similarity to each KPI's texts, in `codes` order."""
    votes = neighbour_votes(neighbours, {code: position for position, code in enumerate(codes)})
    return top_kpis(codes, confidences(kpi_scores(text_similarity, votes), temperature), count)
