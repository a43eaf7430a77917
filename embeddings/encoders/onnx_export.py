"""Exports a local sentence-transformers model to int8 ONNX once, with the recipe optimum applies: optimum-onnx
itself cannot be installed beside transformers >= 5 (docs/encoders.md, "How `minilm-onnx` is built")."""

from __future__ import annotations

import hashlib
import os
import platform
import re
import tempfile
import warnings
from pathlib import Path
from typing import Any

ONNX_INSTALL_HINT = "install the optional dependencies: pip install 'innomatch[onnx]'"
# Part of every exported file's cache key: bump it when the export or quantisation recipe changes.
ONNX_EXPORT_VERSION = 1
# Dynamic int8 recipes by CPU, named as sentence-transformers names them. Weights are signed int8
# except on plain AVX2, where u8 x s8 products can saturate (VPMADDUBSW) and u8 weights are safer.
INT8_SIGNED_WEIGHTS = {"avx512_vnni": True, "avx512": True, "avx2": False, "arm64": True}


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
    import_onnx_dependency("onnx")  # before anything is written: a missing extra leaves no trace
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
    import_onnx_dependency("onnx")
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
    import_onnx_dependency("onnx")
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        source,
        destination,
        per_channel=True,
        reduce_range=False,
        weight_type=QuantType.QInt8 if INT8_SIGNED_WEIGHTS[quantization] else QuantType.QUInt8,
        extra_options={"WeightSymmetric": True, "ActivationSymmetric": False},
    )


def import_onnx_dependency(module_name: str) -> Any:
    """Import an optional ONNX package, or fail with the install command for the extra."""
    import importlib

    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        raise ImportError(f"the ONNX encoders need {module_name}: {ONNX_INSTALL_HINT}") from error
