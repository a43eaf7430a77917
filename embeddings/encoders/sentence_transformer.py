"""The sentence-transformers backend: a model on torch, CPU only, loaded from local files."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

import numpy as np

from embeddings.encoders._checks import check_positive, checked_output, checked_texts


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
        check_positive("batch_size", batch_size)
        # No network exists here: fail at once instead of retrying a hub that cannot be reached.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        if threads is not None:
            check_positive("threads", threads)
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
        batch = [prefix + text for text in checked_texts(texts)]
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
        return checked_output(vectors, len(batch))
