"""VectorIndex against real FAISS: ids, upsert, filtered search, snapshots, concurrency."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from embeddings import IndexManifest, IndexPolicy, SnapshotError, VectorIndex
from embeddings.snapshot import INDEX_FILE_NAME, LOCK_FILE_NAME, MANIFEST_FILE_NAME, snapshot_lock

DIM = 16


def unit_rows(count: int, *, seed: int, dim: int = DIM) -> np.ndarray:
    """Random L2-normalised float32 rows."""
    rows = np.random.default_rng(seed).standard_normal((count, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def brute_force(vectors: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Exact top-k by inner product in numpy."""
    scores = vectors @ query
    order = np.argsort(-scores)[:k]
    return [(int(ids[i]), float(scores[i])) for i in order]


def assert_same_hits(actual: list[tuple[int, float]], expected: list[tuple[int, float]]) -> None:
    assert [hit_id for hit_id, _ in actual] == [hit_id for hit_id, _ in expected]
    np.testing.assert_allclose([s for _, s in actual], [s for _, s in expected], rtol=1e-5, atol=1e-5)


@pytest.fixture
def filled_index() -> tuple[VectorIndex, np.ndarray, np.ndarray]:
    """1000 vectors whose ids are large, sparse primary keys, not positions."""
    ids = 10_000_000 + np.arange(1000, dtype=np.int64) * 17
    vectors = unit_rows(1000, seed=1)
    index = VectorIndex(DIM)
    index.upsert(ids, vectors)
    return index, ids, vectors


# --- ids, upsert, remove ------------------------------------------------------------------------


def test_search_returns_primary_keys_not_positions() -> None:
    index = VectorIndex(DIM)
    vectors = unit_rows(3, seed=2)
    index.upsert([10_000_017, 42, 7_000_000_000], vectors)

    hits = index.search(vectors[0], k=3)

    assert hits[0][0] == 10_000_017
    assert hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert {hit_id for hit_id, _ in hits} == {10_000_017, 42, 7_000_000_000}
    assert 10_000_017 in index and 0 not in index and 1 not in index and 2**70 not in index
    assert len(index) == 3
    assert sorted(index.ids().tolist()) == [42, 10_000_017, 7_000_000_000]
    assert index.ids().dtype == np.int64


def test_upsert_of_existing_id_replaces_its_vector() -> None:
    index = VectorIndex(DIM)
    old, new, other = unit_rows(3, seed=3)
    index.upsert([10_000_017, 5], np.stack([old, other]))

    index.upsert([10_000_017], new[None, :])

    assert len(index) == 2
    np.testing.assert_array_equal(index.vector(10_000_017), new)
    assert index.search(new, k=1)[0][0] == 10_000_017
    assert all(score < 0.999 for hit_id, score in index.search(old, k=2) if hit_id == 10_000_017)


def test_remove_counts_present_ids_and_ignores_unknown() -> None:
    index = VectorIndex(DIM)
    index.upsert([1, 2, 3], unit_rows(3, seed=4))

    assert index.remove([2, 99, 2]) == 1
    assert index.remove([99]) == 0
    assert index.remove([]) == 0

    assert len(index) == 2 and 2 not in index
    assert {hit_id for hit_id, _ in index.search(unit_rows(1, seed=5), k=10)[0:]} == {1, 3}
    with pytest.raises(KeyError):
        index.vector(2)


@pytest.mark.parametrize("exact_max", [50_000, 300])
def test_ids_follow_random_upserts_and_removals_in_either_form(exact_max: int, tmp_path: Path) -> None:
    # At exact_max=300 the index turns IVF and back as the count crosses 300 and 150.
    index = VectorIndex(DIM, policy=IndexPolicy(exact_max=exact_max, min_probes=2))
    rng = np.random.default_rng(11)
    expected: set[int] = set()
    forms: set[str] = set()
    for step in range(60):
        ids = rng.choice(2_000, size=int(rng.integers(1, 40)), replace=False)
        if step % 3 == 2:
            assert index.remove(ids) == len(expected & set(ids.tolist()))
            expected -= set(ids.tolist())
        else:
            index.upsert(ids, unit_rows(len(ids), seed=step))
            expected |= set(ids.tolist())
        probe = rng.choice(2_000, size=50, replace=False)
        assert [int(id) in index for id in probe] == [int(id) in expected for id in probe]
        assert index.vectors(probe)[0].tolist() == [int(id) for id in probe if int(id) in expected]
        assert len(index) == len(expected) and sorted(index.ids().tolist()) == sorted(expected)
        forms.add(index.layout().kind)
    assert forms == ({"exact", "ivf"} if exact_max == 300 else {"exact"})

    index.save(tmp_path, model_id="m", last_change_seq=1)
    loaded, _ = VectorIndex.load(tmp_path, policy=index.policy)
    assert all(id in loaded for id in expected) and len(loaded) == len(expected)


