"""Dense-side experiments of issue 19 on the tuning split (decisions) and held-out split (report).

Each variant changes how the query side (a need or a search text) and the candidates are encoded and
centred; the score is the cosine of the resulting vectors, ranked alone (the `dense` ranking).
Run: .venv/bin/python scripts/dev/dense_experiments.py [train|heldout]
"""

import sys
from collections.abc import Callable

import numpy as np

from embeddings import CachingEncoder, LanguageCentroids, load_encoder
from evaluation.matching import DEFAULT_SETS, EvalSet, load_eval_set
from service.indexing.centroids import calibration_corpus

SPLIT = sys.argv[1] if len(sys.argv) > 1 else "train"
encoder = CachingEncoder(load_encoder("e5-small"))
calibration_texts, calibration_languages = calibration_corpus()
calibration_passages = encoder.encode_passages(calibration_texts)
calibration_queries = encoder.encode_queries(calibration_texts)
passage_centroids = LanguageCentroids.fit(calibration_passages, calibration_languages)
query_centroids = LanguageCentroids.fit(calibration_queries, calibration_languages)


def metrics(eval_set: EvalSet, scores: np.ndarray, cases: list) -> str:  # type: ignore[type-arg]
    ranks = []
    for row, case in enumerate(cases):
        order = np.argsort(-scores[row], kind="stable")
        ids = [eval_set.solution_ids[p] for p in order]
        ranks.append(next(i + 1 for i, sid in enumerate(ids) if sid in case.relevant))
    ranks_a = np.array(ranks)
    by_language = {
        language: np.array([r for r, c in zip(ranks, cases, strict=True) if c.language == language])
        for language in ("no", "en")
    }
    parts = [
        f"R@1 {np.mean(ranks_a == 1):.3f} R@5 {np.mean(ranks_a <= 5):.3f} MRR {np.mean(1 / ranks_a):.3f}"
    ]
    for language, r in by_language.items():
        parts.append(f"{language}: R@1 {np.mean(r == 1):.3f} R@5 {np.mean(r <= 5):.3f}")
    return " | ".join(parts)


def centre(vectors: np.ndarray, languages: list[str], centroids: LanguageCentroids) -> np.ndarray:
    return centroids.apply(vectors, languages)


def csls(scores: np.ndarray, pool_scores: np.ndarray, k: int = 10) -> np.ndarray:
    """Cross-domain similarity local scaling: penalise candidates that are near every query (hubs)."""
    hubness = np.sort(pool_scores, axis=0)[-k:].mean(axis=0)
    return 2 * scores - hubness[None, :]


def variants(eval_set: EvalSet, cases: list) -> dict[str, Callable[[], np.ndarray]]:  # type: ignore[type-arg]
    texts = [c.text for c in cases]
    languages = [c.language for c in cases]
    solution_passages = encoder.encode_passages(eval_set.solution_texts)
    s_lang = eval_set.solution_languages
    q_pass = encoder.encode_passages(texts)
    q_query = encoder.encode_queries(texts)
    corpus_centroids = LanguageCentroids.fit(solution_passages, s_lang)
    pool_pass = passage_centroids.apply(calibration_passages, calibration_languages)
    pool_query = query_centroids.apply(calibration_queries, calibration_languages)

    def base() -> np.ndarray:
        return (
            centre(q_pass, languages, passage_centroids)
            @ centre(solution_passages, s_lang, passage_centroids).T
        )

    def raw() -> np.ndarray:
        return q_pass @ solution_passages.T

    def raw_query() -> np.ndarray:
        return q_query @ solution_passages.T

    def as_query() -> np.ndarray:
        return (
            centre(q_query, languages, query_centroids)
            @ centre(solution_passages, s_lang, passage_centroids).T
        )

    def corpus_fit() -> np.ndarray:
        return (
            centre(q_pass, languages, passage_centroids)
            @ centre(solution_passages, s_lang, corpus_centroids).T
        )

    def corpus_both() -> np.ndarray:
        query_corpus = LanguageCentroids.fit(q_pass, languages)
        return centre(q_pass, languages, query_corpus) @ centre(solution_passages, s_lang, corpus_centroids).T

    def query_corpus() -> np.ndarray:
        return (
            centre(q_query, languages, query_centroids)
            @ centre(solution_passages, s_lang, corpus_centroids).T
        )

    def base_csls() -> np.ndarray:
        solutions = centre(solution_passages, s_lang, passage_centroids)
        return csls(base(), pool_pass @ solutions.T)

    def query_csls() -> np.ndarray:
        solutions = centre(solution_passages, s_lang, passage_centroids)
        return csls(as_query(), pool_query @ solutions.T)

    def query_corpus_csls() -> np.ndarray:
        solutions = centre(solution_passages, s_lang, corpus_centroids)
        return csls(query_corpus(), pool_query @ solutions.T)

    return {name: fn for name, fn in locals().items() if callable(fn) and not name.startswith("_")}


for path in DEFAULT_SETS[:2]:
    eval_set = load_eval_set(path)
    cases = [c for c in eval_set.cases if c.split == SPLIT and c.relevant]
    print(f"## {path.name} ({SPLIT}, {len(cases)} cases)")
    for name, fn in variants(eval_set, cases).items():
        print(f"{name:22s} {metrics(eval_set, fn(), cases)}")
