"""`innomatch restore`: put a backup in place of the embedded SQLite database, atomically, with checks."""

import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from service.operations.sqlite_files import (
    OperationRefused,
    checked_revision,
    database_in_use,
    fsync_path,
    is_sqlite_file,
    known_revisions,
    sidecar_files,
)


@dataclass(frozen=True)
class RestoreReport:
    database: Path
    revision: str
    head: str
    previous: Path | None  # where the database that was replaced is kept


def restore_database(*, source: Path, database: Path, index_dir: Path) -> RestoreReport:
    """Replace `database` with the backup `source`; refused while the service has the database open."""
    source = source.resolve()
    if not source.is_file():
        raise OperationRefused(f"{source} is not a file.")
    if source == database:
        raise OperationRefused(f"{source} is the live database itself; give a backup file.")
    if not is_sqlite_file(source):
        raise OperationRefused(f"{source} is not an SQLite database (is it an Innomatch backup?).")
    source_log = source.with_name(source.name + "-wal")
    if source_log.exists() and source_log.stat().st_size > 0:
        # Committed data may still sit in that log; copying only the main file would lose it.
        raise OperationRefused(
            f"{source} has a write-ahead log beside it: it is a live database or a raw copy of one. "
            "Make backups with `innomatch backup`."
        )
    if database.exists() and database_in_use(database):
        raise OperationRefused(
            f"the database {database} is in use (is `innomatch serve` running?). Stop the service, then restore."
        )
    revisions = known_revisions()
    database.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary_name = tempfile.mkstemp(
        dir=database.parent, prefix=f".{database.name}.restore.", suffix=".tmp"
    )
    os.close(descriptor)
    temporary = Path(temporary_name)
    try:
        shutil.copyfile(source, temporary)
        # The copy is what gets checked: the file that goes in is the file that passed.
        with closing(sqlite3.connect(temporary, isolation_level=None)) as copy:
            revision = checked_revision(copy, label=str(source))
            copy.execute("PRAGMA journal_mode=DELETE")
        if revision not in revisions:
            raise OperationRefused(
                f"{source} has schema revision {revision}, which this version of Innomatch does not know "
                f"(newest known: {revisions[0]}); it was made by a newer version."
            )
        fsync_path(temporary)
        previous = _keep_previous(database) if database.exists() else None
        # The start-up check refuses a snapshot whose change sequence is ahead of the database, but the
        # sequence alone does not say which history it belongs to: a backup of another installation, or a
        # restored database that catches up (`innomatch seed` before the next start), reaches the same
        # numbers with other records under the same ids, and such a snapshot would pass. Rebuilding from
        # the stored vectors costs no encoding. Removed before the database changes, so that a failure
        # leaves the old pair, never the restored database beside stale snapshots.
        if index_dir.exists():
            shutil.rmtree(index_dir)
        for sidecar in sidecar_files(database):
            # A log left beside the old file would be replayed into the restored one and corrupt it.
            sidecar.unlink(missing_ok=True)
        os.replace(temporary, database)
        fsync_path(database.parent)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return RestoreReport(database=database, revision=revision, head=revisions[0], previous=previous)


def _keep_previous(database: Path) -> Path:
    """Keep the database being replaced beside it, so that restoring the wrong backup can be undone."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    previous = database.with_name(f"{database.name}.before-restore-{stamp}")
    try:
        os.link(database, previous)  # the same file under a second name: no copy, no window without one
    except OSError:
        shutil.copy2(database, previous)
    return previous
