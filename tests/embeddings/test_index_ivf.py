"""VectorIndex past its exact threshold: the IVF form, filters, deletes, snapshots, and the policy.

A low ``exact_max`` and few probes make the approximate form appear at a few hundred vectors, so
these tests run in well under a second each while exercising the same code as a million vectors.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections.abc import Iterator
from pathlib import Path

import faiss
import numpy as np
import pytest

from embeddings import IndexPolicy, SnapshotError, VectorIndex
from embeddings.ann import calibrate_probes, fill_ivf, ivf_search_parameters, trained_ivf
from embeddings.snapshot import INDEX_FILE_NAME, MANIFEST_FILE_NAME

DIM = 32
# Approximate past 500 vectors; a low floor on nprobe, so that calibration can skip most lists.
POLICY = IndexPolicy(exact_max=500, lists_per_sqrt=1.0, probe_fraction=1 / 8, min_probes=4)


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def clustered_rows(count: int, *, seed: int, clusters: int = 40, spread: float = 0.6) -> np.ndarray:
    """Unit vectors around a fixed set of topic centres, like embeddings of texts on a few topics."""
    centres = unit(np.random.default_rng(0).standard_normal((clusters, DIM)))
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, clusters, size=count)
    return unit(centres[labels] + spread * rng.standard_normal((count, DIM)) / math.sqrt(DIM))


def brute_force(vectors: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    return [int(ids[i]) for i in np.argsort(-(vectors @ query), kind="stable")[:k]]


def recall(found: list[int], expected: list[int]) -> float:
    return len(set(found) & set(expected)) / len(expected)


def hit_ids(hits: list[tuple[int, float]]) -> list[int]:
    return [hit_id for hit_id, _ in hits]


@pytest.fixture(autouse=True, scope="module")
def one_faiss_thread() -> Iterator[None]:
    """Small k-means runs spend more time in OpenMP spin-waits than working on a busy 2-core box."""
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    yield
    faiss.omp_set_num_threads(threads)


@pytest.fixture
def ivf_index() -> tuple[VectorIndex, np.ndarray, np.ndarray]:
    """2000 clustered vectors under sparse primary keys, upserted in batches like a rebuild."""
    ids = 5_000_000 + np.arange(2000, dtype=np.int64) * 11
    vectors = clustered_rows(2000, seed=1)
    index = VectorIndex(DIM, policy=POLICY)
    for start in range(0, 2000, 250):
        index.upsert(ids[start : start + 250], vectors[start : start + 250])
    return index, ids, vectors


# --- changing form --------------------------------------------------------------------------------


def test_index_is_exact_up_to_the_threshold_and_ivf_past_it() -> None:
    index = VectorIndex(DIM, policy=POLICY)
    vectors = clustered_rows(600, seed=2)

    index.upsert(np.arange(500), vectors[:500])
    assert index.layout().kind == "exact"

    index.upsert(np.arange(500, 600), vectors[500:])
    layout = index.layout()
    assert layout.kind == "ivf" and layout.count == 600
    assert layout.nlist == POLICY.lists_for(600)
    assert layout.nprobe is not None and POLICY.least_probes(layout.nlist) <= layout.nprobe <= layout.nlist
    assert sorted(index.ids().tolist()) == list(range(600))
    np.testing.assert_array_equal(index.vector(523), vectors[523])
    found, several = index.vectors(np.array([599, 7, 523]))
    assert found.tolist() == [599, 7, 523]
    np.testing.assert_array_equal(several, vectors[[599, 7, 523]])


def test_ivf_really_skips_lists(ivf_index: tuple[VectorIndex, np.ndarray, np.ndarray]) -> None:
    index, _, _ = ivf_index
    layout = index.layout()
    assert layout.kind == "ivf"
    assert layout.nprobe is not None and layout.nlist is not None and layout.nprobe < layout.nlist


def test_index_returns_to_exact_below_half_the_threshold(
    ivf_index: tuple[VectorIndex, np.ndarray, np.ndarray],
) -> None:
    index, ids, vectors = ivf_index

    index.remove(ids[:1600])  # 400 left: below exact_max, but not yet below half of it
    assert index.layout().kind == "ivf"
    index.remove(ids[1600:1760])  # 240 left
    assert index.layout().kind == "exact"

    query = clustered_rows(1, seed=3)[0]
    assert hit_ids(index.search(query, k=10)) == brute_force(vectors[1760:], ids[1760:], query, 10)


def test_ivf_is_retrained_when_it_grows_far_past_its_lists() -> None:
    index = VectorIndex(DIM, policy=POLICY)
    vectors = clustered_rows(4200, seed=4)
    index.upsert(np.arange(600), vectors[:600])
    first_nlist = index.layout().nlist
    assert first_nlist is not None

    for start in range(600, 4200, 400):
        index.upsert(np.arange(start, start + 400), vectors[start : start + 400])

    layout = index.layout()
    assert layout.kind == "ivf" and layout.nlist is not None
    assert layout.nlist >= 2 * first_nlist
    assert layout.nlist == POLICY.lists_for(layout.count) or not POLICY.needs_relisting(
        layout.nlist, layout.count
    )
    assert len(index) == 4200 and sorted(index.ids().tolist()) == list(range(4200))


# --- search quality -------------------------------------------------------------------------------


def test_recall_at_10_against_exact_search_is_at_least_098(
    ivf_index: tuple[VectorIndex, np.ndarray, np.ndarray],
) -> None:
    index, ids, vectors = ivf_index
    queries = clustered_rows(200, seed=5)

    results = index.search_batch(queries, k=10)

    recalls = [
        recall(hit_ids(hits), brute_force(vectors, ids, query, 10))
        for query, hits in zip(queries, results, strict=True)
    ]
    assert np.mean(recalls) >= 0.98
    for hits in results:
        scores = [score for _, score in hits]
        assert len(hits) == 10 and scores == sorted(scores, reverse=True)


def test_nprobe_is_calibrated_up_on_vectors_without_structure() -> None:
    # Random unit vectors have no clusters for the lists to follow: calibration must probe (nearly)
    # every list to keep recall, where clustered vectors of the same count need only a few.
    random_vectors = unit(np.random.default_rng(21).standard_normal((2000, DIM)))
    random_index = VectorIndex(DIM, policy=POLICY)
    random_index.upsert(np.arange(2000), random_vectors)
    clustered_index = VectorIndex(DIM, policy=POLICY)
    clustered_index.upsert(np.arange(2000), clustered_rows(2000, seed=22))
    queries = unit(np.random.default_rng(23).standard_normal((100, DIM)))

    random_layout, clustered_layout = random_index.layout(), clustered_index.layout()
    assert random_layout.kind == clustered_layout.kind == "ivf"
    assert random_layout.nprobe is not None and clustered_layout.nprobe is not None
    assert random_layout.nprobe > 2 * clustered_layout.nprobe
    results = random_index.search_batch(queries, k=10)
    recalls = [
        recall(hit_ids(hits), brute_force(random_vectors, np.arange(2000), query, 10))
        for query, hits in zip(queries, results, strict=True)
    ]
    assert np.mean(recalls) >= 0.95  # calibrated on stored vectors, checked on fresh queries


def test_calibrate_probes_finds_the_smallest_nprobe_reaching_the_target() -> None:
    vectors = clustered_rows(3000, seed=24, spread=1.2)
    ivf = trained_ivf(vectors, 64)
    ivf.add_with_ids(vectors, np.arange(3000))
    sample = np.arange(0, 3000, 15)

    def recall_with(nprobe: int) -> float:
        _, found = ivf.search(vectors[sample], 11, params=ivf_search_parameters(nprobe, None))
        _, exact = ivf.search(vectors[sample], 11, params=ivf_search_parameters(64, None))
        drop_self = [
            (set(f.tolist()) - {own}, set(e.tolist()) - {own})
            for f, e, own in zip(found, exact, sample.tolist(), strict=True)
        ]
        return sum(len(f & e) for f, e in drop_self) / sum(len(e) for _, e in drop_self)

    chosen = calibrate_probes(ivf, vectors[sample], sample, least=1, target=0.95)

    assert 1 < chosen < 64
    assert recall_with(chosen) >= 0.95 > recall_with(chosen - 1)
    assert calibrate_probes(ivf, vectors[sample], sample, least=80, target=0.95) == 64
    assert calibrate_probes(ivf, vectors[sample], sample, least=1, target=1.0) <= 64


def test_fill_ivf_places_vectors_as_adding_them_would() -> None:
    vectors = clustered_rows(1500, seed=25)
    ids = np.arange(1500, dtype=np.int64) * 7 + 3
    source = faiss.IndexIDMap2(faiss.IndexFlatIP(DIM))
    source.add_with_ids(vectors, ids)
    filled, added = trained_ivf(vectors, 20), trained_ivf(vectors, 20)

    fill_ivf(filled, source, ids[::-1].copy())
    added.add_with_ids(vectors, ids)

    assert filled.ntotal == 1500
    sizes = [[ivf.invlists.list_size(list_no) for list_no in range(20)] for ivf in (filled, added)]
    assert sizes[0] == sizes[1]
    for list_no in range(20):
        assert set(ivf_ids_of_list(filled, list_no)) == set(ivf_ids_of_list(added, list_no))
    np.testing.assert_array_equal(filled.reconstruct(int(ids[42])), vectors[42])
    params = ivf_search_parameters(4, None)
    assert np.array_equal(
        np.sort(filled.search(vectors[:20], 5, params=params)[1], axis=1),
        np.sort(added.search(vectors[:20], 5, params=params)[1], axis=1),
    )
    assert filled.remove_ids(faiss.IDSelectorArray(ids[:10])) == 10 and filled.ntotal == 1490
    with pytest.raises(ValueError, match="empty IVF"):
        fill_ivf(filled, source, ids)


def ivf_ids_of_list(index: faiss.IndexIVF, list_no: int) -> list[int]:
    size = index.invlists.list_size(list_no)
    return faiss.rev_swig_ptr(index.invlists.get_ids(list_no), size).tolist() if size else []


def test_k_beyond_the_probed_lists_still_returns_the_exact_full_result(
    ivf_index: tuple[VectorIndex, np.ndarray, np.ndarray],
) -> None:
    index, ids, vectors = ivf_index
    query = clustered_rows(1, seed=6)[0]

    hits = index.search(query, k=1500)  # far more than nprobe lists hold: falls back to every list

    assert hit_ids(hits) == brute_force(vectors, ids, query, 1500)
    assert len(index.search(query, k=5000)) == 2000


@pytest.mark.parametrize("allowed_share", [0.5, 0.2, 0.05, 0.004])
def test_filtered_search_returns_the_full_k_among_allowed_ids(
    ivf_index: tuple[VectorIndex, np.ndarray, np.ndarray], allowed_share: float
) -> None:
    # 0.5 and 0.2 take the IVF with more probes, 0.05 scans every list, 0.004 (8 ids) scores the
    # allowed vectors directly: each must be full, and all but the first two are exact.
    index, ids, vectors = ivf_index
    queries = clustered_rows(30, seed=7)
    step = round(1 / allowed_share)
    allowed_ids, allowed_vectors = ids[::step], vectors[::step]
    allowed = set(allowed_ids.tolist())
    k = min(10, len(allowed))

    results = index.search_batch(queries, k=10, allowed_ids=allowed)

    recalls = []
    for query, hits in zip(queries, results, strict=True):
        assert len(hits) == k and set(hit_ids(hits)) <= allowed
        expected = brute_force(allowed_vectors, allowed_ids, query, k)
        recalls.append(recall(hit_ids(hits), expected))
        if allowed_share < 0.1:
            assert hit_ids(hits) == expected
    assert np.mean(recalls) >= 0.98


def test_filter_of_the_worst_matches_still_returns_them_all(
    ivf_index: tuple[VectorIndex, np.ndarray, np.ndarray],
) -> None:
    # The 40 *worst* matches: none lies in the lists an unfiltered search would probe.
    index, ids, vectors = ivf_index
    query = clustered_rows(1, seed=8)[0]
    worst = np.argsort(vectors @ query)[:40]

    hits = index.search(query, k=10, allowed_ids=ids[worst].tolist())

    assert hit_ids(hits) == brute_force(vectors[worst], ids[worst], query, 10)
    assert len(index.search(query, k=100, allowed_ids=ids[worst].tolist())) == 40


def test_filter_with_dense_small_ids_and_absent_ids() -> None:
    # Dense ids take the bitmap selector; absent ids in the filter are ignored.
    index = VectorIndex(DIM, policy=POLICY)
    vectors = clustered_rows(1000, seed=9)
    index.upsert(np.arange(1000), vectors)
    allowed = list(range(0, 1000, 2)) + list(range(1000, 1100))
    query = clustered_rows(1, seed=10)[0]

    hits = index.search(query, k=10, allowed_ids=allowed)

    assert index.layout().kind == "ivf"
    assert recall(hit_ids(hits), brute_force(vectors[::2], np.arange(0, 1000, 2), query, 10)) >= 0.9
    assert len(hits) == 10 and all(hit_id % 2 == 0 and hit_id < 1000 for hit_id in hit_ids(hits))
    assert index.search(query, k=10, allowed_ids=[1000, 1001]) == []


# --- deletes and upserts after the switch --------------------------------------------------------


def test_deletes_and_reupserts_work_on_the_ivf(
    ivf_index: tuple[VectorIndex, np.ndarray, np.ndarray],
) -> None:
    index, ids, vectors = ivf_index
    query = vectors[100]
    gone = ids[100:140]

    assert index.remove(np.concatenate([gone, [7]])) == 40
    assert len(index) == 1960 and ids[100] not in index
    assert not set(hit_ids(index.search(query, k=50))) & set(gone.tolist())
    with pytest.raises(KeyError):
        index.vector(int(ids[100]))

    replacement = clustered_rows(1, seed=11)
    index.upsert([int(ids[100])], replacement)
    assert len(index) == 1961
    np.testing.assert_array_equal(index.vector(int(ids[100])), replacement[0])
    assert index.search(replacement[0], k=1)[0][0] == ids[100]


def test_upsert_of_a_present_id_replaces_it_on_the_ivf(
    ivf_index: tuple[VectorIndex, np.ndarray, np.ndarray],
) -> None:
    index, ids, vectors = ivf_index
    target = int(ids[7])
    new_vector = unit(-vectors[7][None, :])  # the opposite direction: far from where it was

    index.upsert(np.array([target, 99]), np.vstack([new_vector, clustered_rows(1, seed=12)]))

    assert len(index) == 2001 and index.layout().kind == "ivf"
    np.testing.assert_array_equal(index.vector(target), new_vector[0])
    assert index.search(new_vector[0], k=1)[0][0] == target
    assert target not in hit_ids(index.search(vectors[7], k=10))
    assert sorted(index.ids().tolist()) == sorted([*ids.tolist(), 99])


# --- snapshots ------------------------------------------------------------------------------------


def test_ivf_snapshot_roundtrip(
    tmp_path: Path, ivf_index: tuple[VectorIndex, np.ndarray, np.ndarray]
) -> None:
    index, ids, _ = ivf_index

    saved = index.save(tmp_path, model_id="m", last_change_seq=3)
    loaded, manifest = VectorIndex.load(tmp_path, policy=POLICY)

    assert manifest == saved and manifest.index_kind == "ivf" and manifest.count == 2000
    assert json.loads((tmp_path / MANIFEST_FILE_NAME).read_text())["index_kind"] == "ivf"
    assert loaded.layout() == index.layout()
    np.testing.assert_array_equal(np.sort(loaded.ids()), np.sort(ids))
    queries = clustered_rows(5, seed=13)
    assert loaded.search_batch(queries, k=10) == index.search_batch(queries, k=10)
    allowed = ids[::9].tolist()
    assert loaded.search(queries[0], k=10, allowed_ids=allowed) == index.search(
        queries[0], k=10, allowed_ids=allowed
    )
    # Still writable: the id map came back with it.
    assert loaded.remove(ids[:3]) == 3 and len(loaded) == 1997
    loaded.upsert(ids[:1], clustered_rows(1, seed=14))
    assert int(ids[0]) in loaded and int(ids[1]) not in loaded


def test_loading_under_another_policy_takes_that_policys_form(
    tmp_path: Path, ivf_index: tuple[VectorIndex, np.ndarray, np.ndarray]
) -> None:
    index, ids, vectors = ivf_index
    index.save(tmp_path, model_id="m", last_change_seq=3)

    loaded, _ = VectorIndex.load(tmp_path, policy=IndexPolicy(exact_max=10_000))

    assert loaded.layout().kind == "exact" and len(loaded) == 2000
    query = clustered_rows(1, seed=15)[0]
    assert hit_ids(loaded.search(query, k=10)) == brute_force(vectors, ids, query, 10)


def test_manifest_without_index_kind_reads_as_exact(tmp_path: Path) -> None:
    # Snapshots written before the field existed held exact indexes and must still load.
    index = VectorIndex(DIM)
    index.upsert([1, 2], clustered_rows(2, seed=16))
    index.save(tmp_path, model_id="m", last_change_seq=1)
    fields = json.loads((tmp_path / MANIFEST_FILE_NAME).read_text())
    del fields["index_kind"]
    (tmp_path / MANIFEST_FILE_NAME).write_text(json.dumps(fields))

    loaded, manifest = VectorIndex.load(tmp_path)

    assert manifest.index_kind == "exact" and len(loaded) == 2


@pytest.fixture
def ivf_snapshot(tmp_path: Path, ivf_index: tuple[VectorIndex, np.ndarray, np.ndarray]) -> Path:
    ivf_index[0].save(tmp_path, model_id="m", last_change_seq=3)
    return tmp_path


def rewrite_index_file(directory: Path, content: bytes) -> None:
    """Replace the index file and make the manifest's checksum agree, so only FAISS or our checks object."""
    (directory / INDEX_FILE_NAME).write_bytes(content)
    fields = json.loads((directory / MANIFEST_FILE_NAME).read_text())
    fields["checksum"] = hashlib.sha256(content).hexdigest()
    (directory / MANIFEST_FILE_NAME).write_text(json.dumps(fields))


