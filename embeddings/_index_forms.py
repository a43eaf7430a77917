"""The two FAISS forms of a VectorIndex, exact and IVF: creating, recognising, listing ids, removing."""

from __future__ import annotations

import faiss
import numpy as np

from embeddings._index_ids import PresentIds
from embeddings.ann import HASHTABLE_DIRECT_MAP, IndexKind, ivf_ids
from embeddings.snapshot import SnapshotError


def new_exact(dim: int) -> faiss.IndexIDMap2:
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def kind_of(index: faiss.Index) -> IndexKind:
    return "ivf" if isinstance(index, faiss.IndexIVF) else "exact"


def checked_kind(index: faiss.Index) -> IndexKind:
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


def stored_ids(index: faiss.Index) -> np.ndarray:
    if isinstance(index, faiss.IndexIVF):
        return ivf_ids(index)
    if isinstance(index, faiss.IndexIDMap2):
        return faiss.vector_to_array(index.id_map).astype(np.int64, copy=True)
    raise TypeError(f"not an index this module builds: {type(index).__name__}")


def distinct_stored_ids(index: faiss.Index) -> PresentIds:
    sorted_ids = np.sort(stored_ids(index))
    if len(sorted_ids) != index.ntotal or (np.diff(sorted_ids) == 0).any():
        raise SnapshotError("snapshot holds duplicate ids, or lists that disagree with its count")
    return PresentIds(sorted_ids)


def remove_stored(index: faiss.Index, ids: np.ndarray) -> int:
    # The IVF's hash map removes only by explicit array (O(1) per id); the exact index scans all
    # vectors once, testing each against a hash set of the ids.
    if isinstance(index, faiss.IndexIVF):
        return int(index.remove_ids(faiss.IDSelectorArray(ids)))
    return int(index.remove_ids(faiss.IDSelectorBatch(ids)))
