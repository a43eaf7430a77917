"""SQLite file helpers shared by backup and restore: which file, is it ours, is it in use, make it durable."""

import os
import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from service.migrations import alembic_config

SQLITE_HEADER = b"SQLite format 3\x00"


class OperationRefused(Exception):
    """A backup or restore that was not done; the message says why and what to do instead."""


def sqlite_database_path(database_url: str) -> Path:
    """The file behind an SQLite URL; refused for every other database."""
    try:
        url = make_url(database_url)
    except ArgumentError as error:
        raise OperationRefused("INNOMATCH_DATABASE_URL is not a database URL.") from error
    backend = url.get_backend_name()
    if backend != "sqlite":
        # The URL itself is not repeated: it may carry a password.
        raise OperationRefused(
            f"backup and restore work on the embedded SQLite database only, and the configured database "
            f"is {backend}. PostgreSQL has its own tools for this: pg_dump and pg_restore."
        )
    if not url.database or url.database == ":memory:":
        raise OperationRefused("the configured SQLite database lives in memory: there is no file to copy.")
    return Path(url.database).resolve()


def sidecar_files(database: Path) -> list[Path]:
    """The files SQLite keeps beside a database: write-ahead log, shared memory, rollback journal."""
    return [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def connect_existing(path: Path, *, timeout: float = 10.0) -> sqlite3.Connection:
    """A connection to a database file that must exist (plain sqlite3.connect would create an empty one)."""
    return sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=timeout, isolation_level=None)


def database_in_use(path: Path) -> bool:
    """Whether another connection holds the database open, as the running service always does.

    In WAL mode every open connection keeps a shared lock on the file, so an exclusive lock fails while
    the service runs, even when it is idle. Cheap, not perfect: a process that has not opened the
    database yet is not seen.
    """
    probe = connect_existing(path, timeout=0)
    try:
        probe.execute("PRAGMA locking_mode=EXCLUSIVE")
        probe.execute("BEGIN EXCLUSIVE")
        probe.execute("COMMIT")
    except sqlite3.DatabaseError as error:
        # Any other error (a damaged file, say) is not "in use": replacing such a file is what restores are for.
        return getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    finally:
        probe.close()
    return False


def is_sqlite_file(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def checked_revision(connection: sqlite3.Connection, *, label: str) -> str:
    """The schema revision of an Innomatch database, after SQLite's integrity check passed."""
    try:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        has_revision_table = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        revisions = (
            [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
            if has_revision_table
            else []
        )
    except sqlite3.DatabaseError as error:
        raise OperationRefused(f"{label} cannot be read as an SQLite database: {error}.") from error
    if problems != ["ok"]:
        raise OperationRefused(f"{label} fails SQLite's integrity check: {'; '.join(problems[:5])}.")
    if len(revisions) != 1:
        raise OperationRefused(
            f"{label} is an SQLite database but not one of Innomatch (it has no schema revision)."
        )
    return str(revisions[0])


def known_revisions() -> list[str]:
    """This version's schema revisions, newest first."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [script.revision for script in scripts.walk_revisions()]


def fsync_path(path: Path) -> None:
    """Flush a file, or a directory so that a rename in it survives a power cut."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
