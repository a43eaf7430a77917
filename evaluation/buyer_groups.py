"""Measure the buyer-group parameters: pair precision and recall over a grid, on labelled needs.

Run on a database seeded with the demo (`innomatch seed --demo`, which also generates the gap needs):
`python -m evaluation.buyer_groups [DATABASE_URL]`. It prints the table kept in docs/buyer-groups.md,
from which the parameters of service/buyer_groups/clustering.py were chosen. The demo needs are read
with their stored vectors; the written needs of seed_data/eval/buyer_groups.json are encoded and
centred as the index would hold them.
"""

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from sqlalchemy import select

from embeddings import load_encoder
from service.buyer_groups.clustering import NeedPoint, cluster_labels, problem_distances
from service.config import get_settings
from service.db import make_engine, make_session_factory
from service.indexing import load_or_fit_centroids, record_text
from service.indexing.repository import vectors_of
from service.models import Need

LABELLED_NEEDS = Path(__file__).resolve().parents[1] / "seed_data" / "eval" / "buyer_groups.json"
GRID = (
    ("average", 0.0, (0.6, 0.65, 0.7)),
    ("average", 0.2, (0.6, 0.65, 0.7)),
    ("average", 0.4, (0.6, 0.65, 0.675, 0.7, 0.75)),
    ("complete", 0.4, (0.6, 0.65, 0.7, 0.75)),
)


@dataclass(frozen=True)
class WrittenNeed:
    label: str
    municipality_number: str
    language: str
    kpi_codes: tuple[str, ...]
    title: str
    description: str


@dataclass(frozen=True)
class SeededLabel:
    """The label of a demo need (by its seed key) and the labels it might also be taken for."""

    label: str
    maybe: frozenset[str]


@dataclass(frozen=True)
class CalibrationSet:
    written_needs: list[WrittenNeed]
    seeded_labels: dict[str, SeededLabel]
    debatable_pairs: frozenset[frozenset[str]]


def load_calibration_set(path: Path = LABELLED_NEEDS) -> CalibrationSet:
    document = json.loads(path.read_text(encoding="utf-8"))
    return CalibrationSet(
        written_needs=[
            WrittenNeed(**{**need, "kpi_codes": tuple(need["kpi_codes"])})
            for need in document["written_needs"]
        ],
        seeded_labels={
            key: SeededLabel(item["label"], frozenset(item["maybe"]))
            for key, item in document["seeded_labels"].items()
        },
        debatable_pairs=frozenset(frozenset(pair["labels"]) for pair in document["debatable_pairs"]),
    )


@dataclass(frozen=True)
class Labelled:
    point: NeedPoint
    label: str
    maybe: frozenset[str]
    written: bool  # by a person (the demo's and the calibration set's), not generated from a gap


@dataclass(frozen=True)
class PairScore:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def pair_truth(
    items: Sequence[Labelled], debatable: frozenset[frozenset[str]]
) -> dict[tuple[int, int], bool]:
    """Same problem or not for every pair whose answer is not debatable."""
    truth = {}
    for i, j in combinations(range(len(items)), 2):
        first, second = items[i], items[j]
        if first.label == second.label:
            truth[(i, j)] = True
        elif not (
            frozenset((first.label, second.label)) in debatable
            or second.label in first.maybe
            or first.label in second.maybe
        ):
            truth[(i, j)] = False
    return truth


def pair_scores(labels: Sequence[int], truth: dict[tuple[int, int], bool]) -> PairScore:
    together_and_same = together = same = 0
    for (i, j), is_same in truth.items():
        is_together = labels[i] == labels[j]
        together_and_same += is_together and is_same
        together += is_together
        same += is_same
    return PairScore(
        together_and_same / together if together else 1.0, together_and_same / same if same else 1.0
    )


def load_labelled(database_url: str, calibration: CalibrationSet) -> list[Labelled]:
    settings = get_settings()
    encoder = load_encoder(settings.encoder, threads=settings.encoder_threads)
    session_factory = make_session_factory(make_engine(database_url))
    centroids = load_or_fit_centroids(session_factory, encoder)
    items = []
    with session_factory() as session:
        needs = list(session.scalars(select(Need).where(Need.status == "open").order_by(Need.id)))
        stored = vectors_of(session, kind="need", model_id=encoder.model_id, owner_ids=[n.id for n in needs])
    for need in needs:
        if need.id not in stored:
            continue
        raw, language = stored[need.id]
        vector = centroids.apply(raw.reshape(1, -1), [language])[0]
        gap_problem = need.gap_key.split(":", 1)[1] if need.gap_key else None
        if gap_problem is not None:
            label, maybe, written = f"gap:{need.kpi_codes[0]}", frozenset[str](), False
        else:
            seeded = calibration.seeded_labels.get(need.seed_key or "")
            label = seeded.label if seeded else f"own:{need.id}"
            maybe, written = (seeded.maybe if seeded else frozenset()), True
        point = NeedPoint(need.id, vector, frozenset(need.kpi_codes), gap_problem)
        items.append(Labelled(point, label, maybe, written))
    texts = [record_text(item.title, item.description) for item in calibration.written_needs]
    vectors = centroids.apply(
        encoder.encode_passages(texts), [item.language for item in calibration.written_needs]
    )
    for position, (labelled, vector) in enumerate(zip(calibration.written_needs, vectors, strict=True)):
        point = NeedPoint(-1 - position, vector, frozenset(labelled.kpi_codes), None)
        items.append(Labelled(point, labelled.label, frozenset(), True))
    return items


def table_rows(items: Sequence[Labelled], calibration: CalibrationSet) -> list[str]:
    truth = pair_truth(items, calibration.debatable_pairs)
    written_truth = {
        pair: same for pair, same in truth.items() if items[pair[0]].written and items[pair[1]].written
    }
    points = [item.point for item in items]
    rows = []
    for linkage, kpi_weight, thresholds in GRID:
        distances = problem_distances(points, kpi_weight=kpi_weight)
        for threshold in thresholds:
            labels = cluster_labels(distances, threshold=threshold, linkage=linkage)
            everything, written = pair_scores(labels, truth), pair_scores(labels, written_truth)
            rows.append(
                f"| {linkage} | {kpi_weight} | {threshold} | {everything.precision:.3f} | {everything.recall:.3f} "
                f"| {written.precision:.3f} | {written.recall:.3f} | {written.f1:.3f} |"
            )
    no_rule = cluster_labels(problem_distances(points, template_rule=False))
    rows.append(
        f"without the template rule (average, 0.4, 0.675): all P {pair_scores(no_rule, truth).precision:.3f}"
    )
    sizes = (len(items), sum(truth.values()), sum(written_truth.values()))
    rows.append(f"{sizes[0]} needs, {sizes[1]} same-problem pairs, {sizes[2]} of them between written needs")
    return rows


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else get_settings().resolved_database_url
    calibration = load_calibration_set()
    print("\n".join(table_rows(load_labelled(url, calibration), calibration)))
