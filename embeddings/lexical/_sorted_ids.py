"""Finding ids in an ascending id array: how every segment maps record ids to its rows."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np


def id_array(ids: Collection[int]) -> np.ndarray:
    if isinstance(ids, np.ndarray):
        return ids.astype(np.int64, copy=False)
    return np.fromiter(ids, dtype=np.int64, count=len(ids))


def found_in(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Which of `ids` are in `sorted_ids`, as a boolean mask."""
    rows = np.searchsorted(sorted_ids, ids)
    inside = rows < len(sorted_ids)
    mask = np.zeros(len(ids), dtype=bool)
    mask[inside] = sorted_ids[rows[inside]] == ids[inside]
    return mask


def rows_in(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Rows in `sorted_ids` of those of `ids` it holds."""
    return np.asarray(np.searchsorted(sorted_ids, ids[found_in(sorted_ids, ids)]), dtype=np.intp)