def test_vectors_of_several_ids_come_back_with_the_ids_present() -> None:
    index = VectorIndex(DIM)
    stored = unit_rows(3, seed=7)
    index.upsert([10, 20, 30], stored)

    found, vectors = index.vectors(np.array([30, 99, 10]))

    assert found.tolist() == [30, 10]
    np.testing.assert_array_equal(vectors, stored[[2, 0]])
    found, vectors = index.vectors(np.array([99], dtype=np.int64))
    assert found.size == 0 and vectors.shape == (0, DIM)


@pytest.mark.parametrize(
    ("ids", "vectors", "message"),
    [
        ([1, 1], unit_rows(2, seed=6), "unique"),
        ([1], unit_rows(1, seed=6).astype(np.float64), "float32"),
        ([1], unit_rows(1, seed=6, dim=DIM + 1), "shape"),
        ([1, 2], unit_rows(1, seed=6), "ids but"),
        ([-1], unit_rows(1, seed=6), "non-negative"),
        ([1.5], unit_rows(1, seed=6), "ints"),
        ([1], np.full((1, DIM), np.nan, dtype=np.float32), "NaN"),
    ],
)
def test_upsert_rejects_bad_input_and_changes_nothing(
    ids: list[float], vectors: np.ndarray, message: str
) -> None:
    index = VectorIndex(DIM)
    index.upsert([1], unit_rows(1, seed=7))
    before = index.vector(1)

    with pytest.raises(ValueError, match=message):
        index.upsert(ids, vectors)  # type: ignore[arg-type]

    assert len(index) == 1
    np.testing.assert_array_equal(index.vector(1), before)


def test_search_edge_cases() -> None:
    index = VectorIndex(DIM)
    query = unit_rows(1, seed=8)[0]
    assert index.search(query, k=5) == []

    index.upsert([1, 2], unit_rows(2, seed=9))
    assert len(index.search(query, k=50)) == 2  # no -1 padding
    assert index.search(query, k=5, allowed_ids=[]) == []
    assert index.search(query, k=5, allowed_ids={12345}) == []
    with pytest.raises(ValueError, match="k must"):
        index.search(query, k=0)
    with pytest.raises(ValueError, match="shape"):
        index.search(unit_rows(1, seed=8, dim=DIM - 1)[0], k=1)
    with pytest.raises(ValueError, match="dim"):
        VectorIndex(0)


# --- search ---------------------------------------------------------------------------------------


def test_unfiltered_search_matches_brute_force(
    filled_index: tuple[VectorIndex, np.ndarray, np.ndarray],
) -> None:
    index, ids, vectors = filled_index
    queries = unit_rows(5, seed=10)

    results = index.search_batch(queries, k=10)

    assert len(results) == 5
    for query, hits in zip(queries, results, strict=True):
        assert_same_hits(hits, brute_force(vectors, ids, query, 10))


def test_filtered_search_returns_full_k_from_allowed_ids(
    filled_index: tuple[VectorIndex, np.ndarray, np.ndarray],
) -> None:
    index, ids, vectors = filled_index
    query = unit_rows(1, seed=11)[0]
    # The 50 *worst* matches, spread over the id range: filtering after an unfiltered top-k would find none.
    worst_positions = np.argsort(vectors @ query)[:50]
    allowed = set(ids[worst_positions].tolist())

    hits = index.search(query, k=10, allowed_ids=allowed)

    assert len(hits) == 10
    assert {hit_id for hit_id, _ in hits} <= allowed
    assert_same_hits(hits, brute_force(vectors[worst_positions], ids[worst_positions], query, 10))
    assert index.search(query, k=100, allowed_ids=allowed).__len__() == 50


