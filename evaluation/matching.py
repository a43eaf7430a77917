"""Matching quality on an evaluation set with known answers: R@1, R@5, R@10, MRR and nDCG@10 per language pair.

Two kinds of set: need -> solution cases (`needs` beside `solutions`) and search queries with graded
relevance over a catalogue (`queries` beside `corpus`, the catalogue's file), which are detected,
encoded and ranked as the search endpoint ranks free text.

Every ranking the service offers is measured on the same encoded texts: dense on raw vectors (to show
what centring buys), dense, lexical (BM25), shared KPIs alone, reciprocal-rank fusion of dense and
lexical, and the final (hybrid) ranking. The service's rankings go through the service's own ranker
(service.matching.ranking: the same candidate pool, every signal of SIGNALS, the same weights); the
facts an evaluation set does not carry (SDGs, CPV codes, TRL, regions, references, feedback) are empty,
so those signals add nothing here. Results beyond the page stay ranked, so that MRR sees every rank.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import product
from pathlib import Path
from typing import Any, Literal

import numpy as np

from embeddings import Encoder, LanguageCentroids, LexicalIndex
from evaluation.kpi_suggestions import KpiSuggestionModel
from service.identifiers import compact_kpi_code
from service.indexing import LexicalDocument, record_text
from service.indexing.kpi_scoring import SuggestedKpi
from service.language import detect_language
from service.matching.features import share_of
from service.matching.pairs import Side
from service.matching.ranking import Hits, fuse_text_signals, rank
from service.matching.scoring import FIT_GRID, Ranking, candidate_count
from service.matching.signals import SIGNALS, SignalSet

CUTOFFS = (1, 5, 10)
NDCG_DEPTH = 10
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = (
    ROOT / "seed_data" / "eval" / "real_cases.json",
    ROOT / "seed_data" / "eval" / "short_queries.json",
    ROOT / "seed_data" / "eval" / "public_eval.json",
)
RANKINGS = ("dense, raw vectors", "dense", "lexical", "shared KPIs", "rrf", "final")
LIMIT = 10  # the service's default page: candidates are drawn for it


@dataclass(frozen=True)
class EvalCase:
    need_id: str
    text: str
    document: LexicalDocument
    language: str
    kpi_codes: tuple[str, ...]
    relevant: frozenset[str]
    relevant_language: str
    split: str
    highly_relevant: frozenset[str] = frozenset()  # graded sets: the direct answers among the relevant
    kind: Literal["need", "text"] = "need"

    @property
    def side(self) -> Side:
        return Side(kind=self.kind, language=self.language, kpi_codes=self.kpi_codes)

    @property
    def group(self) -> str:
        """Where the case is reported: its language pair, or a query's language."""
        if self.kind == "text":
            return f"{self.language} query"
        return f"{self.language}->{self.relevant_language}"

    def gain(self, solution_id: str) -> float:
        """nDCG's gain, 2^grade - 1: a direct answer counts 3, a related one 1, a binary set's answer 1."""
        if solution_id in self.highly_relevant:
            return 3.0
        return 1.0 if solution_id in self.relevant else 0.0

    def ndcg(self, ranked_ids: Sequence[str]) -> float:
        gains = sorted((self.gain(solution_id) for solution_id in self.relevant), reverse=True)
        ideal = _discounted(gains[:NDCG_DEPTH])
        return _discounted([self.gain(solution_id) for solution_id in ranked_ids[:NDCG_DEPTH]]) / ideal


def _discounted(gains: Sequence[float]) -> float:
    return float(sum(gain / np.log2(place + 2) for place, gain in enumerate(gains)))


@dataclass(frozen=True)
class EvalSet:
    solution_ids: list[str]
    solution_texts: list[str]
    solution_documents: list[LexicalDocument]
    solution_languages: list[str]
    solution_kpis: list[tuple[str, ...]]
    cases: list[EvalCase]

    def solution_sides(self) -> dict[int, Side]:
        """The solutions as the ranker sees candidates, by position."""
        return {
            position: Side(kind="solution", id=position, language=language, kpi_codes=kpis)
            for position, (language, kpis) in enumerate(
                zip(self.solution_languages, self.solution_kpis, strict=True)
            )
        }


