"""The ONNX backend: a sentence-transformers model as int8 ONNX on onnxruntime, pooled and normalised
in numpy as the model's own modules would."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from embeddings.encoders._checks import check_positive, checked_output, checked_texts
from embeddings.encoders.onnx_export import (
    cpu_quantization_target,
    default_model_cache_dir,
    exported_int8_model,
    import_onnx_dependency,
)

# Texts per model run unless the caller says otherwise; why one: see OnnxInt8Encoder.
ONNX_BATCH_SIZE = 1


class OnnxInt8Encoder:
    """A sentence-transformers model as dynamically quantised int8 ONNX on onnxruntime, CPU only.

    The int8 file is exported once from the local model files into ``cache_dir`` (see
    ``exported_int8_model``) and reused by every later load. Its vectors differ slightly from the
    torch model's, so its ``model_id`` does too: switching backends re-encodes the stored texts.

    ``batch_size`` is texts per model run. One is the default: on CPU it measured faster than
    batches (docs/encoders.md), and int8 activations are scaled per run, so only then is a text's
    vector independent of the texts encoded with it.
    """

    def __init__(
        self,
        model_path: str | Path,
        *,
        cache_dir: Path | None = None,
        batch_size: int = ONNX_BATCH_SIZE,
        threads: int | None = None,
        quantization: str | None = None,
        model_id: str | None = None,
    ) -> None:
        check_positive("batch_size", batch_size)
        if threads is not None:
            check_positive("threads", threads)
        onnxruntime = import_onnx_dependency("onnxruntime")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from transformers import AutoTokenizer

        model_dir = Path(model_path)
        self._layout = SentenceTransformerLayout.read(model_dir)
        target = quantization or cpu_quantization_target()
        base_id = model_id or str(model_path)
        self.model_file = exported_int8_model(
            model_dir, cache_dir=cache_dir or default_model_cache_dir(), quantization=target, name=base_id
        )
        self._session = onnxruntime.InferenceSession(
            str(self.model_file), _session_options(onnxruntime, threads), providers=["CPUExecutionProvider"]
        )
        self._input_names = [graph_input.name for graph_input in self._session.get_inputs()]
        self._tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        self._pad_values = {
            "input_ids": self._tokenizer.pad_token_id or 0,
            "attention_mask": 0,
            "token_type_ids": self._tokenizer.pad_token_type_id,
        }
        self._batch_size = batch_size
        # Fast tokenizers raise "Already borrowed" when shared between threads; a session run is thread-safe.
        self._tokenizer_lock = threading.Lock()
        self.model_id = f"{base_id}@onnx-int8-{target}"
        self.dim = int(self._embed(self._tokenize(["dimension probe"])).shape[1])

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode search queries (no prefix: the sentence-transformers models used here take none)."""
        return self._encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Encode passages (no prefix)."""
        return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        batch = checked_texts(texts)
        vectors = np.empty((len(batch), self.dim), dtype=np.float32)
        tokenized = self._tokenize(batch)
        # Texts of similar token counts share a model batch, so little of it is padding. (Sorting by
        # characters, as sentence-transformers does, left much padding on our solution texts: see
        # docs/encoders.md, "Batch size".)
        order = sorted(range(len(batch)), key=lambda position: len(tokenized[position]["input_ids"]))
        for start in range(0, len(order), self._batch_size):
            positions = order[start : start + self._batch_size]
            vectors[positions] = self._embed([tokenized[position] for position in positions])
        return vectors

    def _tokenize(self, texts: list[str]) -> list[dict[str, list[int]]]:
        prepared = [text.strip() for text in texts]  # sentence-transformers strips, so we do too
        if self._layout.lower_case:
            prepared = [text.lower() for text in prepared]
        if not prepared:
            return []
        with self._tokenizer_lock:
            tokens = self._tokenizer(prepared, truncation=True, max_length=self._layout.max_seq_length)
        return [{name: tokens[name][row] for name in self._input_names} for row in range(len(prepared))]

    def _embed(self, tokenized: list[dict[str, list[int]]]) -> np.ndarray:
        feeds = self._padded(tokenized)
        token_states = self._session.run(None, feeds)[0]
        pooled = _pool(token_states, feeds["attention_mask"], self._layout.pooling)
        return checked_output(_l2_normalised(pooled), len(tokenized))

    def _padded(self, tokenized: list[dict[str, list[int]]]) -> dict[str, np.ndarray]:
        width = max(len(tokens["input_ids"]) for tokens in tokenized)
        pad_left = self._tokenizer.padding_side == "left"
        feeds: dict[str, np.ndarray] = {}
        for name in self._input_names:
            rows = np.full((len(tokenized), width), self._pad_values[name], dtype=np.int64)
            for row, tokens in enumerate(tokenized):
                values = tokens[name]
                if pad_left:
                    rows[row, width - len(values) :] = values
                else:
                    rows[row, : len(values)] = values
            feeds[name] = rows
        return feeds


@dataclass(frozen=True)
class SentenceTransformerLayout:
    """What the ONNX backend must repeat of a sentence-transformers model beyond its transformer."""

    max_seq_length: int
    lower_case: bool
    pooling: Literal["mean", "cls"]

    @classmethod
    def read(cls, model_dir: Path) -> SentenceTransformerLayout:
        """Read sentence_bert_config.json and the pooling module's config from a model directory."""
        settings = _read_json(model_dir / "sentence_bert_config.json")
        modules = _read_json(model_dir / "modules.json")
        pooling_paths = [
            module["path"] for module in modules if str(module.get("type", "")).endswith("models.Pooling")
        ]
        if not pooling_paths:
            raise ValueError(f"{model_dir} has no pooling module; the ONNX backend needs mean or CLS pooling")
        return cls(
            max_seq_length=int(settings["max_seq_length"]),
            lower_case=bool(settings.get("do_lower_case", False)),
            pooling=_pooling_mode(_read_json(model_dir / pooling_paths[0] / "config.json"), model_dir),
        )


def _pooling_mode(pooling: dict[str, Any], model_dir: Path) -> Literal["mean", "cls"]:
    chosen = sorted(key for key, enabled in pooling.items() if key.startswith("pooling_mode_") and enabled)
    if chosen == ["pooling_mode_mean_tokens"]:
        return "mean"
    if chosen == ["pooling_mode_cls_token"]:
        return "cls"
    raise ValueError(f"{model_dir}: pooling {chosen} is not supported by the ONNX backend (mean or CLS only)")


def _pool(token_states: np.ndarray, attention_mask: np.ndarray, mode: Literal["mean", "cls"]) -> np.ndarray:
    if mode == "cls":
        return np.asarray(token_states[:, 0], dtype=np.float32)
    mask = attention_mask[..., None].astype(np.float32)
    return np.asarray((token_states * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9), np.float32)


def _l2_normalised(vectors: np.ndarray) -> np.ndarray:
    # The same floor as torch's F.normalize, which sentence-transformers uses.
    return np.asarray(vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12), np.float32)


def _session_options(onnxruntime: Any, threads: int | None) -> Any:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or 0  # 0 is onnxruntime's default: one thread per core
    # One graph, run node by node: parallelism belongs inside the matrix products.
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    if threads != 1:
        # Idle workers would otherwise spin on a core that other requests (or neighbours) need: on a
        # busy machine, spinning made 2-thread queries slower (docs/encoders.md, "Thread spinning").
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