def test_filtered_batch_search_ignores_allowed_ids_that_are_absent(
    filled_index: tuple[VectorIndex, np.ndarray, np.ndarray],
) -> None:
    index, ids, vectors = filled_index
    allowed = np.concatenate([ids[::100], np.array([5, 6, 7], dtype=np.int64)])  # 10 present + 3 absent
    queries = unit_rows(3, seed=12)

    results = index.search_batch(queries, k=20, allowed_ids=allowed)

    for query, hits in zip(queries, results, strict=True):
        assert len(hits) == 10
        assert_same_hits(hits, brute_force(vectors[::100], ids[::100], query, 20))


# --- snapshots ------------------------------------------------------------------------------------


def test_save_load_roundtrip(
    tmp_path: Path, filled_index: tuple[VectorIndex, np.ndarray, np.ndarray]
) -> None:
    index, ids, _ = filled_index
    before = datetime.now(UTC)

    saved = index.save(tmp_path / "snap", model_id="test/model@1", last_change_seq=4711)
    loaded, manifest = VectorIndex.load(tmp_path / "snap")

    assert manifest == saved
    assert (manifest.format_version, manifest.model_id, manifest.dim, manifest.count) == (
        1,
        "test/model@1",
        DIM,
        1000,
    )
    assert manifest.last_change_seq == 4711
    index_bytes = (tmp_path / "snap" / INDEX_FILE_NAME).read_bytes()
    assert manifest.checksum == hashlib.sha256(index_bytes).hexdigest()
    saved_at = datetime.fromisoformat(manifest.saved_at)
    assert saved_at.utcoffset() is not None and saved_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert before.replace(microsecond=0) <= saved_at <= datetime.now(UTC)
    assert loaded.dim == DIM and len(loaded) == 1000
    np.testing.assert_array_equal(np.sort(loaded.ids()), np.sort(ids))
    queries = unit_rows(4, seed=13)
    assert loaded.search_batch(queries, k=7) == index.search_batch(queries, k=7)
    allowed = ids[::37].tolist()
    assert loaded.search(queries[0], k=5, allowed_ids=allowed) == index.search(
        queries[0], k=5, allowed_ids=allowed
    )
    assert not [p.name for p in (tmp_path / "snap").iterdir() if p.name.endswith(".tmp")]


def test_empty_index_roundtrip(tmp_path: Path) -> None:
    VectorIndex(DIM).save(tmp_path, model_id="m", last_change_seq=0)
    loaded, manifest = VectorIndex.load(tmp_path)
    assert manifest.count == 0 and len(loaded) == 0 and loaded.dim == DIM
    assert loaded.search(unit_rows(1, seed=30)[0], k=3) == []


def test_loaded_index_stays_writable(tmp_path: Path) -> None:
    index = VectorIndex(DIM)
    index.upsert([1, 2], unit_rows(2, seed=14))
    index.save(tmp_path, model_id="m", last_change_seq=1)
    loaded, _ = VectorIndex.load(tmp_path)
    replacement = unit_rows(1, seed=15)

    loaded.upsert([2], replacement)
    loaded.upsert([3], unit_rows(1, seed=16))

    assert len(loaded) == 3 and 2 in loaded
    np.testing.assert_array_equal(loaded.vector(2), replacement[0])
    assert loaded.remove([1]) == 1


def test_save_overwrites_previous_snapshot(tmp_path: Path) -> None:
    index = VectorIndex(DIM)
    index.upsert([1], unit_rows(1, seed=17))
    index.save(tmp_path, model_id="m", last_change_seq=1)
    index.upsert([2], unit_rows(1, seed=18))
    index.save(tmp_path, model_id="m", last_change_seq=2)

    loaded, manifest = VectorIndex.load(tmp_path)

    assert manifest.last_change_seq == 2 and manifest.count == 2 and len(loaded) == 2


@pytest.fixture
def saved_snapshot(tmp_path: Path) -> Path:
    index = VectorIndex(DIM)
    index.upsert(np.arange(100, 200), unit_rows(100, seed=19))
    index.save(tmp_path, model_id="m", last_change_seq=9)
    return tmp_path


def rewrite_manifest(directory: Path, **changes: object) -> None:
    path = directory / MANIFEST_FILE_NAME
    fields = json.loads(path.read_text())
    fields.update(changes)
    path.write_text(json.dumps(fields))


def test_missing_directory_raises_snapshot_error(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError):
        VectorIndex.load(tmp_path / "never-saved")
    with pytest.raises(SnapshotError):
        VectorIndex.load(tmp_path)  # exists, but empty


def test_missing_index_file_raises_snapshot_error(saved_snapshot: Path) -> None:
    (saved_snapshot / INDEX_FILE_NAME).unlink()
    with pytest.raises(SnapshotError):
        VectorIndex.load(saved_snapshot)