@dataclass
class Metrics:
    count: int = 0
    hits: dict[int, int] = field(default_factory=lambda: dict.fromkeys(CUTOFFS, 0))
    reciprocal_rank_sum: float = 0.0
    ndcg_sum: float = 0.0

    def add(self, rank: int | None, ndcg: float = 0.0) -> None:
        self.count += 1
        self.ndcg_sum += ndcg
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

    @property
    def ndcg(self) -> float:
        return self.ndcg_sum / self.count if self.count else 0.0


@dataclass
class EvalReport:
    encoder: str
    split: str
    ranking: str
    overall: Metrics
    by_pair: dict[str, Metrics]


@dataclass(frozen=True)
class ScoreTables:
    """Each case's signals against every solution, computed once and ranked many ways."""

    cases: list[EvalCase]
    raw_dense: np.ndarray  # cosine of the raw encoder vectors, cases x solutions
    dense: np.ndarray  # cosine of the language-centred vectors
    bm25: np.ndarray  # raw BM25 scores
    shared_kpis: np.ndarray  # share of the case's KPIs the solution also addresses
    solution_sides: dict[int, Side]  # the candidates as the ranker sees them
    case_sides: list[Side] = field(default_factory=list)  # the queries so, with suggested KPIs; or none

    def query_side(self, row: int) -> Side:
        """The case as the ranker sees it: with its suggested KPIs when the tables carry them."""
        return self.case_sides[row] if self.case_sides else self.cases[row].side


def load_eval_set(path: Path) -> EvalSet:
    document = json.loads(path.read_text(encoding="utf-8"))
    if "queries" in document:
        return _query_set(document)
    solutions = document["solutions"]
    language_of = {item["id"]: item["language"] for item in solutions}
    cases = [
        EvalCase(
            need_id=need["id"],
            text=record_text(need["title"], need["description"]),
            document=LexicalDocument.of(
                need["title"], need["description"], need["language"], need["kpi_codes"]
            ),
            language=need["language"],
            kpi_codes=tuple(compact_kpi_code(code) for code in need["kpi_codes"]),
            relevant=frozenset(need["relevant"]),
            relevant_language=language_of[need["relevant"][0]],
            split=need["split"],
        )
        for need in document["needs"]
    ]
    return _with_solutions(solutions, cases)


def _query_set(document: dict[str, Any]) -> EvalSet:
    """Queries as a person types them: the language is detected and nothing else is known, as in search."""
    solutions = json.loads((ROOT / document["corpus"]).read_text(encoding="utf-8"))["items"]
    cases = []
    for query in document["queries"]:
        language = detect_language(query["query"])
        grades: dict[str, int] = query["relevance"]
        cases.append(
            EvalCase(
                need_id=query["id"],
                text=query["query"],
                document=LexicalDocument([(query["query"], language)], []),
                language=language,
                kpi_codes=(),
                relevant=frozenset(grades),
                relevant_language="",
                split=query["split"],
                highly_relevant=frozenset(key for key, grade in grades.items() if grade >= 2),
                kind="text",
            )
        )
    return _with_solutions([{**item, "id": item["key"]} for item in solutions], cases)


def _with_solutions(solutions: list[dict[str, Any]], cases: list[EvalCase]) -> EvalSet:
    return EvalSet(
        solution_ids=[item["id"] for item in solutions],
        solution_texts=[record_text(item["title"], item["description"]) for item in solutions],
        solution_documents=[
            LexicalDocument.of(item["title"], item["description"], item["language"], item["kpi_codes"])
            for item in solutions
        ],
        solution_languages=[item["language"] for item in solutions],
        solution_kpis=[tuple(item["kpi_codes"]) for item in solutions],
        cases=cases,
    )


