"""Removing the language component of multilingual vectors.

Multilingual encoders put a strong language signal into every vector: a Norwegian text is closer to
an unrelated Norwegian text than to its English paraphrase. Subtracting each language's mean vector
(fitted on a calibration corpus) and re-normalising leaves mostly the topic; see ARCHITECTURE.md.
"""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LanguageCentroids:
    means: Mapping[str, np.ndarray]  # language -> mean vector of that language's calibration texts

    @classmethod
    def fit(cls, vectors: np.ndarray, languages: Sequence[str]) -> "LanguageCentroids":
        if len(vectors) != len(languages):
            raise ValueError("one language per vector")
        labels = np.asarray(languages)
        return cls(
            means={
                language: vectors[labels == language].mean(axis=0).astype(np.float32)
                for language in sorted(set(languages))
            }
        )

    def fingerprint(self) -> str:
        """Short stable hash, so an index built with other centroids is recognised as stale."""
        digest = hashlib.sha256()
        for language in sorted(self.means):
            digest.update(language.encode())
            digest.update(np.asarray(self.means[language], dtype="<f4").tobytes())
        return digest.hexdigest()[:12]

    def apply(self, vectors: np.ndarray, languages: Sequence[str]) -> np.ndarray:
        """Centre each row on its language's mean and re-normalise. A language without calibration texts
        is centred on the mean of the known languages' means: a Swedish, Danish or German text then
        matches better than left as it is, with the language component it shares with them."""
        matrix = np.array(vectors, dtype=np.float32, copy=True, ndmin=2)
        shared = np.mean(list(self.means.values()), axis=0) if self.means else None
        for row, language in enumerate(languages):
            mean = self.means.get(language, shared)
            if mean is not None:
                matrix[row] -= mean
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return np.asarray(matrix / np.maximum(norms, 1e-12), dtype=np.float32)
