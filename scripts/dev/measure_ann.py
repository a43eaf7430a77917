"""Measure exact vs IVF search of VectorIndex: recall@10 against exact search, latency, memory.

Real vectors: seed texts encoded once with e5-small (as the service does), centred on their language
like the service's index, cached as .npy (``--real-vectors``; ``--encode`` makes the cache, slowly).
Larger sets are synthesised from them; say which in any report:

- ``mixture``: each vector a random convex mixture (Dirichlet weights) of 3 real vectors plus Gaussian
  noise of ``--noise`` times the mixture's norm, re-normalised; keeps the real vectors' directions
  and spread without copying them.
- ``random``: plain random unit vectors, the pessimistic case (no structure for the lists to follow).

Queries come from the same generator with another seed (they are not in the index).
Latencies: one query at a time, one FAISS thread, median and p95, on a shared 2-core machine, so
indicative only. Memory: growth of the process's resident set while the index was built.

Example (the table in docs/ann-index.md):
    .venv/bin/python scripts/dev/measure_ann.py --sizes 10000 100000 1000000 --data mixture random
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from embeddings.ann import IndexPolicy, ivf_search_parameters, trained_ivf
from embeddings.index import VectorIndex

K = 10
SEED_TEXT_FILES = (
    ("seed_data/eval/public_eval.json", "solutions"),
    ("seed_data/eval/public_eval.json", "needs"),
    ("seed_data/demo_solutions.json", "items"),
    ("seed_data/demo_needs.json", "items"),
)


@dataclass
class Row:
    size: int
    data: str
    kind: str
    nlist: str = ""
    nprobe: str = ""
    recall: float = 1.0
    real_recall: float | None = 1.0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    memory_mb: float = 0.0
    build_s: float = 0.0
    note: str = ""


# --- vectors ----------------------------------------------------------------------------------------


def encode_seed_texts(cache: Path) -> None:
    """Encode every seed text with e5-small as a passage, centre per language, save to ``cache``."""
    from embeddings import LanguageCentroids, load_encoder
    from service.language import detect_language

    root = Path(__file__).resolve().parents[2]
    texts = []
    for file_name, key in SEED_TEXT_FILES:
        for record in json.loads((root / file_name).read_text(encoding="utf-8"))[key]:
            texts.append(f"{record['title'].strip()}\n{record['description'].strip()}")
    vectors = load_encoder("e5-small", threads=1).encode_passages(texts)
    languages = [detect_language(text) for text in texts]
    centred = LanguageCentroids.fit(vectors, languages).apply(vectors, languages)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, centred.astype(np.float32))


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def synthesise(kind: str, count: int, *, real: np.ndarray, noise: float, seed: int) -> np.ndarray:
    """``count`` unit vectors of the given kind, made in chunks to bound temporary memory."""
    rng = np.random.default_rng(seed)
    dim = real.shape[1]
    out = np.empty((count, dim), dtype=np.float32)
    for start in range(0, count, 100_000):
        rows = min(100_000, count - start)
        if kind == "random":
            chunk = rng.standard_normal((rows, dim), dtype=np.float32)
        else:
            parents = rng.integers(0, len(real), size=(rows, 3))
            weights = rng.dirichlet(np.ones(3), size=rows).astype(np.float32)
            chunk = np.einsum("rp,rpd->rd", weights, real[parents])
            scale = noise * np.linalg.norm(chunk, axis=1, keepdims=True) / math.sqrt(dim)
            chunk += scale * rng.standard_normal((rows, dim), dtype=np.float32)
        out[start : start + rows] = unit(chunk)
    return out


# --- measuring --------------------------------------------------------------------------------------


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak_resident() -> None:
    # Linux: writing 5 to clear_refs resets VmHWM to the current resident set.
    Path("/proc/self/clear_refs").write_text("5")


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    hits = sum(len(set(f[f >= 0].tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True))
    return hits / truth.size


def latencies_ms(search_one: Callable[[np.ndarray], object], queries: np.ndarray) -> tuple[float, float]:
    """Median and p95 of single-query calls, one FAISS thread, after a short warm-up."""
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        for query in queries[:5]:
            search_one(query)
        times = []
        for query in queries:
            start = time.perf_counter()
            search_one(query)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        faiss.omp_set_num_threads(threads)
    return float(np.median(times)), float(np.percentile(times, 95))


def index_ids(count: int) -> np.ndarray:
    # Sparse primary keys, as after deletes: the ids are keys, never positions.
    return np.arange(count, dtype=np.int64) * 3 + 7


@dataclass(frozen=True)
class Corpus:
    """The indexed vectors under their ids, and two query sets with their exact top-10 ids."""

    data: str
    ids: np.ndarray
    vectors: np.ndarray
    queries: np.ndarray  # synthetic, same generator as the corpus, not indexed
    truth: np.ndarray
    real_queries: np.ndarray  # the real e5 vectors themselves (the corpus is made from them)
    real_truth: np.ndarray

    @property
    def size(self) -> int:
        return len(self.ids)

    def batches(self, rows: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, self.size, rows):
            yield self.ids[start : start + rows], self.vectors[start : start + rows]


def make_corpus(data: str, size: int, *, real: np.ndarray, noise: float, queries: int) -> Corpus:
    vectors = synthesise(data, size, real=real, noise=noise, seed=1)
    query_vectors = synthesise(data, queries, real=real, noise=noise, seed=2)
    ids = index_ids(size)
    _, truth = faiss.knn(query_vectors, vectors, K, metric=faiss.METRIC_INNER_PRODUCT)
    _, real_truth = faiss.knn(real, vectors, K, metric=faiss.METRIC_INNER_PRODUCT)
    return Corpus(data, ids, vectors, query_vectors, ids[truth], real, ids[real_truth])


def found_ids(results: list[list[tuple[int, float]]]) -> np.ndarray:
    return np.array([[hit_id for hit_id, _ in hits] + [-1] * (K - len(hits)) for hits in results])


def measure_exact(corpus: Corpus) -> Row:
    before = resident_mb()
    started = time.perf_counter()
    index = VectorIndex(corpus.vectors.shape[1], policy=IndexPolicy(exact_max=corpus.size + 1))
    for ids, vectors in corpus.batches(10_000):
        index.upsert(ids, vectors)
    built = time.perf_counter() - started
    median, p95 = latencies_ms(lambda query: index.search(query, K), corpus.queries)
    memory = resident_mb() - before
    return Row(
        corpus.size,
        corpus.data,
        "exact (flat)",
        median_ms=median,
        p95_ms=p95,
        memory_mb=memory,
        build_s=built,
    )


def sweep_ivf(corpus: Corpus, *, lists_per_sqrt: float, target: float) -> Row:
    """Raw IVF with nlist = lists_per_sqrt * sqrt(n): the smallest power-of-two nprobe reaching ``target``."""
    policy = IndexPolicy(lists_per_sqrt=lists_per_sqrt)
    nlist = policy.lists_for(corpus.size)
    before = resident_mb()
    started = time.perf_counter()
    rows = policy.training_rows(nlist, corpus.size)
    sample = np.random.default_rng(corpus.size).choice(corpus.size, size=rows, replace=False)
    index = trained_ivf(corpus.vectors[np.sort(sample)], nlist)
    for batch_ids, vectors in corpus.batches(65_536):
        index.add_with_ids(vectors, batch_ids)
    built = time.perf_counter() - started
    memory = resident_mb() - before
    sweep = []
    nprobe = 1
    while True:
        params = ivf_search_parameters(nprobe, None)
        recall = recall_at_k(index.search(corpus.queries, K, params=params)[1], corpus.truth)
        sweep.append(f"{nprobe}:{recall:.3f}")
        if recall >= target or nprobe >= nlist:
            break
        nprobe = min(nlist, nprobe * 2)
    real_recall = recall_at_k(index.search(corpus.real_queries, K, params=params)[1], corpus.real_truth)
    median, p95 = latencies_ms(lambda query: index.search(query[None, :], K, params=params), corpus.queries)
    return Row(
        corpus.size, corpus.data, f"raw IVF, {lists_per_sqrt:g}·√n lists", str(nlist), str(nprobe), recall,
        real_recall, median, p95, memory, built, note="nprobe:recall " + " ".join(sweep),
    )  # fmt: skip


def measure_vector_index(corpus: Corpus, policy: IndexPolicy) -> list[Row]:
    """The service's path: upserts of 10k (as a rebuild from SQL), with the index changing form itself."""
    gc.collect()
    before = resident_mb()
    reset_peak_resident()
    started = time.perf_counter()
    index = VectorIndex(corpus.vectors.shape[1], policy=policy)
    for batch_ids, vectors in corpus.batches(10_000):
        index.upsert(batch_ids, vectors)
    built = time.perf_counter() - started
    gc.collect()
    memory = resident_mb() - before
    peak = peak_resident_mb() - before
    layout = index.layout()
    kind = f"VectorIndex ({layout.kind})"
    recall = recall_at_k(found_ids(index.search_batch(corpus.queries, K)), corpus.truth)
    real_recall = recall_at_k(found_ids(index.search_batch(corpus.real_queries, K)), corpus.real_truth)
    median, p95 = latencies_ms(lambda query: index.search(query, K), corpus.queries)
    rows = [
        Row(
            corpus.size, corpus.data, kind, str(layout.nlist or ""), str(layout.nprobe or ""), recall,
            real_recall, median, p95, memory, built, note=f"peak RSS growth during the build {peak:.0f} MB",
        )
    ]  # fmt: skip
    for share in (0.5, 0.15, 0.03, 0.003, 0.0003):
        rows.append(measure_filtered(index, corpus, share, kind))
    return rows