def test_truncated_index_raises_snapshot_error(saved_snapshot: Path) -> None:
    path = saved_snapshot / INDEX_FILE_NAME
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(SnapshotError, match="checksum"):
        VectorIndex.load(saved_snapshot)


def test_truncated_index_with_matching_checksum_still_raises_snapshot_error(saved_snapshot: Path) -> None:
    # FAISS itself must reject it, and its RuntimeError must surface as SnapshotError.
    path = saved_snapshot / INDEX_FILE_NAME
    truncated = path.read_bytes()[:-100]
    path.write_bytes(truncated)
    rewrite_manifest(saved_snapshot, checksum=hashlib.sha256(truncated).hexdigest())
    with pytest.raises(SnapshotError, match="cannot read"):
        VectorIndex.load(saved_snapshot)


@pytest.mark.parametrize("fix_checksum", [False, True])
def test_garbage_index_raises_snapshot_error(saved_snapshot: Path, fix_checksum: bool) -> None:
    garbage = np.random.default_rng(20).bytes(5000)
    (saved_snapshot / INDEX_FILE_NAME).write_bytes(garbage)
    if fix_checksum:
        rewrite_manifest(saved_snapshot, checksum=hashlib.sha256(garbage).hexdigest())
    with pytest.raises(SnapshotError):
        VectorIndex.load(saved_snapshot)


@pytest.mark.parametrize(
    "manifest_bytes", [b"", b"{not json", b"[]", b'{"format_version": 1}', b"\xff\xfe\x00 not utf-8"]
)
def test_garbage_manifest_raises_snapshot_error(saved_snapshot: Path, manifest_bytes: bytes) -> None:
    (saved_snapshot / MANIFEST_FILE_NAME).write_bytes(manifest_bytes)
    with pytest.raises(SnapshotError):
        VectorIndex.load(saved_snapshot)


def test_index_replaced_after_save_fails_checksum(saved_snapshot: Path, tmp_path: Path) -> None:
    other = VectorIndex(DIM)
    other.upsert([1, 2, 3], unit_rows(3, seed=21))
    other.save(tmp_path / "other", model_id="m", last_change_seq=9)
    os.replace(tmp_path / "other" / INDEX_FILE_NAME, saved_snapshot / INDEX_FILE_NAME)

    with pytest.raises(SnapshotError, match="checksum"):
        VectorIndex.load(saved_snapshot)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"count": 99}, "count"),
        ({"dim": DIM * 2}, "dim"),
        ({"format_version": 2}, "format_version"),
        ({"dim": True}, "dim"),
        ({"checksum": "abc"}, "checksum"),
        ({"model_id": None}, "model_id"),
    ],
)
def test_manifest_disagreeing_with_index_raises_snapshot_error(
    saved_snapshot: Path, changes: dict[str, object], message: str
) -> None:
    rewrite_manifest(saved_snapshot, **changes)
    with pytest.raises(SnapshotError, match=message):
        VectorIndex.load(saved_snapshot)


def test_leftover_temp_files_do_not_break_loading_previous_snapshot(saved_snapshot: Path) -> None:
    # What a process killed mid-save leaves behind: temp files next to the intact previous snapshot.
    (saved_snapshot / f".{INDEX_FILE_NAME}.k1ll3d.tmp").write_bytes(b"half an index")
    (saved_snapshot / f".{MANIFEST_FILE_NAME}.k1ll3d.tmp").write_text('{"count": 12')

    loaded, manifest = VectorIndex.load(saved_snapshot)

    assert manifest.last_change_seq == 9 and len(loaded) == 100
    # And a later save still succeeds beside them.
    loaded.save(saved_snapshot, model_id="m", last_change_seq=10)
    assert VectorIndex.load(saved_snapshot)[1].last_change_seq == 10


