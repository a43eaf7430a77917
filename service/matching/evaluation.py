"""Matching quality on an evaluation set with known answers: R@1, R@5, R@10 and MRR per language pair."""

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from embeddings import Encoder, LanguageCentroids, VectorIndex
from service.matching.repository import record_text
from service.matching.scoring import candidate_count, combined_score, kpi_overlap

CUTOFFS = (1, 5, 10)


@dataclass(frozen=True)
class EvalCase:
    need_id: str
    text: str
    language: str
    kpi_codes: tuple[str, ...]
    relevant: frozenset[str]
    relevant_language: str
    split: str


@dataclass(frozen=True)
class EvalSet:
    solution_ids: list[str]
    solution_texts: list[str]
    solution_languages: list[str]
    solution_kpis: list[tuple[str, ...]]
    cases: list[EvalCase]


@dataclass
class Metrics:
    count: int = 0
    hits: dict[int, int] = field(default_factory=lambda: dict.fromkeys(CUTOFFS, 0))
    reciprocal_rank_sum: float = 0.0

    def add(self, rank: int | None) -> None:
        self.count += 1
        if rank is None:
            return
        for cutoff in CUTOFFS:
            if rank <= cutoff:
                self.hits[cutoff] += 1
        self.reciprocal_rank_sum += 1.0 / rank

    def recall(self, cutoff: int) -> float:
        return self.hits[cutoff] / self.count if self.count else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal_rank_sum / self.count if self.count else 0.0


@dataclass
class EvalReport:
    encoder: str
    split: str
    method: str
    overall: Metrics
    by_pair: dict[str, Metrics]


def load_eval_set(path: Path) -> EvalSet:
    document = json.loads(path.read_text(encoding="utf-8"))
    solutions = document["solutions"]
    language_of = {item["id"]: item["language"] for item in solutions}
    cases = [
        EvalCase(
            need_id=need["id"],
            text=record_text(need["title"], need["description"]),
            language=need["language"],
            kpi_codes=tuple(need["kpi_codes"]),
            relevant=frozenset(need["relevant"]),
            relevant_language=language_of[need["relevant"][0]],
            split=need["split"],
        )
        for need in document["needs"]
    ]
    return EvalSet(
        solution_ids=[item["id"] for item in solutions],
        solution_texts=[record_text(item["title"], item["description"]) for item in solutions],
        solution_languages=[item["language"] for item in solutions],
        solution_kpis=[tuple(item["kpi_codes"]) for item in solutions],
        cases=cases,
    )


def evaluate_encoder(
    eval_set: EvalSet,
    encoder: Encoder,
    *,
    centroids: LanguageCentroids | None,
    split: str = "all",
    kpi_weight: float | None = None,
) -> EvalReport:
    """Rank the whole solution corpus for every need the way the service does.

    Needs and solutions are encoded as passages (as stored); with `centroids` every vector is centred
    on its language first, which is what the service's index holds. With `kpi_weight`, the dense
    candidates are re-scored with the shared-KPI bonus, as the service does for stored needs.
    """
    cases = [case for case in eval_set.cases if split == "all" or case.split == split]
    solution_vectors = encoder.encode_passages(eval_set.solution_texts)
    need_vectors = encoder.encode_passages([case.text for case in cases])
    if centroids is not None:
        solution_vectors = centroids.apply(solution_vectors, eval_set.solution_languages)
        need_vectors = centroids.apply(need_vectors, [case.language for case in cases])
    index = VectorIndex(encoder.dim)
    index.upsert(np.arange(len(eval_set.solution_ids), dtype=np.int64), solution_vectors)
    rankings = index.search_batch(need_vectors, len(eval_set.solution_ids))
    if kpi_weight is not None:
        rankings = [
            _rescored(hits, case, eval_set, kpi_weight) for hits, case in zip(rankings, cases, strict=True)
        ]
    overall = Metrics()
    by_pair: dict[str, Metrics] = defaultdict(Metrics)
    for case, hits in zip(cases, rankings, strict=True):
        ranked_ids = [eval_set.solution_ids[position] for position, _score in hits]
        rank = next((place + 1 for place, sid in enumerate(ranked_ids) if sid in case.relevant), None)
        overall.add(rank)
        by_pair[f"{case.language}->{case.relevant_language}"].add(rank)
    method = "dense, language-centred" if centroids is not None else "dense, raw vectors"
    if kpi_weight is not None:
        method += f" + shared KPIs (weight {kpi_weight:g})"
    return EvalReport(
        encoder=encoder.model_id, split=split, method=method, overall=overall, by_pair=dict(by_pair)
    )


def _rescored(
    hits: list[tuple[int, float]], case: EvalCase, eval_set: EvalSet, weight: float
) -> list[tuple[int, float]]:
    """The service's re-scoring: only the top dense candidates compete, the rest keep their order below."""
    cut = candidate_count(1)
    head = [
        (
            position,
            combined_score(score, kpi_overlap(case.kpi_codes, eval_set.solution_kpis[position]), weight),
        )
        for position, score in hits[:cut]
    ]
    return sorted(head, key=lambda hit: -hit[1]) + hits[cut:]


def fit_kpi_weight(
    eval_set: EvalSet, encoder: Encoder, centroids: LanguageCentroids, grid: Sequence[float]
) -> list[tuple[float, float]]:
    """MRR on the train split for each weight in `grid`; never looks at the held-out split."""
    return [
        (
            weight,
            evaluate_encoder(
                eval_set, encoder, centroids=centroids, split="train", kpi_weight=weight
            ).overall.mrr,
        )
        for weight in grid
    ]


def format_report(report: EvalReport) -> str:
    header = f"encoder {report.encoder} | ranking {report.method} | split {report.split}"
    lines = [header, "| pair | n | R@1 | R@5 | R@10 | MRR |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    rows = [*sorted(report.by_pair.items()), ("overall", report.overall)]
    for name, metrics in rows:
        lines.append(
            f"| {name} | {metrics.count} | {metrics.recall(1):.3f} | {metrics.recall(5):.3f} | "
            f"{metrics.recall(10):.3f} | {metrics.mrr:.3f} |"
        )
    return "\n".join(lines)
