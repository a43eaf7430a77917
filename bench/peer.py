"""The same vectors in an embedded vector database users would otherwise pick (chromadb), side by side
with our in-process index: ingest time, query latency and recall@10 against exact search.

Both sides get the index form of the vectors (language-centred, unit length) and the same query
vectors (the stored needs'); chromadb is given embeddings directly (no embedding function), cosine
space, its default HNSW settings. Everything here runs in the bench process, with no server running.
"""

import importlib
import importlib.metadata
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from bench.stats import Latency
from embeddings import VectorIndex

TOP_K = 10
_EXACT_CHUNK = 100_000


@dataclass(frozen=True)
class SearchSide:
    name: str
    ingest_seconds: float
    latency: Latency  # one query at a time, after warm-up
    recall_at_10: float


@dataclass(frozen=True)
class PeerResult:
    size: int
    distinct_queries: int
    # Mean exact score of the 10th minus the 11th neighbour: near zero means the top 10 is nearly a
    # tie, which any approximate index finds hard to get exactly right.
    score_gap_10_11: float
    ours: SearchSide
    peer: SearchSide | None
    skipped: str | None  # why the peer was not measured


def exact_top_k(vectors: np.ndarray, queries: np.ndarray, k: int = TOP_K) -> tuple[np.ndarray, np.ndarray]:
    """(row positions, scores) of each query's k highest inner products, best first, by brute force in
    numpy: the ground truth."""
    best_scores = np.empty((len(queries), 0), dtype=np.float32)
    best_rows = np.empty((len(queries), 0), dtype=np.int64)
    for start in range(0, len(vectors), _EXACT_CHUNK):
        scores = queries @ vectors[start : start + _EXACT_CHUNK].T
        merged_scores = np.concatenate([best_scores, scores], axis=1)
        merged_rows = np.concatenate(
            [best_rows, np.broadcast_to(np.arange(start, start + scores.shape[1]), scores.shape)], axis=1
        )
        keep = min(k, merged_scores.shape[1])
        top = np.argpartition(-merged_scores, keep - 1, axis=1)[:, :keep]
        best_scores = np.take_along_axis(merged_scores, top, axis=1)
        best_rows = np.take_along_axis(merged_rows, top, axis=1)
    order = np.argsort(-best_scores, axis=1)
    return np.take_along_axis(best_rows, order, axis=1), np.take_along_axis(best_scores, order, axis=1)


def recall(found: list[list[int]], truth: list[set[int]]) -> float:
    hits = sum(len(set(ids) & expected) for ids, expected in zip(found, truth, strict=True))
    return hits / sum(len(expected) for expected in truth)


def _timed_queries(search: Any, queries: np.ndarray, *, warmup: int, requests: int) -> Latency:
    for number in range(warmup):
        search(queries[number % len(queries)])
    durations = []
    for number in range(requests):
        started = time.perf_counter()
        search(queries[number % len(queries)])
        durations.append(time.perf_counter() - started)
    return Latency.of(durations)


def measure_ours(
    ids: np.ndarray,
    vectors: np.ndarray,
    queries: np.ndarray,
    truth: list[set[int]],
    *,
    warmup: int,
    requests: int,
) -> SearchSide:
    """embeddings.VectorIndex, the index the service searches, built from vectors already in memory.

    FAISS runs on one OpenMP thread here, as in the service: with its default (all cores) a single small
    query waits on OpenMP's barrier (docs/ann-index.md, "FAISS threads").
    """
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        started = time.perf_counter()
        index = VectorIndex(vectors.shape[1])
        index.upsert(ids, vectors)
        ingest = time.perf_counter() - started
        latency = _timed_queries(
            lambda query: index.search(query, TOP_K), queries, warmup=warmup, requests=requests
        )
        found = [[owner_id for owner_id, _ in index.search(query, TOP_K)] for query in queries]
        layout = index.layout()
    finally:
        faiss.omp_set_num_threads(threads)
    form = f"{layout.kind}, nlist {layout.nlist}, nprobe {layout.nprobe}" if layout.nlist else layout.kind
    return SearchSide(
        f"Innomatch VectorIndex ({form}), in-process, 1 FAISS thread", ingest, latency, recall(found, truth)
    )


def chromadb_version() -> str | None:
    try:
        return importlib.metadata.version("chromadb")
    except importlib.metadata.PackageNotFoundError:
        return None


def measure_chromadb(
    directory: Path,
    ids: np.ndarray,
    vectors: np.ndarray,
    queries: np.ndarray,
    truth: list[set[int]],
    *,
    warmup: int,
    requests: int,
) -> SearchSide:
    chromadb: Any = importlib.import_module("chromadb")
    chroma_config: Any = importlib.import_module("chromadb.config")
    client = chromadb.PersistentClient(
        path=str(directory), settings=chroma_config.Settings(anonymized_telemetry=False)
    )
    try:
        collection = client.create_collection(
            "solutions", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )
        batch = int(client.get_max_batch_size())
        started = time.perf_counter()
        for start in range(0, len(ids), batch):
            collection.add(
                ids=[str(owner_id) for owner_id in ids[start : start + batch].tolist()],
                embeddings=vectors[start : start + batch],
            )
        ingest = time.perf_counter() - started

        def search(query: np.ndarray) -> list[int]:
            answer = collection.query(query_embeddings=[query], n_results=TOP_K, include=["distances"])
            return [int(owner_id) for owner_id in answer["ids"][0]]

        latency = _timed_queries(search, queries, warmup=warmup, requests=requests)
        found = [search(query) for query in queries]
    finally:
        # Chroma keeps one system per path alive in the process; let this one go with its memory.
        shared: Any = importlib.import_module("chromadb.api.shared_system_client")
        shared.SharedSystemClient.clear_system_cache()
    return SearchSide(
        f"chromadb {chromadb_version()} PersistentClient (HNSW, cosine, defaults)",
        ingest,
        latency,
        recall(found, truth),
    )


def compare_with_peer(
    *,
    directory: Path,
    ids: np.ndarray,
    vectors: np.ndarray,
    queries: np.ndarray,
    warmup: int,
    requests: int,
    run_peer: bool,
) -> PeerResult:
    rows, scores = exact_top_k(vectors, queries, TOP_K + 1)
    truth = [set(ids[row[:TOP_K]].tolist()) for row in rows]
    gap = float((scores[:, TOP_K - 1] - scores[:, TOP_K]).mean()) if len(ids) > TOP_K else math.nan
    ours = measure_ours(ids, vectors, queries, truth, warmup=warmup, requests=requests)
    skipped = None
    if not run_peer:
        skipped = "peer skipped at this size (--peer-max-size)"
    elif chromadb_version() is None:
        skipped = "peer skipped: chromadb not installed"
    peer = (
        None
        if skipped
        else measure_chromadb(directory, ids, vectors, queries, truth, warmup=warmup, requests=requests)
    )
    return PeerResult(len(ids), len(queries), gap, ours, peer, skipped)