def test_failed_save_keeps_previous_snapshot_and_cleans_up(
    saved_snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = VectorIndex(DIM)
    index.upsert([1], unit_rows(1, seed=22))

    def failing_replace(source: object, target: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk gone"):
        index.save(saved_snapshot, model_id="m", last_change_seq=10)
    monkeypatch.undo()

    loaded, manifest = VectorIndex.load(saved_snapshot)
    assert manifest.last_change_seq == 9 and len(loaded) == 100
    assert sorted(p.name for p in saved_snapshot.iterdir()) == [
        LOCK_FILE_NAME,
        INDEX_FILE_NAME,
        MANIFEST_FILE_NAME,
    ]


def test_a_save_waits_for_the_snapshot_lock_another_process_holds(saved_snapshot: Path) -> None:
    # flock locks belong to an open file, so this lock excludes the save's own as another process's would.
    index = VectorIndex(DIM)
    index.upsert([1], unit_rows(1, seed=23))
    with snapshot_lock(saved_snapshot, exclusive=False):  # a worker reading the snapshot at start-up
        saving = threading.Thread(
            target=index.save, args=(saved_snapshot,), kwargs={"model_id": "m", "last_change_seq": 10}
        )
        saving.start()
        saving.join(timeout=0.5)
        assert saving.is_alive()
        manifest = json.loads((saved_snapshot / MANIFEST_FILE_NAME).read_text())
        assert manifest["last_change_seq"] == 9  # neither file renamed while the reader holds the lock
    saving.join(timeout=10)
    assert not saving.is_alive()
    assert VectorIndex.load(saved_snapshot)[1].last_change_seq == 10


def test_crash_between_the_two_renames_is_detected(
    saved_snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = VectorIndex(DIM)
    index.upsert([1], unit_rows(1, seed=23))
    real_replace = os.replace

    def replace_index_only(source: str, target: str) -> None:
        if str(target).endswith(MANIFEST_FILE_NAME):
            raise OSError("crashed before the manifest rename")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace_index_only)
    with pytest.raises(OSError, match="crashed"):
        index.save(saved_snapshot, model_id="m", last_change_seq=10)
    monkeypatch.undo()

    with pytest.raises(SnapshotError, match="checksum"):
        VectorIndex.load(saved_snapshot)


# --- concurrency ----------------------------------------------------------------------------------


def test_concurrent_searches_during_writes_end_in_expected_state(tmp_path: Path) -> None:
    index = VectorIndex(DIM)
    stable_ids = np.arange(1, 501, dtype=np.int64)
    stable_vectors = unit_rows(500, seed=24)
    index.upsert(stable_ids, stable_vectors)
    churn_ids = np.arange(1000, 1200, dtype=np.int64)
    queries = unit_rows(8, seed=25)
    errors: list[BaseException] = []
    writer_done = threading.Event()

    def search_until_writer_done() -> None:
        try:
            rounds = 0
            while not writer_done.is_set() or rounds < 5:
                rounds += 1
                for hits in index.search_batch(queries, k=10):
                    scores = [score for _, score in hits]
                    assert len(hits) == 10 and scores == sorted(scores, reverse=True)
                filtered = index.search(queries[0], k=10, allowed_ids=stable_ids[::10].tolist())
                assert len(filtered) == 10 and {i for i, _ in filtered} <= set(stable_ids[::10].tolist())
                assert rounds < 100_000
        except BaseException as error:  # surfaced below, a thread's exception is otherwise lost
            errors.append(error)

    def write() -> None:
        try:
            rng = np.random.default_rng(26)
            for round_number in range(60):
                batch = rng.choice(churn_ids, size=20, replace=False)
                index.upsert(batch, unit_rows(20, seed=100 + round_number))
                index.remove(rng.choice(churn_ids, size=10, replace=False))
                if round_number % 20 == 0:
                    index.save(tmp_path, model_id="m", last_change_seq=round_number)
            index.remove(churn_ids)
            index.upsert(stable_ids[:3], stable_vectors[:3])  # replace with identical vectors
        except BaseException as error:
            errors.append(error)
        finally:
            writer_done.set()

    threads = [threading.Thread(target=search_until_writer_done) for _ in range(3)]
    threads.append(threading.Thread(target=write))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert len(index) == 500
    assert sorted(index.ids().tolist()) == stable_ids.tolist()
    for query in queries:
        assert_same_hits(index.search(query, k=10), brute_force(stable_vectors, stable_ids, query, 10))
    loaded, manifest = VectorIndex.load(tmp_path)  # saved mid-churn: consistent with itself
    assert len(loaded) == manifest.count


def test_manifest_is_a_frozen_value() -> None:
    manifest = IndexManifest(1, "m", 4, 0, 0, "0" * 64, "2025-01-01T00:00:00+00:00")
    with pytest.raises(AttributeError):
        manifest.count = 3  # type: ignore[misc]
    assert IndexManifest.from_json(manifest.to_json()) == manifest
