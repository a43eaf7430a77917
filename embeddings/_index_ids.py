"""Id bookkeeping for VectorIndex: validating ids, the ids an index holds, and the ids a search allows."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import faiss
import numpy as np

IdsLike = Sequence[int] | np.ndarray


class PresentIds:
    """The ids an index holds, as one sorted int64 array: a fraction of a Python set's memory. A change
    copies the array, a small cost even at a million ids (docs/ann-index.md)."""

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


class AllowedIds:
    """A search filter: the allowed ids as given, how many distinct ones, and a FAISS selector of them.

    Dense ids (the service lists primary keys) become a bitmap: no sort, and far faster to build
    than a hash set (docs/ann-index.md, "Filters"). Sparse ids get the hash set.
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
            self._sorted = sorted_unique(ids)
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


def as_sequence(ids: Collection[int]) -> IdsLike:
    return ids if isinstance(ids, np.ndarray | list | tuple) else list(ids)


def sorted_unique(ids: np.ndarray) -> np.ndarray:
    # Not np.unique: on int64 it is hash based in numpy 2.4 and far slower than a sort (docs/ann-index.md).
    ordered = np.sort(ids)
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def as_id_array(ids: IdsLike) -> np.ndarray:
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
