"""Argument and result checks that every backend applies the same way."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def checked_texts(texts: Sequence[str]) -> list[str]:
    # A bare str is a Sequence[str] too; encoding it character by character is never what was meant.
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not a single string")
    batch = list(texts)
    for text in batch:
        if not isinstance(text, str):
            raise TypeError(f"texts must be strings, got {type(text).__name__}")
    return batch


def checked_output(vectors: Any, expected_rows: int) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim != 2 or array.shape[0] != expected_rows:
        raise RuntimeError(f"encoder returned shape {array.shape} for {expected_rows} texts")
    return array


def check_positive(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
