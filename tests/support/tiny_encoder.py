"""A tiny deterministic encoder for tests that need vectors but not a language model.

Each word (lower-cased, accents kept) is hashed to a fixed random unit direction; a text is the
normalised sum of its words' directions. Two texts share similarity exactly where they share words, so
a test can reason about the ranking it expects, and nothing is loaded from disk.
"""

import hashlib
import re
from collections.abc import Sequence

import numpy as np

WORD = re.compile(r"\w+", re.UNICODE)


class TinyEncoder:
    """Implements embeddings.Encoder."""

    def __init__(self, dim: int = 32) -> None:
        self.dim = dim
        self.model_id = f"tiny-hash-{dim}"
        self.calls: list[int] = []  # texts per call, so that a test can see what was encoded

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        matrix = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in WORD.findall(text.lower()):
                matrix[row] += self._direction(word)
            norm = float(np.linalg.norm(matrix[row]))
            matrix[row] = matrix[row] / norm if norm else self._direction("\0empty")
        return matrix

    def _direction(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(word.encode("utf-8")).digest()[:8], "little")
        vector = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        return vector / np.linalg.norm(vector)
