"""An in-memory LRU of vectors in front of any Encoder, keyed by text kind and content hash."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from embeddings.encoders._checks import check_positive, checked_output, checked_texts
from embeddings.encoders.base import Encoder, TextKind, content_hash, normalize_text


class CachingEncoder:
    """Wraps an Encoder with an in-memory LRU of vectors keyed by (query|passage, content hash).

    Only texts missing from the cache reach the wrapped encoder, normalised (see ``normalize_text``)
    so a cached vector depends on nothing but its key. ``misses`` counts texts sent to the wrapped
    encoder; ``hits`` counts texts answered without encoding (including repeats within one call).
    """

    def __init__(self, inner: Encoder, *, max_entries: int = 10_000, batch_size: int = 32) -> None:
        check_positive("max_entries", max_entries)
        check_positive("batch_size", batch_size)
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.max_entries = max_entries
        self._batch_size = batch_size
        self._vectors: OrderedDict[tuple[TextKind, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # guards the LRU and counters, never held while encoding
        self.hits = 0
        self.misses = 0

    @property
    def cached_entries(self) -> int:
        """How many vectors the cache holds now."""
        with self._lock:
            return len(self._vectors)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode queries, from the cache where possible."""
        return self._encode(texts, "query", self.inner.encode_queries)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Encode passages, from the cache where possible."""
        return self._encode(texts, "passage", self.inner.encode_passages)

    def _encode(
        self, texts: Sequence[str], kind: TextKind, encode: Callable[[Sequence[str]], np.ndarray]
    ) -> np.ndarray:
        batch = checked_texts(texts)
        vectors = np.empty((len(batch), self.dim), dtype=np.float32)
        # Each missing key maps to every position wanting it, so a repeated text is encoded once.
        waiting: dict[tuple[TextKind, str], list[int]] = {}
        with self._lock:
            for position, text in enumerate(batch):
                key = (kind, content_hash(text))
                cached = self._vectors.get(key)
                if cached is not None:
                    self._vectors.move_to_end(key)
                    vectors[position] = cached
                    self.hits += 1
                else:
                    waiting.setdefault(key, []).append(position)
        missing = list(waiting.items())
        for start in range(0, len(missing), self._batch_size):
            chunk = missing[start : start + self._batch_size]
            encoded = checked_output(
                encode([normalize_text(batch[positions[0]]) for _, positions in chunk]), len(chunk)
            )
            with self._lock:
                for (key, positions), vector in zip(chunk, encoded, strict=True):
                    vectors[positions] = vector
                    self._remember(key, vector.copy())
                self.misses += len(chunk)
                self.hits += sum(len(positions) - 1 for _, positions in chunk)
        return vectors

    def _remember(self, key: tuple[TextKind, str], vector: np.ndarray) -> None:
        vector.setflags(write=False)
        self._vectors[key] = vector
        self._vectors.move_to_end(key)
        while len(self._vectors) > self.max_entries:
            self._vectors.popitem(last=False)
