"""`innomatch backup`: a consistent copy of the embedded SQLite database, also while the service runs."""

import json
import os
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from service.operations.sqlite_files import (
    OperationRefused,
    checked_revision,
    connect_existing,
    fsync_path,
    sidecar_files,
)

BACKUP_RECORD = "last-backup.json"  # in DATA_DIR: what the operations page says of the last backup


@dataclass(frozen=True)
class BackupReport:
    path: Path
    revision: str
    size_bytes: int


@dataclass(frozen=True)
class LastBackup:
    made_at: datetime
    path: str
    size_bytes: int


def record_backup(data_dir: Path, report: BackupReport, made_at: datetime | None = None) -> None:
    """Remember the backup just made, for the operations page (a backup elsewhere, e.g. pg_dump, is not known)."""
    made_at = made_at or datetime.now(UTC)
    record = {"made_at": made_at.isoformat(), "path": str(report.path), "size_bytes": report.size_bytes}
    data_dir.mkdir(parents=True, exist_ok=True)
    temporary = data_dir / f".{BACKUP_RECORD}.tmp"
    temporary.write_text(json.dumps(record) + "\n", encoding="utf-8")
    os.replace(temporary, data_dir / BACKUP_RECORD)


def last_backup(data_dir: Path) -> LastBackup | None:
    """The last backup `innomatch backup` made of this service's data, or None if none is known."""
    try:
        record = json.loads((data_dir / BACKUP_RECORD).read_text(encoding="utf-8"))
        return LastBackup(
            made_at=datetime.fromisoformat(record["made_at"]),
            path=str(record["path"]),
            size_bytes=int(record["size_bytes"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def default_backup_name(now: datetime | None = None) -> str:
    """The file name a backup gets inside a directory: innomatch-<UTC time>.sqlite3."""
    return f"innomatch-{(now or datetime.now(UTC)).strftime('%Y%m%dT%H%M%SZ')}.sqlite3"


def backup_database(*, database: Path, target: Path) -> BackupReport:
    """Copy `database` to `target` (a file, or a directory to put a dated file in) through SQLite's backup API."""
    if not database.is_file():
        raise OperationRefused(f"there is no database at {database}: nothing to back up.")
    if target.is_dir():
        target = target / default_backup_name()
    target = target.resolve()
    if target == database or target in sidecar_files(database):
        raise OperationRefused(f"{target} is the live database itself; choose another file.")
    if not target.parent.is_dir():
        raise OperationRefused(f"the directory {target.parent} does not exist.")
    # Same directory as the target, so that the final rename is atomic and a crash leaves the old backup.
    descriptor, temporary_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(descriptor)
    temporary = Path(temporary_name)
    try:
        with closing(connect_existing(database)) as source, closing(sqlite3.connect(temporary)) as copy:
            # All pages in one step: one read transaction, so the copy is the database at one moment
            # (in WAL mode the service's writers go on meanwhile; a file copy could tear a transaction).
            source.backup(copy)
            # One self-contained file: no -wal beside it that could get lost on the way to storage.
            copy.execute("PRAGMA journal_mode=DELETE")
            revision = checked_revision(copy, label=f"the copy of {database}")
        fsync_path(temporary)
        os.replace(temporary, target)
        fsync_path(target.parent)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return BackupReport(path=target, revision=revision, size_bytes=target.stat().st_size)
