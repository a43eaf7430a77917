"""Fusion experiments of issue 19 on the tuning split: how to combine the dense and BM25 scores.

Scores come from evaluation.matching.score_tables (the service's encodings, centring and analysis).
Run: .venv/bin/python scripts/dev/fusion_experiments.py [train|heldout]
"""

import sys

import numpy as np

from embeddings import CachingEncoder, load_encoder
from evaluation.matching import DEFAULT_SETS, load_eval_set, score_tables
from service.indexing import fit_centroids
from service.seeding import catalogue_kpi_names

SPLIT = sys.argv[1] if len(sys.argv) > 1 else "train"
encoder = CachingEncoder(load_encoder("e5-small"))
centroids, _ = fit_centroids(encoder)
kpi_names = catalogue_kpi_names()


def first_ranks(scores: np.ndarray, relevant: list[set[int]]) -> np.ndarray:
    ranks = []
    for row, answers in enumerate(relevant):
        order = np.argsort(-scores[row], kind="stable")
        ranks.append(next(place + 1 for place, position in enumerate(order) if position in answers))
    return np.array(ranks)


def describe(ranks: np.ndarray) -> str:
    return f"R@1 {np.mean(ranks == 1):.3f} R@5 {np.mean(ranks <= 5):.3f} MRR {np.mean(1 / ranks):.3f}"


def rank_matrix(scores: np.ndarray) -> np.ndarray:
    order = np.argsort(-scores, axis=1, kind="stable")
    ranks = np.empty_like(order)
    rows = np.arange(scores.shape[0])[:, None]
    ranks[rows, order] = np.arange(1, scores.shape[1] + 1)[None, :]
    return ranks


for path in DEFAULT_SETS[:2]:
    eval_set = load_eval_set(path)
    tables = score_tables(eval_set, encoder, centroids=centroids, kpi_names=kpi_names, split=SPLIT)
    keep = [row for row, case in enumerate(tables.cases) if case.relevant]
    position_of = {sid: p for p, sid in enumerate(eval_set.solution_ids)}
    relevant = [{position_of[s] for s in tables.cases[row].relevant} for row in keep]
    dense, bm25, raw = tables.dense[keep], tables.bm25[keep], tables.raw_dense[keep]
    bm25_max = bm25 / np.maximum(bm25.max(axis=1, keepdims=True), 1e-9)
    dense_ranks, lexical_ranks = rank_matrix(dense), rank_matrix(bm25)
    print(f"## {path.name} ({SPLIT}, {len(keep)})")
    print("dense", describe(first_ranks(dense, relevant)))
    print("lexical", describe(first_ranks(bm25, relevant)))
    for weight in (0.1, 0.15, 0.2, 0.3, 0.4):
        print(f"dense + {weight} bm25/max", describe(first_ranks(dense + weight * bm25_max, relevant)))
    for k in (10, 30, 60):
        for lexical_weight in (0.5, 1.0):
            fused = 1 / (k + dense_ranks) + lexical_weight / (k + lexical_ranks)
            print(f"rrf k={k} lexical x{lexical_weight}", describe(first_ranks(fused, relevant)))
    for weight in (0.1, 0.2, 0.3):
        z = (bm25 - bm25.mean(axis=1, keepdims=True)) / np.maximum(bm25.std(axis=1, keepdims=True), 1e-9)
        d = (dense - dense.mean(axis=1, keepdims=True)) / np.maximum(dense.std(axis=1, keepdims=True), 1e-9)
        print(f"z(dense) + {weight}*z(bm25)... x3", describe(first_ranks(d + 3 * weight * z, relevant)))