def test_corrupt_ivf_snapshot_raises_snapshot_error(ivf_snapshot: Path) -> None:
    path = ivf_snapshot / INDEX_FILE_NAME
    original = path.read_bytes()
    path.write_bytes(original[: len(original) // 2])
    with pytest.raises(SnapshotError, match="checksum"):
        VectorIndex.load(ivf_snapshot, policy=POLICY)

    rewrite_index_file(ivf_snapshot, original[:-1000])
    with pytest.raises(SnapshotError):
        VectorIndex.load(ivf_snapshot, policy=POLICY)


@pytest.mark.parametrize("kind", ["exact", "hnsw", "IVF!"])
def test_manifest_kind_disagreeing_with_the_index_raises_snapshot_error(
    ivf_snapshot: Path, kind: str
) -> None:
    fields = json.loads((ivf_snapshot / MANIFEST_FILE_NAME).read_text())
    fields["index_kind"] = kind
    (ivf_snapshot / MANIFEST_FILE_NAME).write_text(json.dumps(fields))
    with pytest.raises(SnapshotError, match=r"index_kind|manifest says"):
        VectorIndex.load(ivf_snapshot, policy=POLICY)


def foreign_index_bytes(index: faiss.Index) -> bytes:
    return faiss.serialize_index(index).tobytes()


def test_foreign_ivf_in_a_snapshot_raises_snapshot_error(ivf_snapshot: Path) -> None:
    # A valid FAISS file of the wrong kind: an L2 IVF without an id map is not one we wrote.
    vectors = clustered_rows(400, seed=17)
    foreign = faiss.IndexIVFFlat(faiss.IndexFlatL2(DIM), DIM, 4)
    foreign.train(vectors)
    foreign.add_with_ids(vectors, np.arange(400))
    rewrite_index_file(ivf_snapshot, foreign_index_bytes(foreign))
    with pytest.raises(SnapshotError, match="inner-product IVFFlat"):
        VectorIndex.load(ivf_snapshot, policy=POLICY)

    hnsw = faiss.IndexHNSWFlat(DIM, 8, faiss.METRIC_INNER_PRODUCT)
    hnsw.add(vectors)
    rewrite_index_file(ivf_snapshot, foreign_index_bytes(hnsw))
    with pytest.raises(SnapshotError, match="IndexHNSWFlat"):
        VectorIndex.load(ivf_snapshot, policy=POLICY)


@pytest.mark.parametrize("nprobe", [0, 10_000])
def test_ivf_snapshot_with_impossible_nprobe_raises_snapshot_error(ivf_snapshot: Path, nprobe: int) -> None:
    index = faiss.read_index(str(ivf_snapshot / INDEX_FILE_NAME))
    index.nprobe = nprobe
    rewrite_index_file(ivf_snapshot, foreign_index_bytes(index))
    with pytest.raises(SnapshotError, match="inner-product IVFFlat"):
        VectorIndex.load(ivf_snapshot, policy=POLICY)


def test_ivf_with_duplicate_ids_in_a_snapshot_raises_snapshot_error(ivf_snapshot: Path) -> None:
    # Built without the id map's guard (no hash map), so the same id sits in two lists.
    vectors = clustered_rows(400, seed=18)
    duplicated = faiss.IndexIVFFlat(faiss.IndexFlatIP(DIM), DIM, 4, faiss.METRIC_INNER_PRODUCT)
    duplicated.train(vectors)
    duplicated.add_with_ids(vectors, np.arange(400) % 399)
    duplicated.set_direct_map_type(faiss.DirectMap.Hashtable)  # keeps the last of each id
    rewrite_index_file(ivf_snapshot, foreign_index_bytes(duplicated))
    fields = json.loads((ivf_snapshot / MANIFEST_FILE_NAME).read_text())
    fields["count"] = 400
    (ivf_snapshot / MANIFEST_FILE_NAME).write_text(json.dumps(fields))
    with pytest.raises(SnapshotError, match="duplicate"):
        VectorIndex.load(ivf_snapshot, policy=POLICY)


# --- concurrency ----------------------------------------------------------------------------------


def test_searches_during_the_switch_and_retraining_stay_full_and_sorted() -> None:
    index = VectorIndex(DIM, policy=POLICY)
    stable_ids = np.arange(200, dtype=np.int64)
    index.upsert(stable_ids, clustered_rows(200, seed=19))
    queries = clustered_rows(6, seed=20)
    errors: list[BaseException] = []
    writer_done = threading.Event()

    def search_until_writer_done() -> None:
        try:
            rounds = 0
            while not writer_done.is_set() or rounds < 3:
                rounds += 1
                for hits in index.search_batch(queries, k=10):
                    scores = [score for _, score in hits]
                    assert len(hits) == 10 and scores == sorted(scores, reverse=True)
                filtered = index.search(queries[0], k=10, allowed_ids=stable_ids[::10].tolist())
                assert len(filtered) == 10 and set(hit_ids(filtered)) <= set(stable_ids[::10].tolist())
        except BaseException as error:  # a thread's exception is otherwise lost
            errors.append(error)

    def grow() -> None:
        try:
            for start in range(1000, 4000, 200):  # crosses exact_max, then re-lists once or twice
                index.upsert(np.arange(start, start + 200), clustered_rows(200, seed=start))
            index.remove(np.arange(1000, 4000))  # and back to exact
        except BaseException as error:
            errors.append(error)
        finally:
            writer_done.set()

    threads = [threading.Thread(target=search_until_writer_done) for _ in range(2)]
    threads.append(threading.Thread(target=grow))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert index.layout().kind == "exact" and sorted(index.ids().tolist()) == stable_ids.tolist()


# --- the policy -----------------------------------------------------------------------------------


def test_policy_sizes_lists_and_probes() -> None:
    policy = IndexPolicy(exact_max=50_000, lists_per_sqrt=1.0, probe_fraction=1 / 64, min_probes=8)

    assert policy.kind_for(50_000, "exact") == "exact" and policy.kind_for(50_001, "exact") == "ivf"
    assert policy.kind_for(25_001, "ivf") == "ivf" and policy.kind_for(25_000, "ivf") == "exact"
    assert policy.lists_for(1_000_000) == 1000 and policy.lists_for(100) == 2  # >= 39 points per list
    assert policy.least_probes(1000) == 16 and policy.least_probes(100) == 8 and policy.least_probes(4) == 4
    assert policy.filtered_probes(1000, 63, 1.0) == 63 and policy.filtered_probes(1000, 63, 0.5) == 126
    assert policy.filtered_probes(1000, 63, 0.05) == 1000  # selective: every list, so exact
    assert policy.needs_relisting(160, 250_000) and not policy.needs_relisting(200, 250_000)  # grown
    assert policy.needs_relisting(1000, 100_000) and not policy.needs_relisting(900, 100_000)  # shrunk
    assert policy.training_rows(1000, 1_000_000) == 40_000
    assert IndexPolicy(max_train_points=30_000).training_rows(1000, 1_000_000) == 30_000
    assert policy.direct_filter_limit(1_000_000) == 1000


@pytest.mark.parametrize(
    "settings",
    [
        {"exact_max": 0},
        {"lists_per_sqrt": 0},
        {"probe_fraction": 0},
        {"relist_factor": 1.0},
        {"min_probes": 0},
        {"target_recall": 0},
        {"target_recall": 1.5},
        {"calibration_queries": 0},
        {"direct_filter_share": 2},
    ],
)
def test_policy_rejects_impossible_settings(settings: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        IndexPolicy(**settings)  # type: ignore[arg-type]
