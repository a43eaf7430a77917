"""Every record's terms as vocabulary ids in flat arrays, and applying the changes made since."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from embeddings.lexical._sorted_ids import found_in

Change = tuple[int, np.ndarray | None]  # (change count, the record's term ids; None once removed)


@dataclass(frozen=True)
class StoredTerms:
    """Every record's term ids in three flat arrays: as one small array per record in a dict they took
    several times the data's own size (docs/lexical-index.md)."""

    ids: np.ndarray  # ascending
    offsets: np.ndarray  # the terms of the record in row i are terms[offsets[i]:offsets[i + 1]]
    terms: np.ndarray

    @classmethod
    def of_chunks(cls, chunks: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> StoredTerms:
        """From (ids, lengths, concatenated terms) chunks; ids ascending across chunks is the fast path."""
        ids = np.concatenate([chunk[0] for chunk in chunks]) if chunks else np.empty(0, np.int64)
        lengths = np.concatenate([chunk[1] for chunk in chunks]) if chunks else np.empty(0, np.int64)
        terms = np.concatenate([chunk[2] for chunk in chunks]) if chunks else np.empty(0, np.int32)
        offsets = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        stored = cls(ids, offsets, terms)
        if len(ids) > 1 and not (np.diff(ids) > 0).all():  # out of order or repeated: the last one wins
            stored = cls.of(dict(zip(ids.tolist(), stored.records(), strict=True)))
        return stored

    @classmethod
    def of(cls, records: Mapping[int, np.ndarray]) -> StoredTerms:
        ids = np.sort(np.fromiter(records.keys(), dtype=np.int64, count=len(records)))
        arrays = [records[owner_id] for owner_id in ids.tolist()]
        lengths = np.fromiter((len(array) for array in arrays), dtype=np.int64, count=len(arrays))
        terms = np.concatenate(arrays).astype(np.int32, copy=False) if arrays else np.empty(0, np.int32)
        return cls.of_chunks([(ids, lengths, terms)]) if len(ids) else cls.of_chunks([])

    def records(self) -> list[np.ndarray]:
        """Each record's terms, in id order (views, not copies)."""
        return np.split(self.terms, self.offsets[1:-1]) if len(self.ids) else []

    def holds(self, owner_id: int) -> bool:
        return bool(found_in(self.ids, np.array([owner_id], dtype=np.int64))[0])

    def with_changes(self, changes: Mapping[int, Change]) -> StoredTerms:
        if not changes:
            return self
        current = dict(zip(self.ids.tolist(), self.records(), strict=True))
        for owner_id, (_version, terms) in changes.items():
            if terms is None:
                current.pop(owner_id, None)
            else:
                current[owner_id] = terms
        return StoredTerms.of(current)


NO_TERMS = StoredTerms.of_chunks([])
