"""The state of the service in facts a person can read: what /health and /metrics say, the index
snapshots' age and the last backup. For the operations page; no HTTP here."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from embeddings.snapshot import MANIFEST_FILE_NAME, IndexManifest, SnapshotError
from service.indexing import Indexes
from service.indexing.repository import changes_after, latest_change_seq
from service.operations.backup import LastBackup, last_backup
from service.operations.metrics import ServiceMetrics


@dataclass(frozen=True)
class IndexStatus:
    kind: str  # need | solution
    records: int  # vectors in the FAISS index
    lexical_texts: int  # texts in the BM25 index
    applied_change: int  # the last change of the database's change log this index holds
    changes_behind: int  # changes to records of this kind written since, not yet in this index
    snapshot_saved_at: datetime | None  # None: no snapshot on disk (or one that cannot be read)


@dataclass(frozen=True)
class ServiceStatus:
    version: str
    database: str
    encoder: str
    latest_change: int
    indexes: list[IndexStatus]
    last_backup: LastBackup | None
    requests_answered: int
    server_errors: int


def _snapshot_saved_at(directory: Path) -> datetime | None:
    try:
        manifest = IndexManifest.from_json((directory / MANIFEST_FILE_NAME).read_text(encoding="utf-8"))
        return datetime.fromisoformat(manifest.saved_at)
    except (OSError, ValueError, SnapshotError):
        return None


def service_status(
    *,
    session: Session,
    indexes: Indexes,
    metrics: ServiceMetrics,
    version: str,
    database: str,
    data_dir: Path,
) -> ServiceStatus:
    latest = latest_change_seq(session)
    states = [
        IndexStatus(
            kind=index.kind,
            records=len(index),
            lexical_texts=len(index.lexical),
            applied_change=index.applied_seq,
            changes_behind=len(changes_after(session, kind=index.kind, seq=index.applied_seq)),
            snapshot_saved_at=_snapshot_saved_at(index.directory),
        )
        for index in (indexes.needs, indexes.solutions)
    ]
    answered, failed = metrics.request_totals()
    return ServiceStatus(
        version=version,
        database=database,
        encoder=indexes.encoder.model_id,
        latest_change=latest,
        indexes=states,
        last_backup=last_backup(data_dir),
        requests_answered=answered,
        server_errors=failed,
    )
