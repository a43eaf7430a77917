"""KPI suggestions measured: how often the right U4SSC KPI is the first suggestion (top-1) or among the three
suggested (top-3), and the softmax temperature fitted on the train splits.

A need is labelled when its set says which KPIs its text is about: the real cases' `kpi_area` (1-3
acceptable codes, labelled for this purpose only; see the file's `kpi_area_note`), the older set's
`kpi_codes`. A suggestion is right when a code of the top-1 (top-3) is among them. The need's own codes
are never shown to the suggester: it reads the text only.

The suggestions are the service's (service.indexing.kpi_scoring): the KPI texts of the catalogue, and as
the stored records that vote, the demo needs and solutions a seeded service holds (never the
evaluation sets' records).
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embeddings import Encoder, LanguageCentroids
from service.indexing import record_text
from service.indexing.kpi_scoring import (
    NEIGHBOURS,
    TEMPERATURE,
    Neighbour,
    SuggestedKpi,
    best_per_kpi,
    confidences,
    kpi_scores,
    neighbour_votes,
    top_kpis,
)
from service.indexing.kpi_texts import kpi_texts
from service.seeding import SEED_DIR, catalogue_kpis

VOTER_FILES = ("demo_needs.json", "demo_solutions.json")
TEMPERATURE_GRID = tuple(round(0.002 * step, 3) for step in range(5, 51))  # 0.01 .. 0.1


@dataclass(frozen=True)
class SuggestionCase:
    case_id: str
    text: str
    language: str
    acceptable: frozenset[str]  # the KPI codes a right suggestion may name
    split: str


def suggestion_cases(path: Path) -> list[SuggestionCase]:
    """The labelled needs of an evaluation set (none for a set of search queries)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    cases = []
    for need in document.get("needs", []):
        labels = need["kpi_area"]["kpi_codes"] if "kpi_area" in need else need["kpi_codes"]
        if labels:
            cases.append(
                SuggestionCase(
                    case_id=need["id"],
                    text=record_text(need["title"], need["description"]),
                    language=need["language"],
                    acceptable=frozenset(labels),
                    split=need["split"],
                )
            )
    return cases


@dataclass(frozen=True)
class KpiSuggestionModel:
    """What the service's suggester holds, built from the seed files: no database, no index."""

    codes: list[str]
    kpi_texts: np.ndarray  # one row per KPI text, centred on its language
    kpi_of_row: np.ndarray  # the KPI (a position in codes) of each row
    voters: np.ndarray  # the KPI-tagged records that vote, centred
    voter_codes: list[list[str]]

    @classmethod
    def build(
        cls, encoder: Encoder, centroids: LanguageCentroids, seed_dir: Path = SEED_DIR
    ) -> "KpiSuggestionModel":
        texts = [text for kpi in catalogue_kpis(seed_dir) for text in kpi_texts(kpi)]
        codes = sorted({text.kpi_code for text in texts})
        position = {code: place for place, code in enumerate(codes)}
        voters = [
            item
            for name in VOTER_FILES
            for item in json.loads((seed_dir / name).read_text(encoding="utf-8"))["items"]
            if item["kpi_codes"]
        ]
        return cls(
            codes=codes,
            kpi_texts=centroids.apply(
                encoder.encode_passages([text.text for text in texts]), [text.language for text in texts]
            ),
            kpi_of_row=np.array([position[text.kpi_code] for text in texts], dtype=np.int64),
            voters=centroids.apply(
                encoder.encode_passages([record_text(item["title"], item["description"]) for item in voters]),
                [item["language"] for item in voters],
            ),
            voter_codes=[list(item["kpi_codes"]) for item in voters],
        )

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """Each text's score for each KPI (texts x KPIs), from vectors centred as the service centres them."""
        if len(vectors) == 0:
            return np.zeros((0, len(self.codes)))
        similarity = best_per_kpi(vectors @ self.kpi_texts.T, self.kpi_of_row, len(self.codes))
        position_of = {code: place for place, code in enumerate(self.codes)}
        voter_similarity = vectors @ self.voters.T
        votes = np.vstack(
            [
                neighbour_votes(
                    [
                        Neighbour(float(row[voter]), self.voter_codes[voter])
                        for voter in np.argsort(-row, kind="stable")[:NEIGHBOURS]
                    ],
                    position_of,
                )
                for row in voter_similarity
            ]
        )
        return kpi_scores(similarity, votes)

    def suggest(self, vectors: np.ndarray, temperature: float = TEMPERATURE) -> list[list[SuggestedKpi]]:
        return [top_kpis(self.codes, confidences(row, temperature)) for row in self.scores(vectors)]