def score_tables(
    eval_set: EvalSet,
    encoder: Encoder,
    *,
    centroids: LanguageCentroids,
    kpi_names: dict[str, tuple[str, str]],
    split: str = "all",
    suggester: KpiSuggestionModel | None = None,
) -> ScoreTables:
    """Needs and solutions are encoded as passages (as stored), and centred as the service's index holds them;
    with a `suggester`, each need and solution carries the KPIs suggested from its text, as when stored
    (a search text carries none)."""
    cases = [case for case in eval_set.cases if split == "all" or case.split == split]
    solution_vectors = encoder.encode_passages(eval_set.solution_texts)
    need_vectors = encoder.encode_passages([case.text for case in cases])
    centred_solutions = centroids.apply(solution_vectors, eval_set.solution_languages)
    centred_needs = centroids.apply(need_vectors, [case.language for case in cases])
    lexical = LexicalIndex()
    positions = list(range(len(eval_set.solution_ids)))
    lexical.upsert(positions, [document.terms(kpi_names) for document in eval_set.solution_documents])
    return ScoreTables(
        cases=cases,
        raw_dense=need_vectors @ solution_vectors.T,
        dense=centred_needs @ centred_solutions.T,
        bm25=np.vstack([lexical.scores(case.document.query_terms(kpi_names), positions) for case in cases])
        if cases
        else np.zeros((0, len(positions))),
        shared_kpis=np.array(
            [[share_of(case.kpi_codes, kpis) for kpis in eval_set.solution_kpis] for case in cases]
        ).reshape(len(cases), len(positions)),
        solution_sides=_with_suggestions(
            eval_set.solution_sides(), suggester.suggest(centred_solutions) if suggester else None
        ),
        case_sides=[
            case.side._replace(suggested_kpis=_pairs(suggested)) if case.kind == "need" else case.side
            for case, suggested in zip(
                cases,
                suggester.suggest(centred_needs) if suggester else [[] for _ in cases],
                strict=True,
            )
        ],
    )


def _pairs(suggested: Sequence[SuggestedKpi]) -> tuple[tuple[str, float], ...]:
    return tuple((item.code, item.confidence) for item in suggested)


def _with_suggestions(sides: dict[int, Side], suggested: list[list[SuggestedKpi]] | None) -> dict[int, Side]:
    if suggested is None:
        return sides
    return {
        position: side._replace(suggested_kpis=_pairs(suggested[position]))
        for position, side in sides.items()
    }


def rank_solutions(tables: ScoreTables, ranking: str, signals: SignalSet = SIGNALS) -> list[list[int]]:
    """Per case, solution positions best first; a solution the ranking cannot reach is left out."""
    return [_ranked(tables, row, ranking, signals) for row in range(len(tables.cases))]


SERVICE_RANKINGS: dict[str, Ranking] = {
    "dense": "dense",
    "lexical": "lexical",
    "rrf": "rrf",
    "final": "hybrid",
}


def _ranked(tables: ScoreTables, row: int, ranking: str, signals: SignalSet) -> list[int]:
    if ranking == "dense, raw vectors":
        return _order(tables.raw_dense[row])
    if ranking == "shared KPIs":  # the signal alone: solutions sharing none are out, ties stay in file order
        return [
            position for position in _order(tables.shared_kpis[row]) if tables.shared_kpis[row, position] > 0
        ]
    if ranking not in SERVICE_RANKINGS:
        raise ValueError(f"unknown ranking {ranking!r}")
    service_ranking = SERVICE_RANKINGS[ranking]
    # One signal alone ranks every solution it reaches; the fused rankings draw the service's pool for a page.
    every = len(tables.solution_sides)
    page = every if service_ranking in ("dense", "lexical") else LIMIT
    k = every if page == every else candidate_count(page)
    dense: Hits = [(position, float(tables.dense[row, position])) for position in _order(tables.dense[row])][
        :k
    ]
    lexical: Hits = [
        (position, float(tables.bm25[row, position]))
        for position in _order(tables.bm25[row])
        if tables.bm25[row, position] > 0
    ][:k]
    text = fuse_text_signals(
        service_ranking,
        page,
        dense,
        lexical,
        similarity_of=lambda positions: {p: float(tables.dense[row, p]) for p in positions},
        bm25_of=lambda positions: {p: float(tables.bm25[row, p]) for p in positions},
    )
    scored = rank(
        tables.query_side(row), tables.solution_sides, text, ranking=service_ranking, signals=signals
    )
    return [item.id for item in scored]


