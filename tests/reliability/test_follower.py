"""The index follower: started with the app, it brings writes made through another app on the same
database into this app's index; it stops at shutdown, and INNOMATCH_FOLLOW_INTERVAL=0 turns it off."""

import threading
import time
from pathlib import Path

from fastapi import FastAPI

from embeddings import Encoder
from service.config import Settings
from service.indexing import Indexes
from tests.support.servers import LiveServer, start_server


def _indexes(server: LiveServer) -> Indexes:
    app = server.server.config.app
    assert isinstance(app, FastAPI)
    indexes: Indexes = app.state.indexes
    return indexes


def _followers() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "index-follower"]


def test_a_write_through_another_app_reaches_this_index(
    settings: Settings, encoder: Encoder, tmp_path: Path
) -> None:
    assert not _followers()
    first = start_server(settings, encoder)
    second = start_server(settings.model_copy(update={"data_dir": tmp_path / "second"}), encoder)
    try:
        assert len(_followers()) == 2
        with first.client() as api:
            response = api.post(
                "/api/v1/needs", json={"title": "Leaks", "description": "Water leaks in pipes."}
            )
            assert response.status_code == 201
        need_id = response.json()["id"]
        written = time.monotonic()
        while need_id not in _indexes(second).needs.ids().tolist():
            assert time.monotonic() - written < 2.0, "the second app's index did not follow within 2 s"
            time.sleep(0.02)
    finally:
        first.stop()
        second.stop()
    assert not _followers()  # stopped with their apps


def test_interval_zero_starts_no_follower(settings: Settings, encoder: Encoder) -> None:
    server = start_server(settings.model_copy(update={"follow_interval": 0}), encoder)
    try:
        assert not _followers()
    finally:
        server.stop()
