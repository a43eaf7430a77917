"""Matching quality on an evaluation set with known answers: R@1, R@5, R@10 and MRR per language pair."""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from embeddings import Encoder, LanguageCentroids, VectorIndex
from service.matching.repository import record_text

CUTOFFS = (1, 5, 10)


@dataclass(frozen=True)
class EvalCase:
    need_id: str
    text: str
    language: str
    relevant: frozenset[str]
    relevant_language: str
    split: str


@dataclass(frozen=True)
class EvalSet:
    solution_ids: list[str]
    solution_texts: list[str]
    solution_languages: list[str]
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
        cases=cases,
    )


def evaluate_encoder(
    eval_set: EvalSet, encoder: Encoder, *, centroids: LanguageCentroids | None, split: str = "all"
) -> EvalReport:
    """Rank the whole solution corpus for every need the way the service does.

    Needs and solutions are encoded as passages (as stored); with `centroids` every vector is centred
    on its language first, which is what the service's index holds.
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
    overall = Metrics()
    by_pair: dict[str, Metrics] = defaultdict(Metrics)
    for case, hits in zip(cases, rankings, strict=True):
        ranked_ids = [eval_set.solution_ids[position] for position, _score in hits]
        rank = next((place + 1 for place, sid in enumerate(ranked_ids) if sid in case.relevant), None)
        overall.add(rank)
        by_pair[f"{case.language}->{case.relevant_language}"].add(rank)
    method = "dense, language-centred (service)" if centroids is not None else "dense, raw vectors"
    return EvalReport(
        encoder=encoder.model_id, split=split, method=method, overall=overall, by_pair=dict(by_pair)
    )


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