def _order(scores: np.ndarray) -> list[int]:
    return [int(position) for position in np.argsort(-scores, kind="stable")]


def report_for(
    eval_set: EvalSet,
    tables: ScoreTables,
    ranking: str,
    *,
    encoder: str,
    split: str,
    signals: SignalSet = SIGNALS,
) -> EvalReport:
    overall = Metrics()
    by_pair: dict[str, Metrics] = defaultdict(Metrics)
    rankings = rank_solutions(tables, ranking, signals)
    for case, ranked in zip(tables.cases, rankings, strict=True):
        if not case.relevant:  # a query with no good answer measures abstention, not ranking
            continue
        ranked_ids = [eval_set.solution_ids[position] for position in ranked]
        rank = next((place + 1 for place, sid in enumerate(ranked_ids) if sid in case.relevant), None)
        overall.add(rank, case.ndcg(ranked_ids))
        by_pair[case.group].add(rank, case.ndcg(ranked_ids))
    return EvalReport(encoder=encoder, split=split, ranking=ranking, overall=overall, by_pair=dict(by_pair))


def fit_weights(
    eval_set: EvalSet, train_tables: ScoreTables, grid: Sequence[float] = FIT_GRID
) -> list[tuple[tuple[float, float], float]]:
    """Train MRR of the final ranking for each (lexical, shared_kpis) weight pair; never sees held-out cases."""
    if any(case.split != "train" for case in train_tables.cases):
        raise ValueError("weights are fitted on the train split only")
    return [
        (
            (lexical, shared_kpis),
            report_for(
                eval_set,
                train_tables,
                "final",
                encoder="",
                split="train",
                signals=SIGNALS.with_weights(lexical=lexical, shared_kpis=shared_kpis),
            ).overall.mrr,
        )
        for lexical, shared_kpis in product(grid, grid)
    ]


def without_need_kpis(eval_set: EvalSet) -> EvalSet:
    """The set as if its needs had no KPI codes (the solutions keep theirs): the case the suggested-KPI signal
    is for, a need written without KPI codes."""
    return replace(eval_set, cases=[replace(case, kpi_codes=()) for case in eval_set.cases])


def fit_suggested_kpis_weight(
    eval_set: EvalSet, train_tables: ScoreTables, grid: Sequence[float] = FIT_GRID
) -> list[tuple[tuple[float], float]]:
    """Train MRR of the final ranking for each weight of the suggested-KPI signal, the other weights as in
    use (score the tables of `without_need_kpis(eval_set)`: where needs carry codes, the signal does
    nothing); never sees held-out cases."""
    if any(case.split != "train" for case in train_tables.cases):
        raise ValueError("weights are fitted on the train split only")
    return [
        (
            (weight,),
            report_for(
                eval_set,
                train_tables,
                "final",
                encoder="",
                split="train",
                signals=SIGNALS.with_weights(suggested_kpis=weight),
            ).overall.mrr,
        )
        for weight in grid
    ]


def format_reports(reports: Iterable[EvalReport]) -> str:
    """One table: a row per (language pair, ranking), the pairs in order and overall last."""
    reports = list(reports)
    if not reports:
        return ""
    first = reports[0]
    lines = [
        f"encoder {first.encoder} | split {first.split}",
        "| pair | n | ranking | R@1 | R@5 | R@10 | MRR | nDCG@10 |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    pairs = sorted({pair for report in reports for pair in report.by_pair})
    for pair in [*pairs, "overall"]:
        for report in reports:
            metrics = report.overall if pair == "overall" else report.by_pair.get(pair, Metrics())
            lines.append(
                f"| {pair} | {metrics.count} | {report.ranking} | {metrics.recall(1):.3f} | "
                f"{metrics.recall(5):.3f} | {metrics.recall(10):.3f} | {metrics.mrr:.3f} | {metrics.ndcg:.3f} |"
            )
    return "\n".join(lines)
