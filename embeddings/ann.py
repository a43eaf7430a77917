"""When the vector index stops being exact, and how its approximate (IVF) form is built and searched.

Exact search scans every vector, so its cost grows with the count (docs/ann-index.md).
Past ``IndexPolicy.exact_max`` vectors the index becomes an inverted file (``IndexIVFFlat``): k-means
lists over the vectors, of which a query scans only the ``nprobe`` nearest. IVF rather than HNSW
because IVF removes ids in place and filters with an id selector, which HNSW cannot do without
tombstones and rebuilds. The vectors stay uncompressed (Flat), so a scan of every list is exact: that
is the fallback when an approximate search comes back short. Numbers and reasons: docs/ann-index.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import faiss
import numpy as np

IndexKind = Literal["exact", "ivf"]

# k-means needs a few dozen points per centroid to place it well; faiss warns below 39.
_MIN_POINTS_PER_LIST = 39
_COPY_BATCH_ROWS = 65_536
_CALIBRATION_K = 10  # the service asks for about ten candidates
# faiss' type stubs omit DirectMap, which exists at run time.
HASHTABLE_DIRECT_MAP: int = faiss.DirectMap.Hashtable  # type: ignore[attr-defined]


@dataclass(frozen=True)
class IndexPolicy:
    """Sizes at which the index changes form, and how the IVF lists and probes are sized.

    The defaults come from scripts/dev/measure_ann.py (docs/ann-index.md): they keep recall@10 against
    exact search high on vectors shaped like the service's e5 embeddings.
    """

    exact_max: int = 50_000
    """Up to this many vectors, exact search. It returns only below half of it (no flapping)."""
    lists_per_sqrt: float = 1.0
    """nlist = lists_per_sqrt * sqrt(n)."""
    target_recall: float = 0.99
    """recall@10 against exact search that nprobe is calibrated to, on a sample of stored vectors; above
    the recall wanted, as queries that are not stored vectors reach a little less (docs/ann-index.md)."""
    calibration_queries: int = 200
    min_probes: int = 8
    probe_fraction: float = 1 / 64
    """With ``min_probes``, the least nprobe: a margin for queries unlike the stored vectors."""
    train_points_per_list: int = 40
    max_train_points: int = 100_000
    """Bounds training time at 1M vectors: the k-means runs on a sample."""
    relist_factor: float = 3.0
    """Re-train when the ideal nlist for the current size is this many times off the trained one
    (the count grew ninefold). Re-training briefly holds two copies, so re-training less often lowers
    a rebuild's peak memory (docs/ann-index.md, "relist_factor 3")."""
    direct_filter_share: float = 1 / 1000
    """A filter allowing at most this share of the vectors is scored directly from the allowed vectors."""

    def __post_init__(self) -> None:
        if self.exact_max < 1 or self.min_probes < 1 or self.train_points_per_list < 1:
            raise ValueError("exact_max, min_probes and train_points_per_list must be positive")
        if not (self.lists_per_sqrt > 0 and 0 < self.probe_fraction <= 1 and self.relist_factor > 1):
            raise ValueError("lists_per_sqrt > 0, 0 < probe_fraction <= 1 and relist_factor > 1 needed")
        if not 0 <= self.direct_filter_share <= 1:
            raise ValueError("direct_filter_share must be between 0 and 1")
        if not 0 < self.target_recall <= 1 or self.calibration_queries < 1:
            raise ValueError("target_recall must be in (0, 1] and calibration_queries positive")

    def kind_for(self, count: int, current: IndexKind) -> IndexKind:
        """The form an index of ``count`` vectors should take, given its current form."""
        if current == "exact":
            return "ivf" if count > self.exact_max else "exact"
        return "exact" if count <= self.exact_max // 2 else "ivf"

    def lists_for(self, count: int) -> int:
        """nlist for ``count`` vectors: ~sqrt(n) lists balance the quantizer and the list scans."""
        by_size = round(self.lists_per_sqrt * math.sqrt(max(count, 1)))
        return max(1, min(by_size, count // _MIN_POINTS_PER_LIST))

    def least_probes(self, nlist: int) -> int:
        """The smallest nprobe calibration may choose for an IVF of ``nlist`` lists."""
        return min(nlist, max(self.min_probes, math.ceil(self.probe_fraction * nlist)))

    def needs_relisting(self, nlist: int, count: int) -> bool:
        """Whether the lists were sized for a very different count (grown or shrunk a lot)."""
        ideal = self.lists_for(count)
        return max(ideal / nlist, nlist / ideal) >= self.relist_factor

    def filtered_probes(self, nlist: int, nprobe: int, allowed_share: float) -> int:
        """nprobe for a filter keeping ``allowed_share`` of the vectors, in an IVF probing ``nprobe``.

        The filter leaves about that share of each scanned list, so nprobe / share lists hold about as
        many allowed vectors as an unfiltered search scans. Below nprobe / nlist this is every list:
        an exact scan, which is also what keeps recall up, as the allowed nearest neighbours of a
        selective filter are far from the query and spread over many lists.
        """
        return nlist if allowed_share <= 0 else min(nlist, math.ceil(nprobe / allowed_share))

    def direct_filter_limit(self, count: int) -> int:
        """Allowed sets up to this size are scored from their own vectors.

        Reading the allowed vectors by id costs per id; a filtered scan of every list costs about the
        same whatever the filter. The default stays below where the two meet, on the side of the scan,
        whose cost varies less (docs/ann-index.md, "direct_filter_share").
        """
        return int(self.direct_filter_share * count)

    def training_rows(self, nlist: int, count: int) -> int:
        """How many vectors the k-means of ``nlist`` lists is trained on."""
        return min(count, self.max_train_points, max(nlist * self.train_points_per_list, nlist))


def trained_ivf(training_vectors: np.ndarray, nlist: int) -> faiss.IndexIVFFlat:
    """An empty inner-product IVF with ``nlist`` lists trained on ``training_vectors``."""
    dim = training_vectors.shape[1]
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    index.cp.seed = 20_240_601  # deterministic lists for the same vectors
    index.train(np.ascontiguousarray(training_vectors, dtype=np.float32))
    return index


def fill_ivf(target: faiss.IndexIVF, source: faiss.Index, ids: np.ndarray) -> None:
    """Put the vectors of ``ids`` (read from ``source``) into the empty, trained ``target``.

    Each list is allocated once at its final size. ``add_with_ids`` instead grows every list by
    doubling, and the slack plus the freed smaller buffers stayed resident (docs/ann-index.md,
    "Memory"). Ends with the id hash map, which makes reconstruct(id) and O(1) removal possible.
    """
    lists = faiss.downcast_InvertedLists(target.invlists) if target.invlists is not None else None
    if not isinstance(lists, faiss.ArrayInvertedLists) or target.ntotal:
        raise ValueError("fill_ivf needs an empty IVF with in-memory lists")
    # Two passes over the source: first which list each vector joins, then the vectors themselves.
    assigned = np.empty(len(ids), dtype=np.int64)
    for start, batch in _numbered_batches(ids):
        assigned[start : start + len(batch)] = target.quantizer.assign(source.reconstruct_batch(batch), 1)[
            :, 0
        ]
    for list_no, size in enumerate(np.bincount(assigned, minlength=target.nlist).tolist()):
        if size:
            lists.resize(list_no, size)
    filled = np.zeros(target.nlist, dtype=np.int64)
    for start, batch in _numbered_batches(ids):
        vectors = source.reconstruct_batch(batch)
        batch_lists = assigned[start : start + len(batch)]
        order = np.argsort(batch_lists, kind="stable")
        sorted_lists = batch_lists[order]
        starts = np.flatnonzero(np.diff(sorted_lists)) + 1  # where the next list's rows begin
        list_numbers = sorted_lists[np.concatenate(([0], starts))]
        for list_no, rows in zip(list_numbers.tolist(), np.split(order, starts), strict=True):
            list_ids = np.ascontiguousarray(batch[rows])
            codes = np.ascontiguousarray(vectors[rows]).view(np.uint8)
            lists.update_entries(
                list_no, int(filled[list_no]), len(rows), faiss.swig_ptr(list_ids), faiss.swig_ptr(codes)
            )
            filled[list_no] += len(rows)
    target.ntotal = len(ids)
    target.set_direct_map_type(HASHTABLE_DIRECT_MAP)


def calibrate_probes(
    index: faiss.IndexIVF, queries: np.ndarray, query_ids: np.ndarray, *, least: int, target: float
) -> int:
    """The smallest nprobe >= ``least`` whose recall@10 against exact search reaches ``target``.

    ``queries`` are stored vectors (``query_ids``); each query's own id is left out of both answers.
    Scanning every list is exact (IVFFlat keeps the vectors), so the index is its own ground truth.
    """
    nlist = int(index.nlist)
    exact = _neighbours(index, queries, query_ids, nlist)
    if least >= nlist or _recall(_neighbours(index, queries, query_ids, least), exact) >= target:
        return min(least, nlist)
    failing, passing = least, least * 2
    while passing < nlist and _recall(_neighbours(index, queries, query_ids, passing), exact) < target:
        failing, passing = passing, passing * 2
    passing = min(passing, nlist)
    while passing - failing > 1:  # bisect: doubling alone can cost twice the probes needed
        middle = (failing + passing) // 2
        if _recall(_neighbours(index, queries, query_ids, middle), exact) >= target:
            passing = middle
        else:
            failing = middle
    return passing


def _neighbours(
    index: faiss.IndexIVF, queries: np.ndarray, query_ids: np.ndarray, nprobe: int
) -> list[set[int]]:
    _, found = index.search(queries, _CALIBRATION_K + 1, params=ivf_search_parameters(nprobe, None))
    return [
        set([id for id in row.tolist() if id not in (own_id, -1)][:_CALIBRATION_K])
        for row, own_id in zip(found, query_ids.tolist(), strict=True)
    ]


def _recall(found: list[set[int]], exact: list[set[int]]) -> float:
    expected = sum(len(row) for row in exact)
    return 1.0 if expected == 0 else sum(len(f & e) for f, e in zip(found, exact, strict=True)) / expected


def copy_vectors(source: faiss.Index, ids: np.ndarray, target: faiss.Index) -> None:
    """Add the vectors of ``ids`` from ``source`` to ``target`` in bounded batches."""
    for batch in _batches(ids):
        target.add_with_ids(source.reconstruct_batch(batch), batch)


def ivf_ids(index: faiss.IndexIVF) -> np.ndarray:
    """Every id stored in the lists of an IVF, list by list."""
    lists = index.invlists
    if lists is None:
        raise ValueError("an IVF without inverted lists")
    parts = [
        faiss.rev_swig_ptr(lists.get_ids(list_no), size).copy()
        for list_no in range(index.nlist)
        if (size := lists.list_size(list_no))
    ]
    return np.concatenate(parts).astype(np.int64, copy=False) if parts else np.empty(0, dtype=np.int64)


def ivf_search_parameters(nprobe: int, selector: faiss.IDSelector | None) -> faiss.SearchParametersIVF:
    """Per-call IVF parameters (the index's own nprobe is shared state and stays untouched)."""
    params = faiss.SearchParametersIVF()
    params.nprobe = nprobe
    if selector is not None:
        params.sel = selector
    return params


def _batches(ids: np.ndarray) -> Iterator[np.ndarray]:
    for _, batch in _numbered_batches(ids):
        yield batch


def _numbered_batches(ids: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """(offset, ids) in batches of _COPY_BATCH_ROWS, which bound the temporary vectors they are read into."""
    for start in range(0, len(ids), _COPY_BATCH_ROWS):
        yield start, np.ascontiguousarray(ids[start : start + _COPY_BATCH_ROWS])
