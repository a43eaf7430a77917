"""An inner-product vector index over FAISS, keyed by the rows' primary keys; exact while small.

Up to ``IndexPolicy.exact_max`` vectors the index is exact (``IndexIDMap2(IndexFlatIP)``); past it, it
retrains itself into an inverted file (``IndexIVFFlat``, see embeddings/ann.py) and back when it
shrinks. Either way ids are primary keys, upsert replaces, remove removes, and a filtered search
returns the full k whenever that many allowed ids are present.

The index is a cache of the database (which holds the vectors): it can always be rebuilt, so a snapshot
that fails to load raises SnapshotError and the caller rebuilds. One writer at a time, searches run
concurrently (FAISS releases the GIL, and concurrent mutation corrupts an index, hence the lock).
Retraining (seconds to a minute at 1M) reads the old index while searches go on using it; only the
swap waits for them. Writers wait for the retraining.

Threads: FAISS parallelises with OpenMP, and ``faiss.omp_set_num_threads`` applies to the calling thread
only; worker threads follow ``OMP_NUM_THREADS``. This module sets nothing global: callers choose.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from embeddings.ann import (
    HASHTABLE_DIRECT_MAP,
    IndexKind,
    IndexPolicy,
    calibrate_probes,
    copy_vectors,
    fill_ivf,
    ivf_ids,
    ivf_search_parameters,
    trained_ivf,
)
from embeddings.heap import return_freed_memory
from embeddings.locks import ReadWriteLock
from embeddings.snapshot import IndexManifest, SnapshotError, read_snapshot, write_snapshot

__all__ = ["IndexLayout", "IndexManifest", "IndexPolicy", "SearchHit", "SnapshotError", "VectorIndex"]

SearchHit = tuple[int, float]
"""(id, inner-product score); best first in every result list."""

IdsLike = Sequence[int] | np.ndarray

_TRIM_AFTER_ROWS = 4096


@dataclass(frozen=True)
class IndexLayout:
    """The form an index has right now (for logs, tests and measurements)."""

    kind: IndexKind
    count: int
    nlist: int | None = None
    nprobe: int | None = None


class VectorIndex:
    """Inner-product search (cosine on unit vectors) over vectors identified by int64 ids."""

    def __init__(self, dim: int, *, policy: IndexPolicy | None = None) -> None:
        if isinstance(dim, bool) or not isinstance(dim, int) or dim <= 0:
            raise ValueError(f"dim must be a positive int, got {dim!r}")
        self._setup(_new_exact(dim), present_ids=_PresentIds(), policy=policy or IndexPolicy())

    def _setup(self, index: faiss.Index, *, present_ids: _PresentIds, policy: IndexPolicy) -> None:
        self._index = index
        self._dim = int(index.d)
        # Mirrors the stored ids: membership of many ids at once without asking FAISS, and lets upsert
        # skip the remove when no id is already present (the common case when rebuilding).
        self._present_ids = present_ids
        self._policy = policy
        self._lock = ReadWriteLock()  # searches share it; a change to self._index holds it alone
        # Serialises writers, so a retrain can read the old index while searches go on.
        self._writer_lock = threading.Lock()
        self._save_lock = threading.Lock()

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return self._dim

    @property
    def policy(self) -> IndexPolicy:
        """When the index changes form and how it is sized."""
        return self._policy

    def layout(self) -> IndexLayout:
        """The current form: exact or IVF, and the IVF's nlist and nprobe."""
        with self._lock.read():
            index = self._index
            if isinstance(index, faiss.IndexIVF):
                return IndexLayout("ivf", int(index.ntotal), int(index.nlist), int(index.nprobe))
            return IndexLayout("exact", int(index.ntotal))

    def __len__(self) -> int:
        with self._lock.read():
            return int(self._index.ntotal)

    def __contains__(self, id: object) -> bool:
        if not isinstance(id, int | np.integer):
            return False
        with self._lock.read():
            return int(id) in self._present_ids

    def ids(self) -> np.ndarray:
        """All ids present, as int64 (insertion order while exact, list by list once approximate)."""
        with self._lock.read():
            return _stored_ids(self._index)

    def upsert(self, ids: IdsLike, vectors: np.ndarray) -> None:
        """Insert vectors, replacing the vectors of ids already present."""
        id_array = _as_id_array(ids)
        if len(_sorted_unique(id_array)) != len(id_array):
            raise ValueError("ids must be unique within one upsert call")
        vector_array = self._checked_vectors(vectors, name="vectors")
        if len(vector_array) != len(id_array):
            raise ValueError(f"got {len(id_array)} ids but {len(vector_array)} vectors")
        if len(id_array) == 0:
            return
        with self._writer_lock:
            with self._lock.write():
                present = self._present_ids.among(id_array)
                if present.any():
                    _remove_stored(self._index, id_array)
                self._index.add_with_ids(vector_array, id_array)
                self._present_ids.add(id_array[~present])
            if not self._adapt_to_size() and len(id_array) >= _TRIM_AFTER_ROWS:
                # Big batches (a rebuild) grow the index's buffers by doubling; the buffers they leave
                # stayed resident: 2.0 GB instead of 1.6 GB after upserting 1M vectors in an IVF.
                return_freed_memory()

    def remove(self, ids: IdsLike) -> int:
        """Remove ids; return how many were present (unknown ids are ignored)."""
        id_array = _sorted_unique(_as_id_array(ids))
        with self._writer_lock:
            with self._lock.write():
                present = id_array[self._present_ids.among(id_array)]
                if len(present) == 0:
                    return 0
                removed = _remove_stored(self._index, present)
                self._present_ids.discard(present)
            self._adapt_to_size()
            return removed

    def vector(self, id: int) -> np.ndarray:
        """The stored vector of ``id``; KeyError when absent."""
        with self._lock.read():
            if int(id) not in self._present_ids:
                raise KeyError(id)
            return np.asarray(self._index.reconstruct(int(id)), dtype=np.float32)

    def vectors(self, ids: IdsLike) -> tuple[np.ndarray, np.ndarray]:
        """The stored vectors of those of ``ids`` that are present: (their ids, one row each), in one call."""
        with self._lock.read():
            id_array = _as_id_array(ids)
            present = id_array[self._present_ids.among(id_array)]
            if len(present) == 0:
                return present, np.empty((0, self.dim), dtype=np.float32)
            return present, np.asarray(self._index.reconstruct_batch(present), dtype=np.float32)

    def search(
        self, query: np.ndarray, k: int, *, allowed_ids: Collection[int] | None = None
    ) -> list[SearchHit]:
        """Top-k (id, score) for one query, best first, optionally only among ``allowed_ids``."""
        query_array = np.asarray(query)
        if query_array.ndim == 1:
            query_array = query_array.reshape(1, -1)
        if query_array.shape[0] != 1:
            raise ValueError(f"search takes one query, got shape {np.shape(query)}; use search_batch")
        return self.search_batch(query_array, k, allowed_ids=allowed_ids)[0]

    def search_batch(
        self, queries: np.ndarray, k: int, *, allowed_ids: Collection[int] | None = None
    ) -> list[list[SearchHit]]:
        """Top-k (id, score) per query row, best first, optionally only among ``allowed_ids``.

        Filtering happens inside the search (not after it), so a filtered query's result is full.
        Large filters are cheaper as an int64 numpy array: a Python list of 500k ids alone takes
        ~25 ms to convert. No filter at all (None) is cheapest.
        """
        query_array = self._checked_vectors(queries, name="queries")
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or k <= 0:
            raise ValueError(f"k must be a positive int, got {k!r}")
        no_hits: list[list[SearchHit]] = [[] for _ in range(len(query_array))]
        if len(query_array) == 0:
            return no_hits
        limit = int(k)
        allowed: _AllowedIds | None = None
        if allowed_ids is not None:
            allowed = _AllowedIds(_as_id_array(_as_sequence(allowed_ids)))
            if allowed.count == 0:
                return no_hits
            limit = min(limit, allowed.count)
        with self._lock.read():
            # Asking for more than exists only makes FAISS allocate and pad with -1.
            limit = min(limit, int(self._index.ntotal))
            if limit == 0:
                return no_hits
            if isinstance(self._index, faiss.IndexIVF):
                scores, found_ids = self._search_ivf(self._index, query_array, limit, allowed)
            else:
                scores, found_ids = _search_exact(self._index, query_array, limit, allowed)
        return [
            [(int(id), float(score)) for id, score in zip(id_row, score_row, strict=True) if id != -1]
            for id_row, score_row in zip(found_ids, scores, strict=True)
        ]

    def save(self, directory: Path, *, model_id: str, last_change_seq: int) -> IndexManifest:
        """Write an atomic snapshot of the index and its manifest into ``directory``.

        Searches go on during a save; writers wait until the index file is written.
        """
        # Saves are serialised so two snapshots never interleave their renames.
        with self._save_lock, self._lock.read():
            index = self._index
            return write_snapshot(
                lambda writer: faiss.write_index(index, writer),
                Path(directory),
                model_id=model_id,
                dim=self._dim,
                count=int(index.ntotal),
                last_change_seq=last_change_seq,
                index_kind=_kind_of(index),
            )

    @classmethod
    def load(cls, directory: Path, *, policy: IndexPolicy | None = None) -> tuple[VectorIndex, IndexManifest]:
        """Load a snapshot; SnapshotError (and nothing else) when it is absent or cannot be trusted.

        A snapshot saved under another policy is brought to the form this ``policy`` wants.
        """
        index, manifest = read_snapshot(Path(directory))
        kind = _checked_kind(index)
        if kind != manifest.index_kind:
            raise SnapshotError(f"snapshot holds an {kind} index but the manifest says {manifest.index_kind}")
        if index.d != manifest.dim or index.ntotal != manifest.count:
            raise SnapshotError(
                f"index has dim={index.d} count={index.ntotal} "
                f"but the manifest says dim={manifest.dim} count={manifest.count}"
            )
        loaded = cls.__new__(cls)
        try:
            loaded._setup(index, present_ids=_distinct_stored_ids(index), policy=policy or IndexPolicy())
            with loaded._writer_lock:
                loaded._adapt_to_size()
        except RuntimeError as error:  # FAISS refusing a structure that passed the checks above
            raise SnapshotError(f"snapshot index is inconsistent: {error}") from error
        return loaded, manifest

    # -- internals --

    def _adapt_to_size(self) -> bool:
        """Change form when the count crossed the policy's bounds; whether it did. Hold the writer lock.

        The new index is built from the old one while searches still use the old one; no other writer
        can change it meanwhile. Only the swap takes the lock exclusively.
        """
        current = self._index
        count = int(current.ntotal)
        wanted = self._policy.kind_for(count, _kind_of(current))
        replacement: faiss.Index
        if wanted == "exact" and isinstance(current, faiss.IndexIVF):
            replacement = _new_exact(self._dim)
            copy_vectors(current, _stored_ids(current), replacement)
        elif wanted == "ivf" and (
            not isinstance(current, faiss.IndexIVF) or self._policy.needs_relisting(current.nlist, count)
        ):
            replacement = self._trained_ivf(current)
            fill_ivf(replacement, current, _stored_ids(current))
            replacement.nprobe = self._calibrated_probes(replacement)
        else:
            return False
        with self._lock.write():
            self._index = replacement
        del current
        return_freed_memory()
        return True

    def _trained_ivf(self, source: faiss.Index) -> faiss.IndexIVFFlat:
        count = int(source.ntotal)
        nlist = self._policy.lists_for(count)
        ids = _stored_ids(source)
        # A fixed seed: the same vectors give the same lists, so measurements and tests repeat.
        sample = np.random.default_rng(count).choice(
            ids, size=self._policy.training_rows(nlist, count), replace=False
        )
        return trained_ivf(source.reconstruct_batch(np.sort(sample)), nlist)

    def _calibrated_probes(self, index: faiss.IndexIVF) -> int:
        ids = _stored_ids(index)
        sample = np.sort(
            np.random.default_rng(len(ids)).choice(
                ids, size=min(len(ids), self._policy.calibration_queries), replace=False
            )
        )
        return calibrate_probes(
            index,
            index.reconstruct_batch(sample),
            sample,
            least=self._policy.least_probes(int(index.nlist)),
            target=self._policy.target_recall,
        )

    def _search_ivf(
        self, index: faiss.IndexIVF, queries: np.ndarray, limit: int, allowed: _AllowedIds | None
    ) -> tuple[np.ndarray, np.ndarray]:
        nlist = int(index.nlist)
        count = int(index.ntotal)
        nprobe = int(index.nprobe)  # calibrated when the index was trained; read-only here
        selector = None
        if allowed is not None:
            if allowed.count <= self._policy.direct_filter_limit(count):
                return self._search_among(index, queries, limit, allowed.distinct())
            nprobe = self._policy.filtered_probes(nlist, nprobe, allowed.count / count)
            selector = allowed.selector()
        scores, found_ids = index.search(queries, limit, params=ivf_search_parameters(nprobe, selector))
        # The probed lists can hold fewer than k (allowed) vectors: scan every list for those queries,
        # which is exact because IVFFlat keeps the vectors uncompressed.
        short = found_ids[:, limit - 1] == -1
        if short.any() and nprobe < nlist:
            params = ivf_search_parameters(nlist, selector)
            scores[short], found_ids[short] = index.search(queries[short], limit, params=params)
        return scores, found_ids

    def _search_among(
        self, index: faiss.Index, queries: np.ndarray, limit: int, allowed: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Exact top-``limit`` over a small allowed set: its vectors, one matrix product."""
        candidates = allowed[self._present_ids.among(allowed)]
        vectors = index.reconstruct_batch(candidates) if len(candidates) else np.empty((0, self._dim))
        return _top_k(queries @ vectors.T.astype(np.float32, copy=False), candidates, limit)

    def _checked_vectors(self, vectors: np.ndarray, *, name: str) -> np.ndarray:
        if not isinstance(vectors, np.ndarray):
            raise ValueError(f"{name} must be a numpy array, got {type(vectors).__name__}")
        if vectors.dtype != np.float32:
            raise ValueError(f"{name} must be float32, got {vectors.dtype}")
        if vectors.ndim != 2 or vectors.shape[1] != self._dim:
            raise ValueError(f"{name} must have shape (n, {self._dim}), got {vectors.shape}")
        if not np.isfinite(vectors).all():
            raise ValueError(f"{name} contain NaN or infinite values")
        return np.ascontiguousarray(vectors)


def _new_exact(dim: int) -> faiss.IndexIDMap2:
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def _kind_of(index: faiss.Index) -> IndexKind:
    return "ivf" if isinstance(index, faiss.IndexIVF) else "exact"


def _checked_kind(index: faiss.Index) -> IndexKind:
    """The kind of a loaded index, or SnapshotError when it is not one this module writes."""
    if isinstance(index, faiss.IndexIDMap2) and isinstance(
        faiss.downcast_index(index.index), faiss.IndexFlatIP
    ):
        return "exact"
    if isinstance(index, faiss.IndexIVFFlat):
        quantizer = faiss.downcast_index(index.quantizer)
        if (
            index.metric_type == faiss.METRIC_INNER_PRODUCT
            and index.is_trained
            and index.direct_map.type == HASHTABLE_DIRECT_MAP
            and isinstance(quantizer, faiss.IndexFlatIP)
            and quantizer.d == index.d
            and quantizer.ntotal == index.nlist
            and 1 <= index.nprobe <= index.nlist
        ):
            return "ivf"
        raise SnapshotError("snapshot holds an IVF index that is not an inner-product IVFFlat with an id map")
    raise SnapshotError(
        f"snapshot holds a {type(index).__name__}, not IndexIDMap2(IndexFlatIP) or IndexIVFFlat"
    )


def _stored_ids(index: faiss.Index) -> np.ndarray:
    if isinstance(index, faiss.IndexIVF):
        return ivf_ids(index)
    if isinstance(index, faiss.IndexIDMap2):
        return faiss.vector_to_array(index.id_map).astype(np.int64, copy=True)
    raise TypeError(f"not an index this module builds: {type(index).__name__}")


def _distinct_stored_ids(index: faiss.Index) -> _PresentIds:
    stored_ids = np.sort(_stored_ids(index))
    if len(stored_ids) != index.ntotal or (np.diff(stored_ids) == 0).any():
        raise SnapshotError("snapshot holds duplicate ids, or lists that disagree with its count")
    return _PresentIds(stored_ids)


class _PresentIds:
    """The ids an index holds, as one sorted array: 8 bytes an id, where a Python set of them took
    66 (63 MiB at a million). A change copies the array, about a millisecond at a million ids."""

    def __init__(self, sorted_ids: np.ndarray | None = None) -> None:
        self._ids = np.empty(0, dtype=np.int64) if sorted_ids is None else sorted_ids

    def __contains__(self, id: int) -> bool:
        place = int(np.searchsorted(self._ids, id))
        return place < len(self._ids) and int(self._ids[place]) == id

    def among(self, ids: np.ndarray) -> np.ndarray:
        """Which of `ids` are present, as a boolean mask."""
        places = np.searchsorted(self._ids, ids)
        inside = places < len(self._ids)
        present = np.zeros(len(ids), dtype=bool)
        present[inside] = self._ids[places[inside]] == ids[inside]
        return present

    def add(self, absent_ids: np.ndarray) -> None:
        """Add ids known to be absent (distinct)."""
        new = np.sort(absent_ids)
        self._ids = np.insert(self._ids, np.searchsorted(self._ids, new), new)

    def discard(self, present_ids: np.ndarray) -> None:
        """Remove ids known to be present."""
        self._ids = np.delete(self._ids, np.searchsorted(self._ids, present_ids))


def _remove_stored(index: faiss.Index, ids: np.ndarray) -> int:
    # The IVF's hash map removes only by explicit array (O(1) per id); the exact index scans all
    # vectors once, testing each against a hash set of the ids.
    if isinstance(index, faiss.IndexIVF):
        return int(index.remove_ids(faiss.IDSelectorArray(ids)))
    return int(index.remove_ids(faiss.IDSelectorBatch(ids)))


def _search_exact(
    index: faiss.Index, queries: np.ndarray, limit: int, allowed: _AllowedIds | None
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


class _AllowedIds:
    """A search filter: the allowed ids as given, how many distinct ones, and a FAISS selector of them.

    Dense ids (the service lists primary keys) become a bitmap: no sort, and ~10 ms instead of
    ~100 ms (a hash set) for a million ids. Sparse ids get the hash set.
    """

    def __init__(self, ids: np.ndarray) -> None:
        self._members: np.ndarray | None = None
        self._sorted = np.empty(0, dtype=np.int64)
        bitmap_bytes = int(ids.max()) // 8 + 1 if len(ids) else 0
        if len(ids) and bitmap_bytes <= max(1 << 16, 2 * len(ids)):
            self._members = np.zeros(bitmap_bytes * 8, dtype=bool)
            self._members[ids] = True
            self.count = int(np.count_nonzero(self._members))
        else:
            self._sorted = _sorted_unique(ids)
            self.count = len(self._sorted)

    def distinct(self) -> np.ndarray:
        """The distinct ids, ascending."""
        if self._members is not None:
            return np.flatnonzero(self._members).astype(np.int64)
        return self._sorted

    def selector(self) -> faiss.IDSelector:
        if self._members is not None:
            return _BitmapSelector(np.packbits(self._members, bitorder="little"))
        return faiss.IDSelectorBatch(self._sorted)


class _BitmapSelector(faiss.IDSelectorBitmap):
    """An IDSelectorBitmap that owns its bitmap (FAISS only points at it); bit i of byte j is id 8j+i."""

    def __init__(self, bitmap: np.ndarray) -> None:
        super().__init__(len(bitmap), faiss.swig_ptr(bitmap))
        self.owned_bitmap = bitmap


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


def _as_sequence(ids: Collection[int]) -> IdsLike:
    return ids if isinstance(ids, np.ndarray | list | tuple) else list(ids)


def _sorted_unique(ids: np.ndarray) -> np.ndarray:
    # np.unique on int64 takes ~2 s for a million ids in numpy 2.4 (hash based); sorting takes 30 ms.
    ordered = np.sort(ids)
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _as_id_array(ids: IdsLike) -> np.ndarray:
    """Validate ids as a 1-D int64 array of non-negative values (-1 is FAISS's 'no result')."""
    id_array = np.asarray(ids)
    if id_array.size == 0:
        return np.empty(0, dtype=np.int64)
    if id_array.ndim != 1 or not np.issubdtype(id_array.dtype, np.integer):
        raise ValueError(f"ids must be a 1-D sequence of ints, got {id_array.dtype} {id_array.shape}")
    if (id_array < 0).any():
        raise ValueError("ids must be non-negative")
    if id_array.dtype == np.uint64 and (id_array > np.iinfo(np.int64).max).any():
        raise ValueError("ids must fit in int64")
    return np.ascontiguousarray(id_array, dtype=np.int64)
