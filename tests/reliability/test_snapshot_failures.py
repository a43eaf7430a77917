"""A full disk or an unwritable index directory fails only the snapshot: writes are acknowledged and kept
(SQL is the source of truth), the service keeps answering, and after a restart everything is there.

A failed snapshot must not fail a write: the write is committed before the snapshot is attempted, and the
snapshot is a cache that the change log brings up to date at the next start.
"""

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

import embeddings.snapshot
from embeddings import Encoder, IndexManifest, VectorIndex
from service.config import Settings
from tests.reliability.disks import SimulatedFullDisk, mount_tmpfs, unmount
from tests.support.indexes import assert_index_equals_database
from tests.support.servers import ADMIN_TOKEN, LiveServer, start_server

NEEDS_WRITTEN = 30
DISK_BYTES = 64 * 1024  # room for snapshots of about 15 needs: the saves after that fail


@pytest.fixture
def settings(tmp_path: Path, sqlite_template: Path) -> Settings:
    """SQLite in its own directory (the disk that fills is the index's), a snapshot after every change."""
    database = tmp_path / "database" / "innomatch.sqlite3"
    database.parent.mkdir()
    shutil.copy(sqlite_template, database)
    return Settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{database}",
        admin_token=ADMIN_TOKEN,
        seed="none",
        snapshot_every=1,
    )


def _app(server: LiveServer) -> FastAPI:
    app = server.server.config.app
    assert isinstance(app, FastAPI)
    return app


def _create(api: httpx.Client, kind: str, number: int) -> tuple[int, str]:
    text = f"Problem {number}: the pumping station number {number} loses pressure at night."
    response = api.post(f"/api/v1/{kind}s", json={"title": f"{kind} {number}", "description": text})
    assert response.status_code == 201, response.text  # acknowledged although the snapshot failed
    return response.json()["id"], f"{kind} {number}\n{text}"


def _assert_found(api: httpx.Client, kind: str, record_id: int, text: str) -> None:
    response = api.post(f"/api/v1/search/{kind}s", json={"query": text, "limit": 1})
    assert response.status_code == 200
    assert response.json()["items"][0][kind]["id"] == record_id


def _assert_serving(server: LiveServer, needs: dict[int, str], solutions: dict[int, str]) -> None:
    """The index equals the database, every record is readable, the newest are found by search."""
    assert_index_equals_database(_app(server))
    with server.client() as api:
        health = api.get("/health")
        assert health.status_code == 200
        assert (health.json()["indexed_needs"], health.json()["indexed_solutions"]) == (
            len(needs),
            len(solutions),
        )
        for kind, records in (("need", needs), ("solution", solutions)):
            for record_id in records:
                assert api.get(f"/api/v1/{kind}s/{record_id}").status_code == 200
            newest = max(records)
            _assert_found(api, kind, newest, records[newest])


def test_unwritable_index_directory(settings: Settings, encoder: Encoder) -> None:
    # A file where the index directory should be: every snapshot save fails with a real OS error
    # (root ignores permission bits, so a read-only directory would not do it).
    settings.data_dir.mkdir()
    settings.index_dir.write_text("not a directory\n", encoding="utf-8")
    server = start_server(settings, encoder)
    try:
        with server.client() as api:
            needs = dict(_create(api, "need", number) for number in range(4))
            solutions = dict(_create(api, "solution", number) for number in range(3))
            first = min(needs)
            changed = "The pumping station number 0 floods the cellar of the school."
            assert api.patch(f"/api/v1/needs/{first}", json={"description": changed}).status_code == 200
            needs[first] = f"need 0\n{changed}"
            assert api.delete(f"/api/v1/solutions/{min(solutions)}").status_code == 204
            del solutions[min(solutions)]
        _assert_serving(server, needs, solutions)
    finally:
        server.stop()  # the shutdown snapshot fails too
    assert settings.index_dir.is_file()
    server = start_server(settings, encoder)  # no snapshot: rebuilt from the stored vectors
    try:
        _assert_serving(server, needs, solutions)
    finally:
        server.stop()


@pytest.fixture(params=["tmpfs", "simulated"])
def full_disk(
    request: pytest.FixtureRequest, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The index directory on a disk of DISK_BYTES: a real tmpfs where it can be mounted (root), else
    the snapshot module's file writes fail with ENOSPC past that size (the one simulated part)."""
    if request.param == "tmpfs":
        try:
            mount_tmpfs(settings.index_dir, DISK_BYTES)
        except PermissionError as error:
            pytest.skip(str(error))
        yield
        unmount(settings.index_dir)
        return
    settings.index_dir.mkdir(parents=True)
    monkeypatch.setattr(
        embeddings.snapshot, "open", SimulatedFullDisk(settings.index_dir, DISK_BYTES).open, raising=False
    )
    yield


def _saved_count(directory: Path) -> int:
    manifest = IndexManifest.from_json((directory / "manifest.json").read_text(encoding="utf-8"))
    return manifest.count


@pytest.mark.usefixtures("full_disk")
def test_full_disk_during_snapshot_saves(settings: Settings, encoder: Encoder) -> None:
    server = start_server(settings, encoder)
    try:
        with server.client() as api:
            needs = dict(_create(api, "need", number) for number in range(NEEDS_WRITTEN))
            solutions = dict(_create(api, "solution", number) for number in range(2))
        _assert_serving(server, needs, solutions)
    finally:
        server.stop()
    need_snapshots = settings.index_dir / "need"
    # The disk did fill: the last snapshot that fitted is older than the writes, and intact.
    assert 0 < _saved_count(need_snapshots) < NEEDS_WRITTEN
    VectorIndex.load(need_snapshots)
    assert not [path.name for path in need_snapshots.iterdir() if path.name.endswith(".tmp")]
    server = start_server(settings, encoder)  # the old snapshot, brought up to date from the change log
    try:
        _assert_serving(server, needs, solutions)
    finally:
        server.stop()
