"""`innomatch backup` and `restore` on a live server's SQLite file: the restored service is the one backed up."""

import hashlib
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from alembic import command

from embeddings import Encoder
from service.config import Settings
from service.migrations import alembic_config
from service.operations.backup import backup_database
from service.operations.sqlite_files import known_revisions
from tests.service.operations.conftest import Cli, cli_for
from tests.support.servers import LiveServer, start_server

pytestmark = pytest.mark.slow

LEAK = {
    "title": "Acoustic leak detection for water mains",
    "description": "Acoustic loggers on valves and hydrants pinpoint leaking pipes in the distribution network, cutting non-revenue water.",
}
LOOKALIKES = [
    {
        "title": "Smart waste bins",
        "description": "Fill-level sensors in underground waste containers shorten collection routes and prevent overflowing bins.",
    },
    {
        "title": "On-demand minibus",
        "description": "Residents in sparsely populated areas book a minibus in an app, and the route is planned continuously.",
    },
]
LEAK_NEED = {
    "title": "We lose too much drinking water",
    "description": "About 30 % of the treated water leaks out of old distribution pipes before reaching households.",
}


def _created(response: httpx.Response) -> int:
    assert response.status_code == 201, response.text
    identifier: int = response.json()["id"]
    return identifier


def _first_match(api: httpx.Client, need_id: int) -> int:
    response = api.get(f"/api/v1/needs/{need_id}/matches", params={"limit": 3})
    assert response.status_code == 200, response.text
    solution_id: int = response.json()["items"][0]["solution"]["id"]
    return solution_id


class NeedWriter(threading.Thread):
    """Creates needs through the API until told to stop, so that a backup runs beside committing writes."""

    def __init__(self, server: LiveServer) -> None:
        super().__init__(daemon=True)
        self.client = server.client()
        self.created: list[int] = []
        self.refused: list[str] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        with self.client:
            while not self.stopping.is_set():
                number = len(self.created)
                response = self.client.post(
                    "/api/v1/needs",
                    json={
                        "title": f"Heating {number}",
                        "description": f"School {number} cannot be heated remotely.",
                    },
                )
                if response.status_code == 201:
                    self.created.append(response.json()["id"])
                else:
                    self.refused.append(response.text)


def _rows(path: Path, query: str) -> set[int]:
    with closing(sqlite3.connect(path)) as database:
        return {row[0] for row in database.execute(query)}


