"""The ONNX int8 MiniLM: offline export into a cache, reuse of the exported file, closeness to torch."""

from __future__ import annotations

import os
import sys
import threading
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pytest

from embeddings import OnnxInt8Encoder, SentenceTransformerEncoder, load_encoder
from embeddings.encoders import onnx_export

MISSING_ONNX = [name for name in ("onnx", "onnxruntime") if find_spec(name) is None]
needs_onnx = pytest.mark.skipif(
    bool(MISSING_ONNX),
    reason=f"{', '.join(MISSING_ONNX)} not installed: pip install -e '.[onnx]' to test the ONNX encoder",
)

TEXTS = [
    "Vi mister mye drikkevann fordi ledningsnettet lekker.",
    "Acoustic sensors find leaks in water pipes early, before the road caves in.",
    "Healthy school meals delivered daily to primary schools.",
    "Smart parking sensors show drivers where free spaces are.",
]


@pytest.fixture(scope="module")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def onnx_minilm(model_cache: Path) -> OnnxInt8Encoder:
    """Exported once for the module (about 15 s); the tests below reuse the file."""
    encoder = load_encoder("minilm-onnx", threads=1, cache_dir=model_cache)
    assert isinstance(encoder, OnnxInt8Encoder)
    return encoder


@needs_onnx
@pytest.mark.slow
def test_onnx_minilm_encodes_unit_vectors_of_dim_384(onnx_minilm: OnnxInt8Encoder) -> None:
    assert onnx_minilm.dim == 384
    for vectors in (onnx_minilm.encode_queries(TEXTS), onnx_minilm.encode_passages([*TEXTS, ""])):
        assert vectors.dtype == np.float32 and vectors.shape[1] == 384
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert onnx_minilm.encode_passages([]).shape == (0, 384)


@needs_onnx
@pytest.mark.slow
def test_onnx_minilm_vectors_are_close_to_the_torch_ones(
    onnx_minilm: OnnxInt8Encoder, minilm_encoder: SentenceTransformerEncoder
) -> None:
    cosines = np.sum(onnx_minilm.encode_passages(TEXTS) * minilm_encoder.encode_passages(TEXTS), axis=1)
    assert cosines.min() > 0.95, cosines


@needs_onnx
@pytest.mark.slow
def test_onnx_minilm_model_id_differs_from_the_torch_one(
    onnx_minilm: OnnxInt8Encoder, minilm_encoder: SentenceTransformerEncoder
) -> None:
    # The vectors differ slightly, so stored torch vectors must not be taken for int8 ones.
    assert onnx_minilm.model_id != minilm_encoder.model_id
    assert onnx_minilm.model_id.startswith("sentence-transformers/all-MiniLM-L6-v2@onnx-int8-")


@needs_onnx
@pytest.mark.slow
def test_a_second_load_reuses_the_exported_file(
    onnx_minilm: OnnxInt8Encoder, model_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exported = onnx_minilm.model_file
    modified = exported.stat().st_mtime_ns

    def no_second_export(*args: object) -> None:
        raise AssertionError("the model was exported again")

    monkeypatch.setattr(onnx_export, "export_fp32_onnx", no_second_export)
    again = load_encoder("minilm-onnx", threads=2, cache_dir=model_cache)

    assert isinstance(again, OnnxInt8Encoder)
    assert again.model_file == exported and exported.stat().st_mtime_ns == modified
    assert again.model_id == onnx_minilm.model_id
    # A thread count changes the speed, never the vectors.
    np.testing.assert_allclose(again.encode_passages(TEXTS), onnx_minilm.encode_passages(TEXTS), atol=1e-5)


@needs_onnx
@pytest.mark.slow
def test_the_export_leaves_only_the_finished_file(onnx_minilm: OnnxInt8Encoder, model_cache: Path) -> None:
    # Built in a temporary directory and renamed into place: no fp32 copy or half-written file stays.
    assert [path.relative_to(model_cache) for path in model_cache.rglob("*")] == [
        onnx_minilm.model_file.parent.relative_to(model_cache),
        onnx_minilm.model_file.relative_to(model_cache),
    ]
    assert onnx_minilm.model_file.suffix == ".onnx" and os.access(onnx_minilm.model_file, os.R_OK)


@needs_onnx
@pytest.mark.slow
def test_a_text_gets_the_same_vector_alone_or_among_others(onnx_minilm: OnnxInt8Encoder) -> None:
    # One text per model run (the default): int8 activations are scaled per run, so batch mates
    # would otherwise move a vector a little.
    texts = ["short", *TEXTS, "a somewhat longer text about district heating and heat pumps"]
    together = onnx_minilm.encode_passages(texts)
    alone = np.vstack([onnx_minilm.encode_passages([text]) for text in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


@needs_onnx
@pytest.mark.slow
def test_batched_rows_come_back_in_input_order(model_cache: Path) -> None:
    # With several texts per run the encoder sorts them by token count; each row stays with its text.
    batched_encoder = load_encoder("minilm-onnx", batch_size=3, cache_dir=model_cache)
    texts = ["short", *TEXTS, "a somewhat longer text about district heating and heat pumps"]
    batched = batched_encoder.encode_passages(texts)
    alone = np.vstack([batched_encoder.encode_passages([text]) for text in texts])
    assert np.sum(batched * alone, axis=1).min() > 0.97
    assert list(np.argmax(batched @ alone.T, axis=1)) == list(range(len(texts)))


@needs_onnx
@pytest.mark.slow
def test_onnx_minilm_is_safe_to_call_from_threads(onnx_minilm: OnnxInt8Encoder) -> None:
    expected = onnx_minilm.encode_passages(TEXTS)
    results: list[np.ndarray] = []

    def encode() -> None:
        results.append(onnx_minilm.encode_passages(TEXTS))

    threads = [threading.Thread(target=encode) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 4
    for result in results:
        np.testing.assert_allclose(result, expected, atol=1e-5)


def test_a_missing_onnxruntime_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # makes `import onnxruntime` fail
    with pytest.raises(ImportError, match=r"innomatch\[onnx\]"):
        load_encoder("minilm-onnx", cache_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["st-onnx:", "st-onnx:   ", "minilm_onnx", "onnx:minilm"])
def test_load_encoder_rejects_malformed_onnx_names(name: str) -> None:
    with pytest.raises(ValueError, match="unknown encoder") as raised:
        load_encoder(name)
    assert "minilm-onnx" in str(raised.value) and "st-onnx:<model path>" in str(raised.value)


@needs_onnx
def test_st_onnx_fails_fast_for_a_model_not_on_disk(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        load_encoder(f"st-onnx:{tmp_path / 'no-such-model'}", cache_dir=tmp_path)


@needs_onnx
def test_an_unknown_quantization_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="avx512_vnni"):
        onnx_export.exported_int8_model(tmp_path, cache_dir=tmp_path, quantization="avx9", name="x")
