"""The FAISS index is a cache of SQL: snapshots are reconciled, and a broken one is rebuilt at start."""

import shutil
from pathlib import Path

from fastapi import FastAPI

from embeddings import Encoder, load_encoder
from service.config import Settings
from service.indexing import repository
from tests.support.indexes import assert_index_equals_database
from tests.support.servers import LiveServer, start_server


def _app(server: LiveServer) -> FastAPI:
    app: FastAPI = server.server.config.app
    return app


def _write_records(server: LiveServer, count: int, start: int = 0) -> list[int]:
    with server.client() as api:
        return [
            api.post(
                "/api/v1/needs",
                json={"title": f"Need {n}", "description": f"Problem number {n} with street lighting."},
            ).json()["id"]
            for n in range(start, start + count)
        ]


def test_restart_loads_snapshot_and_keeps_every_record(settings: Settings, encoder: Encoder) -> None:
    server = start_server(settings, encoder)
    ids = _write_records(server, 3)
    server.stop()
    assert (settings.index_dir / "need" / "manifest.json").exists()
    server = start_server(settings, encoder)
    try:
        assert_index_equals_database(_app(server))
        # BM25 is built by the start, not left to the first search to wait for.
        assert _app(server).state.indexes.needs.lexical.merges == 1
        with server.client() as api:
            assert api.get("/health").json()["indexed_needs"] == 3
            assert [
                item["need"]["id"]
                for item in api.post(
                    "/api/v1/search/needs",
                    json={"query": "Need 1\nProblem number 1 with street lighting.", "limit": 1},
                ).json()["items"]
            ] == [ids[1]]
    finally:
        server.stop()


def test_corrupt_snapshot_is_rebuilt_from_stored_vectors(settings: Settings, encoder: Encoder) -> None:
    server = start_server(settings, encoder)
    _write_records(server, 4)
    server.stop()
    for index_file in (settings.index_dir / "need").iterdir():
        if index_file.name != "manifest.json":
            index_file.write_bytes(index_file.read_bytes()[:100])  # truncated, as after a crash mid-copy
    server = start_server(settings, encoder)
    try:
        assert_index_equals_database(_app(server))
        with server.client() as api:
            assert api.get("/health").json()["indexed_needs"] == 4
    finally:
        server.stop()


def test_garbage_manifest_is_rebuilt(settings: Settings, encoder: Encoder) -> None:
    server = start_server(settings, encoder)
    _write_records(server, 2)
    server.stop()
    (settings.index_dir / "need" / "manifest.json").write_text("{not json", encoding="utf-8")
    server = start_server(settings, encoder)
    try:
        assert_index_equals_database(_app(server))
    finally:
        server.stop()


def test_old_snapshot_is_brought_up_to_date_from_the_change_log(
    settings: Settings, encoder: Encoder, tmp_path: Path
) -> None:
    server = start_server(settings, encoder)
    first = _write_records(server, 2)
    server.stop()
    shutil.copytree(settings.index_dir, tmp_path / "old-index")
    server = start_server(settings, encoder)
    later = _write_records(server, 2, start=2)
    with server.client() as api:
        assert api.delete(f"/api/v1/needs/{first[0]}").status_code == 204
    server.stop()
    shutil.rmtree(settings.index_dir)
    shutil.copytree(
        tmp_path / "old-index", settings.index_dir
    )  # the snapshot knows nothing of the later writes
    server = start_server(settings, encoder)
    try:
        assert_index_equals_database(_app(server))
        assert sorted(_app(server).state.indexes.needs.ids().tolist()) == sorted([first[1], *later])
    finally:
        server.stop()


def test_an_encoder_change_rebuilds_with_the_new_model_and_keeps_the_old_vectors(
    settings: Settings, encoder: Encoder
) -> None:
    server = start_server(settings, encoder)
    _write_records(server, 3)
    server.stop()
    minilm = load_encoder("minilm", threads=1)
    server = start_server(settings, minilm)
    try:
        app = _app(server)
        assert_index_equals_database(app)
        with server.client() as api:
            health = api.get("/health").json()
        assert health["encoder"] == minilm.model_id
        assert health["indexed_needs"] == 3
        with app.state.session_factory() as session:
            assert (
                len(
                    repository.vectors_of(
                        session, kind="need", model_id=encoder.model_id, owner_ids=[1, 2, 3]
                    )
                )
                == 3
            )
    finally:
        server.stop()


def test_unchanged_text_is_not_encoded_again(settings: Settings, encoder: Encoder) -> None:
    server = start_server(settings, encoder)
    try:
        with server.client() as api:
            need_id = api.post(
                "/api/v1/needs", json={"title": "Noise", "description": "Traffic noise near schools."}
            ).json()["id"]
            app = _app(server)
            with app.state.session_factory() as session:
                before = repository.get_stored_vector(
                    session, kind="need", owner_id=need_id, model_id=encoder.model_id
                )
            assert before is not None
            sequence_before = app.state.indexes.needs.applied_seq
            api.patch(f"/api/v1/needs/{need_id}", json={"status": "in_progress"})
            assert app.state.indexes.needs.applied_seq == sequence_before  # nothing for the index to do
            api.patch(
                f"/api/v1/needs/{need_id}", json={"description": "Traffic noise near schools and homes."}
            )
            with app.state.session_factory() as session:
                after = repository.get_stored_vector(
                    session, kind="need", owner_id=need_id, model_id=encoder.model_id
                )
            assert after is not None and after.content_hash != before.content_hash
            assert app.state.indexes.needs.applied_seq > sequence_before
            assert_index_equals_database(app)
    finally:
        server.stop()