def _database_file(settings: Settings) -> Path:
    return Path(settings.resolved_database_url.removeprefix("sqlite:///"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_of_a_running_service_restores_exactly_what_was_stored_then(
    live_server: LiveServer, settings: Settings, encoder: Encoder, cli: Cli, tmp_path: Path
) -> None:
    backup_file = tmp_path / "backups" / "first.sqlite3"
    backup_file.parent.mkdir()
    with live_server.client() as api:
        leak = _created(api.post("/api/v1/solutions", json=LEAK))
        for solution in LOOKALIKES:
            _created(api.post("/api/v1/solutions", json=solution))
        first_need = _created(api.post("/api/v1/needs", json=LEAK_NEED))
        writer = NeedWriter(live_server)
        writer.start()
        while len(writer.created) < 3 and writer.is_alive():
            time.sleep(0.01)
        backed_up = cli("backup", str(backup_file))
        writer.stopping.set()
        writer.join(timeout=30)
        assert writer.refused == []
        assert backed_up.exit_code == 0, backed_up.output
        assert "schema revision" in backed_up.output
        later_need = _created(api.post("/api/v1/needs", json={**LEAK_NEED, "title": "Later need"}))
        later_solution = _created(api.post("/api/v1/solutions", json={**LEAK, "title": "Later solution"}))

        in_use = cli("restore", str(backup_file))
        assert in_use.exit_code == 1
        assert "in use" in in_use.output
        assert api.get(f"/api/v1/needs/{later_need}").status_code == 200  # the refusal changed nothing

    # The copy is one moment of the database: every need in it came with the vector of its transaction.
    backed_up_needs = _rows(backup_file, "SELECT id FROM need")
    assert backed_up_needs == _rows(
        backup_file, "SELECT owner_id FROM stored_vector WHERE owner_kind = 'need'"
    )
    assert first_need in backed_up_needs
    assert later_need not in backed_up_needs
    assert not Path(f"{backup_file}-wal").exists()  # one self-contained file

    live_server.stop()
    assert (settings.index_dir / "need" / "manifest.json").exists()
    restored = cli("restore", str(backup_file))
    assert restored.exit_code == 0, restored.output
    assert not settings.index_dir.exists()  # the next start rebuilds the snapshots from stored vectors

    server = start_server(settings, encoder)
    try:
        with server.client() as api:
            for need_id in backed_up_needs:
                assert api.get(f"/api/v1/needs/{need_id}").status_code == 200
            assert api.get(f"/api/v1/needs/{later_need}").status_code == 404
            assert api.get(f"/api/v1/solutions/{later_solution}").status_code == 404
            health = api.get("/health").json()
            assert health["indexed_needs"] == len(backed_up_needs)
            assert health["indexed_solutions"] == 1 + len(LOOKALIKES)
            assert _first_match(api, first_need) == leak
            # Writes go on after a restore.
            assert _first_match(api, _created(api.post("/api/v1/needs", json=LEAK_NEED))) == leak
    finally:
        server.stop()


def test_a_backup_of_an_older_schema_is_upgraded_when_the_service_starts(
    settings: Settings, encoder: Encoder, cli: Cli, tmp_path: Path
) -> None:
    revisions = known_revisions()
    old_revision = "0003"
    assert revisions.index(old_revision) > 0, "the test needs a revision older than head"
    old_database = tmp_path / "old.sqlite3"
    command.upgrade(alembic_config(f"sqlite:///{old_database}"), old_revision)
    with closing(sqlite3.connect(old_database)) as database, database:
        for number, solution in enumerate([LEAK, *LOOKALIKES], start=1):
            database.execute(
                "INSERT INTO solution (id, title, description, language, kpi_codes, sdgs, cpv_codes,"
                " regions_served, reference_municipalities, status, demo, created_at, updated_at)"
                " VALUES (?, ?, ?, 'en', '[]', '[]', '[]', '[]', '[]', 'published', 0,"
                " '2025-01-01 00:00:00.000000', '2025-01-01 00:00:00.000000')",
                (number, solution["title"], solution["description"]),
            )
    old_backup = backup_database(database=old_database, target=tmp_path).path
    replaced = _database_file(settings)
    replaced_digest = _digest(replaced)

    restored = cli("restore", str(old_backup))
    assert restored.exit_code == 0, restored.output
    assert f"upgrades it to {revisions[0]}" in restored.output
    [previous] = replaced.parent.glob(f"{replaced.name}.before-restore-*")
    assert _digest(previous) == replaced_digest  # a wrong restore can be undone

    server = start_server(settings, encoder)
    try:
        with server.client() as api:
            assert api.get("/api/v1/solutions/1").json()["title"] == LEAK["title"]
            # The old rows had no vectors: the start encoded them.
            assert _first_match(api, _created(api.post("/api/v1/needs", json=LEAK_NEED))) == 1
    finally:
        server.stop()
    assert _rows(replaced, "SELECT version_num FROM alembic_version") == {revisions[0]}


@pytest.mark.parametrize("command_name", ["backup", "restore"])
def test_a_postgresql_database_is_refused_with_a_pointer_to_pg_dump(
    settings: Settings, command_name: str, tmp_path: Path
) -> None:
    postgres = settings.model_copy(
        update={"database_url": "postgresql+psycopg://innomatch:s3cret-pw@db.example/innomatch"}
    )
    result = cli_for(postgres)(command_name, str(tmp_path / "backup.sqlite3"))
    assert result.exit_code == 1
    assert "pg_dump" in result.output
    assert "s3cret-pw" not in result.output


def test_bad_backup_targets_are_refused(settings: Settings, cli: Cli, tmp_path: Path) -> None:
    database = str(_database_file(settings))
    missing_directory = cli("backup", str(tmp_path / "no-such-directory" / "backup.sqlite3"))
    assert missing_directory.exit_code == 1
    assert "does not exist" in missing_directory.output
    onto_itself = cli("backup", database)
    assert onto_itself.exit_code == 1
    assert "live database itself" in onto_itself.output
    assert list(tmp_path.glob("**/*.tmp")) == []  # no temporary file remains


def _refusal(cli: Cli, settings: Settings, source: Path) -> str:
    """Restores `source`, expects a refusal, and checks that the database and snapshots were left alone."""
    database = _database_file(settings)
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    (settings.index_dir / "marker").write_text("kept")
    before = _digest(database)
    result = cli("restore", str(source))
    assert result.exit_code == 1, result.output
    assert _digest(database) == before
    assert (settings.index_dir / "marker").exists()
    assert list(database.parent.glob("*.tmp")) == []
    assert list(database.parent.glob("*.before-restore-*")) == []
    return result.output


def test_restore_refuses_what_is_not_a_backup_of_this_app(
    settings: Settings, cli: Cli, tmp_path: Path
) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database\n" * 10)
    assert "not an SQLite database" in _refusal(cli, settings, text_file)

    other_app = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other_app)) as database, database:
        database.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    assert "not one of Innomatch" in _refusal(cli, settings, other_app)


def test_restore_refuses_a_damaged_or_newer_backup(settings: Settings, cli: Cli, tmp_path: Path) -> None:
    database = _database_file(settings)
    damaged = backup_database(database=database, target=tmp_path / "damaged.sqlite3").path
    content = bytearray(damaged.read_bytes())
    page_size = int.from_bytes(content[16:18], "big")
    content[page_size * 3 : page_size * 6] = b"\x5a" * (page_size * 3)  # overwrite pages, keep the header
    damaged.write_bytes(bytes(content))
    output = _refusal(cli, settings, damaged)
    assert "integrity check" in output or "cannot be read" in output

    newer = backup_database(database=database, target=tmp_path / "newer.sqlite3").path
    with closing(sqlite3.connect(newer)) as copy, copy:
        copy.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    assert "newer version" in _refusal(cli, settings, newer)

    missing = cli("restore", str(tmp_path / "no-such-backup.sqlite3"))
    assert missing.exit_code == 1
    assert "is not a file" in missing.output
