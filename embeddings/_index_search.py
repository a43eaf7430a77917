"""Searching a VectorIndex's FAISS index: exact, or IVF with its filter strategies and exact fallback."""

from __future__ import annotations

import faiss
import numpy as np

from embeddings._index_ids import AllowedIds, PresentIds
from embeddings.ann import IndexPolicy, ivf_search_parameters


def search_exact(
    index: faiss.Index, queries: np.ndarray, limit: int, allowed: AllowedIds | None
) -> tuple[np.ndarray, np.ndarray]:
    params = None
    selector = None
    if allowed is not None:
        params = faiss.SearchParameters()
        # Keep a Python reference: params.sel is a bare C++ pointer that does not own the selector.
        selector = allowed.selector()
        params.sel = selector
    scores, found_ids = index.search(queries, limit, params=params)
    return scores, found_ids


def search_ivf(
    index: faiss.IndexIVF,
    queries: np.ndarray,
    limit: int,
    allowed: AllowedIds | None,
    *,
    policy: IndexPolicy,
    present_ids: PresentIds,
) -> tuple[np.ndarray, np.ndarray]:
    nlist = int(index.nlist)
    count = int(index.ntotal)
    nprobe = int(index.nprobe)  # calibrated when the index was trained; read-only here
    selector = None
    if allowed is not None:
        if allowed.count <= policy.direct_filter_limit(count):
            return search_among(index, queries, limit, allowed.distinct(), present_ids)
        nprobe = policy.filtered_probes(nlist, nprobe, allowed.count / count)
        selector = allowed.selector()
    scores, found_ids = index.search(queries, limit, params=ivf_search_parameters(nprobe, selector))
    # The probed lists can hold fewer than k (allowed) vectors: scan every list for those queries,
    # which is exact because IVFFlat keeps the vectors uncompressed.
    short = found_ids[:, limit - 1] == -1
    if short.any() and nprobe < nlist:
        params = ivf_search_parameters(nlist, selector)
        scores[short], found_ids[short] = index.search(queries[short], limit, params=params)
    return scores, found_ids


def search_among(
    index: faiss.Index, queries: np.ndarray, limit: int, allowed: np.ndarray, present_ids: PresentIds
) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-``limit`` over a small allowed set: its vectors, one matrix product."""
    candidates = allowed[present_ids.among(allowed)]
    vectors = index.reconstruct_batch(candidates) if len(candidates) else np.empty((0, int(index.d)))
    return _top_k(queries @ vectors.T.astype(np.float32, copy=False), candidates, limit)


def _top_k(scores: np.ndarray, ids: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Best ``limit`` columns of each score row, best first, padded like FAISS (-1 ids)."""
    rows = scores.shape[0]
    top_scores = np.full((rows, limit), -np.inf, dtype=np.float32)
    top_ids = np.full((rows, limit), -1, dtype=np.int64)
    found = min(limit, len(ids))
    if found == 0:
        return top_scores, top_ids
    best = np.argpartition(-scores, found - 1, axis=1)[:, :found]
    best_scores = np.take_along_axis(scores, best, axis=1)
    order = np.argsort(-best_scores, axis=1, kind="stable")
    top_scores[:, :found] = np.take_along_axis(best_scores, order, axis=1)
    top_ids[:, :found] = ids[np.take_along_axis(best, order, axis=1)]
    return top_scores, top_ids