def measure_filtered(index: VectorIndex, corpus: Corpus, share: float, kind: str) -> Row:
    """A filter keeping ``share`` of the ids (every nth, like a region or status filter)."""
    positions = np.arange(0, corpus.size, round(1 / share))
    allowed = corpus.ids[positions].tolist()  # a list of ints, as the service passes it
    scores = corpus.queries @ corpus.vectors[positions].T
    truth = corpus.ids[positions][np.argsort(-scores, axis=1)[:, :K]]
    results = index.search_batch(corpus.queries, K, allowed_ids=allowed)
    full = all(len(hits) == min(K, len(allowed)) for hits in results)
    median, p95 = latencies_ms(lambda query: index.search(query, K, allowed_ids=allowed), corpus.queries)
    return Row(
        corpus.size, corpus.data, f"{kind}, filter {share:.2%}", "", "", recall_at_k(found_ids(results), truth),
        None, median, p95, note=f"{len(allowed):,} ids allowed (passed as a list); every result full: {full}",
    )  # fmt: skip


def measure_hnsw(corpus: Corpus, target: float) -> Row:
    """HNSW for comparison only: it cannot remove ids, so it is not used."""
    before = resident_mb()
    started = time.perf_counter()
    index = faiss.IndexHNSWFlat(corpus.vectors.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 80
    index.add(corpus.vectors)
    built = time.perf_counter() - started
    memory = resident_mb() - before
    positions = {int(id): position for position, id in enumerate(corpus.ids.tolist())}
    sweep = []
    ef = 16
    while True:
        params = faiss.SearchParametersHNSW()
        params.efSearch = ef
        recall = recall_at_k(
            index.search(corpus.queries, K, params=params)[1], _positions(corpus.truth, positions)
        )
        sweep.append(f"{ef}:{recall:.3f}")
        if recall >= target or ef >= 1024:
            break
        ef *= 2
    real_found = index.search(corpus.real_queries, K, params=params)[1]
    real_recall = recall_at_k(real_found, _positions(corpus.real_truth, positions))
    median, p95 = latencies_ms(lambda query: index.search(query[None, :], K, params=params), corpus.queries)
    return Row(
        corpus.size, corpus.data, "raw HNSW32 (not used)", "", f"ef {ef}", recall, real_recall, median, p95,
        memory, built, note="efSearch:recall " + " ".join(sweep),
    )  # fmt: skip


def _positions(truth_ids: np.ndarray, positions: dict[int, int]) -> np.ndarray:
    # HNSW has no ids of its own: it answers with positions.
    return np.vectorize(positions.__getitem__)(truth_ids)


# --- output -----------------------------------------------------------------------------------------


TABLE_HEADER = (
    "| size | data | index | nlist | nprobe | recall@10 | recall@10 real queries | median ms | p95 ms "
    "| memory MB | build s | note |\n"
    "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
)


def table_line(row: Row) -> str:
    return (
        f"| {row.size:,} | {row.data} | {row.kind} | {row.nlist} | {row.nprobe} | {row.recall:.3f} "
        f"| {'' if row.real_recall is None else f'{row.real_recall:.3f}'} "
        f"| {row.median_ms:.2f} | {row.p95_ms:.2f} | {row.memory_mb:.0f} | {row.build_s:.1f} | {row.note} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--data", nargs="+", choices=["mixture", "random"], default=["mixture", "random"])
    parser.add_argument("--real-vectors", type=Path, default=Path("/tmp/innomatch-ann/real_centred.npy"))
    parser.add_argument(
        "--encode", action="store_true", help="encode the seed texts into --real-vectors first"
    )
    parser.add_argument("--noise", type=float, default=0.5, help="mixture noise, relative to its norm")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--target", type=float, default=0.98, help="recall@10 the sweep looks for")
    parser.add_argument("--sweep", type=float, nargs="*", default=[1.0, 4.0], help="lists_per_sqrt values")
    parser.add_argument("--exact-max", type=int, default=IndexPolicy().exact_max)
    parser.add_argument("--no-exact", action="store_true", help="skip the exact rows")
    parser.add_argument("--no-vector-index", action="store_true", help="skip the VectorIndex rows")
    parser.add_argument("--hnsw-max", type=int, default=100_000, help="measure HNSW up to this size")
    parser.add_argument("--threads", type=int, default=2, help="FAISS threads for building and recall")
    args = parser.parse_args()

    faiss.omp_set_num_threads(args.threads)
    if args.encode or not args.real_vectors.exists():
        print(f"encoding the seed texts into {args.real_vectors} (a few minutes)", file=sys.stderr)
        encode_seed_texts(args.real_vectors)
    real = np.load(args.real_vectors)
    policy = IndexPolicy(exact_max=args.exact_max)
    rows: list[Row] = []

    def add(*new_rows: Row) -> None:
        rows.extend(new_rows)
        for row in new_rows:
            print(table_line(row), file=sys.stderr, flush=True)  # progress while the table grows
        gc.collect()

    for size in args.sizes:
        for data in args.data:
            print(f"-- {data} {size:,}", file=sys.stderr, flush=True)
            corpus = make_corpus(data, size, real=real, noise=args.noise, queries=args.queries)
            if not args.no_exact:
                add(measure_exact(corpus))
            for lists_per_sqrt in args.sweep:
                add(sweep_ivf(corpus, lists_per_sqrt=lists_per_sqrt, target=args.target))
            if size <= args.hnsw_max:
                add(measure_hnsw(corpus, args.target))
            if not args.no_vector_index:
                add(*measure_vector_index(corpus, policy))
            del corpus
    print(TABLE_HEADER)
    print("\n".join(table_line(row) for row in rows))


if __name__ == "__main__":
    main()
