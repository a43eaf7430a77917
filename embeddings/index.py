"""VectorIndex: inner-product search over FAISS, keyed by the rows' primary keys; exact while small, an
inverted file (IVF) past a size (embeddings/ann.py)."""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from embeddings._index_forms import (
    checked_kind,
    distinct_stored_ids,
    kind_of,
    new_exact,
    remove_stored,
    stored_ids,
)
from embeddings._index_ids import AllowedIds, IdsLike, PresentIds, as_id_array, as_sequence, sorted_unique
from embeddings._index_search import search_among, search_exact, search_ivf
from embeddings.ann import IndexKind, IndexPolicy, calibrate_probes, copy_vectors, fill_ivf, trained_ivf
from embeddings.heap import return_freed_memory
from embeddings.locks import ReadWriteLock
from embeddings.snapshot import IndexManifest, SnapshotError, read_snapshot, write_snapshot

__all__ = ["IndexLayout", "IndexManifest", "IndexPolicy", "SearchHit", "SnapshotError", "VectorIndex"]

SearchHit = tuple[int, float]
"""(id, inner-product score); best first in every result list."""

_TRIM_AFTER_ROWS = 4096


@dataclass(frozen=True)
class IndexLayout:
    """The form an index has right now (for logs, tests and measurements)."""

    kind: IndexKind
    count: int
    nlist: int | None = None
    nprobe: int | None = None


class VectorIndex:
    """Inner-product search (cosine on unit vectors) over vectors identified by int64 ids.

    Up to ``IndexPolicy.exact_max`` vectors the index is exact (``IndexIDMap2(IndexFlatIP)``); past it, it
    retrains itself into an inverted file (``IndexIVFFlat``, see embeddings/ann.py) and back when it
    shrinks. Either way ids are primary keys, upsert replaces, remove removes, and a filtered search
    returns the full k whenever that many allowed ids are present.

    The index is a cache of the database (which holds the vectors): it can always be rebuilt, so a snapshot
    that fails to load raises SnapshotError and the caller rebuilds. One writer at a time, searches run
    concurrently (FAISS releases the GIL, and concurrent mutation corrupts an index, hence the lock).
    Retraining (slow at a million vectors: docs/ann-index.md) reads the old index while searches go on
    using it; only the swap waits for them. Writers wait for the retraining.

    Threads: FAISS parallelises with OpenMP, and ``faiss.omp_set_num_threads`` applies to the calling thread
    only; worker threads follow ``OMP_NUM_THREADS``. This module sets nothing global: callers choose.
    """

    def __init__(self, dim: int, *, policy: IndexPolicy | None = None) -> None:
        if isinstance(dim, bool) or not isinstance(dim, int) or dim <= 0:
            raise ValueError(f"dim must be a positive int, got {dim!r}")
        self._setup(new_exact(dim), present_ids=PresentIds(), policy=policy or IndexPolicy())

    def _setup(self, index: faiss.Index, *, present_ids: PresentIds, policy: IndexPolicy) -> None:
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
            return stored_ids(self._index)

    def upsert(self, ids: IdsLike, vectors: np.ndarray) -> None:
        """Insert vectors, replacing the vectors of ids already present."""
        id_array = as_id_array(ids)
        if len(sorted_unique(id_array)) != len(id_array):
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
                    remove_stored(self._index, id_array)
                self._index.add_with_ids(vector_array, id_array)
                self._present_ids.add(id_array[~present])
            if not self._adapt_to_size() and len(id_array) >= _TRIM_AFTER_ROWS:
                # Big batches (a rebuild) grow the index's buffers by doubling, and the buffers they
                # leave would stay resident (docs/ann-index.md, "Smaller figures behind the code").
                return_freed_memory()

    def remove(self, ids: IdsLike) -> int:
        """Remove ids; return how many were present (unknown ids are ignored)."""
        id_array = sorted_unique(as_id_array(ids))
        with self._writer_lock:
            with self._lock.write():
                present = id_array[self._present_ids.among(id_array)]
                if len(present) == 0:
                    return 0
                removed = remove_stored(self._index, present)
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
            id_array = as_id_array(ids)
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
        Large filters are cheaper as an int64 numpy array, which needs no conversion id by id
        (docs/ann-index.md, "Limits and notes"). No filter at all (None) is cheapest.
        """
        query_array = self._checked_vectors(queries, name="queries")
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or k <= 0:
            raise ValueError(f"k must be a positive int, got {k!r}")
        no_hits: list[list[SearchHit]] = [[] for _ in range(len(query_array))]
        if len(query_array) == 0:
            return no_hits
        limit = int(k)
        allowed: AllowedIds | None = None
        if allowed_ids is not None:
            allowed = AllowedIds(as_id_array(as_sequence(allowed_ids)))
            if allowed.count == 0:
                return no_hits
            limit = min(limit, allowed.count)
        with self._lock.read():
            # Asking for more than exists only makes FAISS allocate and pad with -1.
            limit = min(limit, int(self._index.ntotal))
            if limit == 0:
                return no_hits
            if allowed is not None and allowed.count <= k:
                # Every allowed vector is asked for (an alert's few new records): scored from their own
                # vectors, exactly, rather than by a filtered scan of the whole index.
                scores, found_ids = search_among(
                    self._index, query_array, limit, allowed.distinct(), self._present_ids
                )
            elif isinstance(self._index, faiss.IndexIVF):
                scores, found_ids = search_ivf(
                    self._index,
                    query_array,
                    limit,
                    allowed,
                    policy=self._policy,
                    present_ids=self._present_ids,
                )
            else:
                scores, found_ids = search_exact(self._index, query_array, limit, allowed)
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
                index_kind=kind_of(index),
            )

    @classmethod
    def load(cls, directory: Path, *, policy: IndexPolicy | None = None) -> tuple[VectorIndex, IndexManifest]:
        """Load a snapshot; SnapshotError (and nothing else) when it is absent or cannot be trusted.

        A snapshot saved under another policy is brought to the form this ``policy`` wants.
        """
        index, manifest = read_snapshot(Path(directory))
        kind = checked_kind(index)
        if kind != manifest.index_kind:
            raise SnapshotError(f"snapshot holds an {kind} index but the manifest says {manifest.index_kind}")
        if index.d != manifest.dim or index.ntotal != manifest.count:
            raise SnapshotError(
                f"index has dim={index.d} count={index.ntotal} "
                f"but the manifest says dim={manifest.dim} count={manifest.count}"
            )
        loaded = cls.__new__(cls)
        try:
            loaded._setup(index, present_ids=distinct_stored_ids(index), policy=policy or IndexPolicy())
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
        wanted = self._policy.kind_for(count, kind_of(current))
        replacement: faiss.Index
        if wanted == "exact" and isinstance(current, faiss.IndexIVF):
            replacement = new_exact(self._dim)
            copy_vectors(current, stored_ids(current), replacement)
        elif wanted == "ivf" and (
            not isinstance(current, faiss.IndexIVF) or self._policy.needs_relisting(current.nlist, count)
        ):
            replacement = self._trained_ivf(current)
            fill_ivf(replacement, current, stored_ids(current))
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
        ids = stored_ids(source)
        # A fixed seed: the same vectors give the same lists, so measurements and tests repeat.
        sample = np.random.default_rng(count).choice(
            ids, size=self._policy.training_rows(nlist, count), replace=False
        )
        return trained_ivf(source.reconstruct_batch(np.sort(sample)), nlist)

    def _calibrated_probes(self, index: faiss.IndexIVF) -> int:
        ids = stored_ids(index)
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
