"""An exact inner-product vector index over FAISS, keyed by the rows' primary keys.

The index is a cache of the database (which holds the vectors): it can always be rebuilt, so a snapshot
that fails to load raises SnapshotError and the caller rebuilds. One writer at a time, searches run
concurrently (FAISS releases the GIL, and concurrent mutation corrupts an index, hence the lock).

Threads: FAISS parallelises with OpenMP, and ``faiss.omp_set_num_threads`` applies to the calling thread
only; worker threads follow ``OMP_NUM_THREADS``. This module sets nothing global: callers choose.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from pathlib import Path

import faiss
import numpy as np

from embeddings.locks import ReadWriteLock
from embeddings.snapshot import IndexManifest, SnapshotError, read_snapshot, write_snapshot

__all__ = ["IndexManifest", "SearchHit", "SnapshotError", "VectorIndex"]

SearchHit = tuple[int, float]
"""(id, inner-product score); best first in every result list."""

IdsLike = Sequence[int] | np.ndarray


class VectorIndex:
    """Exact inner-product search (cosine on unit vectors) over vectors identified by int64 ids."""

    def __init__(self, dim: int) -> None:
        if isinstance(dim, bool) or not isinstance(dim, int) or dim <= 0:
            raise ValueError(f"dim must be a positive int, got {dim!r}")
        self._setup(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)), present_ids=set())

    def _setup(self, index: faiss.IndexIDMap2, *, present_ids: set[int]) -> None:
        self._index = index
        self._dim = int(index.d)
        # Mirrors the id map: O(1) membership without scanning, and lets upsert skip FAISS's O(n)
        # remove_ids when no id is already present (the common case when rebuilding).
        self._present_ids = present_ids
        self._lock = ReadWriteLock()
        self._save_lock = threading.Lock()

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return self._dim

    def __len__(self) -> int:
        with self._lock.read():
            return int(self._index.ntotal)

    def __contains__(self, id: object) -> bool:
        if not isinstance(id, int | np.integer):
            return False
        with self._lock.read():
            return int(id) in self._present_ids

    def ids(self) -> np.ndarray:
        """All ids present, as int64 (in insertion order)."""
        with self._lock.read():
            return faiss.vector_to_array(self._index.id_map).astype(np.int64, copy=True)

    def upsert(self, ids: IdsLike, vectors: np.ndarray) -> None:
        """Insert vectors, replacing the vectors of ids already present."""
        id_array = _as_id_array(ids)
        if len(np.unique(id_array)) != len(id_array):
            raise ValueError("ids must be unique within one upsert call")
        vector_array = self._checked_vectors(vectors, name="vectors")
        if len(vector_array) != len(id_array):
            raise ValueError(f"got {len(id_array)} ids but {len(vector_array)} vectors")
        if len(id_array) == 0:
            return
        id_list = id_array.tolist()
        with self._lock.write():
            if not self._present_ids.isdisjoint(id_list):
                self._index.remove_ids(faiss.IDSelectorBatch(id_array))
            self._index.add_with_ids(vector_array, id_array)
            self._present_ids.update(id_list)

    def remove(self, ids: IdsLike) -> int:
        """Remove ids; return how many were present (unknown ids are ignored)."""
        id_array = np.unique(_as_id_array(ids))
        with self._lock.write():
            present = [id for id in id_array.tolist() if id in self._present_ids]
            if not present:
                return 0
            removed = int(self._index.remove_ids(faiss.IDSelectorBatch(np.array(present, dtype=np.int64))))
            self._present_ids.difference_update(present)
            return removed

    def vector(self, id: int) -> np.ndarray:
        """The stored vector of ``id``; KeyError when absent."""
        with self._lock.read():
            if int(id) not in self._present_ids:
                raise KeyError(id)
            return np.asarray(self._index.reconstruct(int(id)), dtype=np.float32)

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
        """Top-k (id, score) per query row, best first, optionally only among ``allowed_ids``."""
        query_array = self._checked_vectors(queries, name="queries")
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or k <= 0:
            raise ValueError(f"k must be a positive int, got {k!r}")
        no_hits: list[list[SearchHit]] = [[] for _ in range(len(query_array))]
        if len(query_array) == 0:
            return no_hits
        params = None
        limit = int(k)
        if allowed_ids is not None:
            allowed_array = np.unique(_as_id_array(list(allowed_ids)))
            if len(allowed_array) == 0:
                return no_hits
            limit = min(limit, len(allowed_array))
            # Filtering inside the search (not after it) keeps a filtered query's result full.
            # Keep a Python reference: params.sel is a bare C++ pointer that does not own the selector.
            selector = faiss.IDSelectorBatch(allowed_array)
            params = faiss.SearchParameters()
            params.sel = selector
        with self._lock.read():
            # Asking for more than exists only makes FAISS allocate and pad with -1.
            limit = min(limit, int(self._index.ntotal))
            if limit == 0:
                return no_hits
            scores, found_ids = self._index.search(query_array, limit, params=params)
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
            return write_snapshot(
                lambda writer: faiss.write_index(self._index, writer),
                Path(directory),
                model_id=model_id,
                dim=self._dim,
                count=int(self._index.ntotal),
                last_change_seq=last_change_seq,
            )

    @classmethod
    def load(cls, directory: Path) -> tuple[VectorIndex, IndexManifest]:
        """Load a snapshot; SnapshotError (and nothing else) when it is absent or cannot be trusted."""
        index, manifest = read_snapshot(Path(directory))
        if not isinstance(index, faiss.IndexIDMap2) or not isinstance(
            faiss.downcast_index(index.index), faiss.IndexFlatIP
        ):
            raise SnapshotError(f"snapshot holds a {type(index).__name__}, not IndexIDMap2(IndexFlatIP)")
        if index.d != manifest.dim or index.ntotal != manifest.count:
            raise SnapshotError(
                f"index has dim={index.d} count={index.ntotal} "
                f"but the manifest says dim={manifest.dim} count={manifest.count}"
            )
        present_ids = set(faiss.vector_to_array(index.id_map).tolist())
        if len(present_ids) != index.ntotal:
            raise SnapshotError("snapshot holds duplicate ids")
        loaded = cls.__new__(cls)
        loaded._setup(index, present_ids=present_ids)
        return loaded, manifest

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