@dataclass(frozen=True)
class SuggestionReport:
    set_name: str
    split: str
    count: int
    top1: float
    top3: float
    log_loss: float  # mean -log(confidence of the acceptable KPIs): how well the confidences are calibrated


def encode_cases(
    cases: Sequence[SuggestionCase], encoder: Encoder, centroids: LanguageCentroids
) -> np.ndarray:
    """The cases' texts as the service encodes and centres a need's."""
    if not cases:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return centroids.apply(
        encoder.encode_passages([case.text for case in cases]), [case.language for case in cases]
    )


def log_loss(
    scores: np.ndarray, cases: Sequence[SuggestionCase], codes: Sequence[str], temperature: float
) -> float:
    """Mean -log of the confidence given to the acceptable KPIs together."""
    position = {code: place for place, code in enumerate(codes)}
    confidence = confidences(scores, temperature)
    return float(
        np.mean(
            [
                -np.log(max(sum(row[position[code]] for code in case.acceptable if code in position), 1e-12))
                for row, case in zip(confidence, cases, strict=True)
            ]
        )
    )


def report(
    set_name: str,
    split: str,
    cases: Sequence[SuggestionCase],
    scores: np.ndarray,
    codes: Sequence[str],
    temperature: float = TEMPERATURE,
) -> SuggestionReport:
    top1 = top3 = 0
    for row, case in zip(scores, cases, strict=True):
        suggested = [item.code for item in top_kpis(codes, confidences(row, temperature))]
        top1 += suggested[0] in case.acceptable
        top3 += any(code in case.acceptable for code in suggested)
    count = len(cases)
    return SuggestionReport(
        set_name=set_name,
        split=split,
        count=count,
        top1=top1 / count if count else 0.0,
        top3=top3 / count if count else 0.0,
        log_loss=log_loss(scores, cases, codes, temperature) if count else 0.0,
    )


def fit_temperature(
    scores: np.ndarray,
    cases: Sequence[SuggestionCase],
    codes: Sequence[str],
    grid: Sequence[float] = TEMPERATURE_GRID,
) -> list[tuple[float, float]]:
    """(temperature, log loss) over the grid, on train cases only: the best calibrates the confidences."""
    if any(case.split != "train" for case in cases):
        raise ValueError("the temperature is fitted on the train split only")
    return [(temperature, log_loss(scores, cases, codes, temperature)) for temperature in grid]


def format_suggestion_reports(reports: Iterable[SuggestionReport]) -> str:
    lines = [
        "KPI suggestions (a right KPI among the acceptable ones of the need's label)",
        "| set | split | n | top-1 | top-3 | log loss |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {item.set_name} | {item.split} | {item.count} | {item.top1:.3f} | {item.top3:.3f} | "
        f"{item.log_loss:.3f} |"
        for item in reports
    ]
    return "\n".join(lines)


def evaluate_suggestions(
    paths: Sequence[Path],
    encoder: Encoder,
    centroids: LanguageCentroids,
    model: KpiSuggestionModel,
    *,
    fit: bool = False,
) -> str:
    """The report of `innomatch eval`: per set and split, and with `fit` the temperature's fit on the train
    cases of all the sets together."""
    reports: list[SuggestionReport] = []
    train_scores, train_cases = [], []
    for path in paths:
        cases = suggestion_cases(path)
        if not cases:
            continue
        scores = model.scores(encode_cases(cases, encoder, centroids))
        for split in ("train", "heldout", "all"):
            rows = [row for row, case in enumerate(cases) if split in ("all", case.split)]
            reports.append(report(path.name, split, [cases[row] for row in rows], scores[rows], model.codes))
        train = [row for row, case in enumerate(cases) if case.split == "train"]
        train_scores.append(scores[train])
        train_cases += [cases[row] for row in train]
    text = format_suggestion_reports(reports)
    if fit and train_cases:
        grid = fit_temperature(np.vstack(train_scores), train_cases, model.codes)
        best = sorted(grid, key=lambda item: item[1])[:5]
        text += (
            "\n\ntrain log loss, best temperatures: "
            + ", ".join(f"{temperature:g}: {loss:.3f}" for temperature, loss in best)
            + f"\nchosen {best[0][0]:g} (in use: {TEMPERATURE:g})"
        )
    return text
