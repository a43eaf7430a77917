"""The FAISS and BM25 indexes of one kind of record: caches of SQL that follow the change log.

Startup compares the FAISS snapshot's manifest with SQL, replays newer changes and rebuilds from stored
vectors whenever anything disagrees; a missing or corrupt snapshot is rebuilt, never fatal. The BM25
index has no snapshot: it is built from the records' texts at every start (no encoding involved);
after that, writes go to its delta (embeddings/lexical/).
"""

import logging
import threading
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from embeddings import Encoder, LanguageCentroids, LexicalIndex, SnapshotError, VectorIndex
from service.indexing import repository
from service.indexing.lexical_documents import LexicalDocument
from service.indexing.vectors import put_vectors

log = logging.getLogger(__name__)
ProgressFactory = Callable[[int, str], Callable[[int], object]]


class RecordIndex:
    def __init__(
        self,
        *,
        kind: str,
        encoder: Encoder,
        centroids: LanguageCentroids,
        directory: Path,
        session_factory: sessionmaker[Session],
        snapshot_every: int = 500,
    ) -> None:
        self.kind = kind
        self.encoder = encoder
        self.centroids = centroids
        # Vectors in the index are centred on their language; the snapshot must match both.
        self.index_model_id = f"{encoder.model_id}|centroids:{centroids.fingerprint()}"
        self.directory = directory
        self._sessions = session_factory
        self._snapshot_every = snapshot_every
        self._index = VectorIndex(encoder.dim)
        self.lexical = LexicalIndex()
        self.kpi_names: dict[str, tuple[str, str]] = {}  # part of every record's BM25 terms; read with them
        self._applied_seq = 0
        self._changes_since_snapshot = 0
        self._writer = threading.Lock()  # one writer at a time; VectorIndex lets searches run beside it

    @property
    def applied_seq(self) -> int:
        return self._applied_seq

    def __len__(self) -> int:
        return len(self._index)

    def ids(self) -> np.ndarray:
        return self._index.ids()

    def vector(self, owner_id: int) -> np.ndarray | None:
        """The record's vector as indexed (centred on its language), or None when not indexed."""
        try:
            return self._index.vector(owner_id)
        except KeyError:
            return None

    def query_vector(self, owner_id: int) -> np.ndarray:
        """The record's vector as indexed; read from SQL when the index has not taken it up yet."""
        vector = self.vector(owner_id)
        if vector is not None:
            return vector
        with self._sessions() as session:
            stored = repository.vectors_of(
                session, kind=self.kind, model_id=self.encoder.model_id, owner_ids=[owner_id]
            )
        if owner_id not in stored:
            raise RuntimeError(f"{self.kind} {owner_id} has no stored vector; run `innomatch reindex`")
        raw, language = stored[owner_id]
        centred: np.ndarray = self.index_form(raw.reshape(1, -1), [language])[0]
        return centred

    def vectors(self, owner_ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """The indexed vectors of those of `owner_ids` in the index: (their ids, one row each)."""
        return self._index.vectors(np.asarray(owner_ids, dtype=np.int64))

    def index_form(self, vectors: np.ndarray, languages: list[str]) -> np.ndarray:
        """Raw encoder vectors as the index holds them."""
        return self.centroids.apply(vectors, languages)

    def search(
        self, query: np.ndarray, k: int, *, allowed_ids: Collection[int] | None = None
    ) -> list[tuple[int, float]]:
        return self._index.search(query, k, allowed_ids=allowed_ids)

    def search_batch(self, queries: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        """Top-k (id, score) for each row of `queries` (in index form), in one call."""
        return self._index.search_batch(queries, k)

    def open(self) -> str:
        """Load the snapshot and reconcile it with SQL; answers what was done, for the log."""
        with self._writer:
            reason = self._load_snapshot()
            if reason is None:
                self._replay_changes()
                reason = self._disagreement_with_sql()
            if reason is None:
                outcome = f"{self.kind} index loaded from snapshot ({len(self._index)} vectors)"
            else:
                self._rebuild()
                self._save_snapshot()
                outcome = f"{self.kind} index rebuilt from stored vectors: {reason}"
            self._load_lexical()
            return f"{outcome}; {len(self.lexical)} texts indexed for BM25"

    def catch_up(self) -> int:
        """Apply every change logged since the last one applied; the number of records touched."""
        with self._writer:
            touched = self._replay_changes()
            self._changes_since_snapshot += touched
            if self._changes_since_snapshot >= self._snapshot_every:
                self._save_snapshot()
            return touched

    def rebuild(self, advance: Callable[[int], object] | None = None) -> None:
        """Rebuild from the stored vectors (no encoding); `advance` is told how many vectors each batch added."""
        with self._writer:
            self._rebuild(advance)
            self._save_snapshot()

    def save_snapshot(self) -> None:
        with self._writer:
            self._save_snapshot()

    def encode_missing(self, progress: ProgressFactory | None = None, batch_size: int = 64) -> int:
        """Encode records that have no vector under the current model (first start, or a model change)."""
        with self._sessions() as session:
            missing = repository.record_ids_without_vector(
                session, kind=self.kind, model_id=self.encoder.model_id
            )
        advance = progress(len(missing), f"encoding {self.kind}s") if progress and missing else None
        for start in range(0, len(missing), batch_size):
            batch = missing[start : start + batch_size]
            with self._sessions() as session:
                texts = repository.record_texts(session, kind=self.kind, owner_ids=batch)
            found = [(owner_id, texts[owner_id]) for owner_id in batch if owner_id in texts]
            # Encoded before the write transaction, which must not wait for the encoder.
            vectors = self.encoder.encode_passages([text for _, text in found])
            with self._sessions.begin() as session:
                put_vectors(
                    session, model_id=self.encoder.model_id, kind=self.kind, texts=found, vectors=vectors
                )
            if advance:
                advance(len(batch))
        return len(missing)

    # -- internals, called with self._writer held --

    def _load_snapshot(self) -> str | None:
        try:
            index, manifest = VectorIndex.load(self.directory)
        except SnapshotError as error:
            return f"snapshot unusable ({error})"
        if manifest.model_id != self.index_model_id or manifest.dim != self.encoder.dim:
            return f"snapshot made with {manifest.model_id}, the index needs {self.index_model_id}"
        with self._sessions() as session:
            latest = repository.latest_change_seq(session)
        if manifest.last_change_seq > latest:
            return "snapshot is newer than the database (restored from an older backup?)"
        self._index = index
        self._applied_seq = manifest.last_change_seq
        return None

    def _replay_changes(self) -> int:
        with self._sessions() as session:
            changes = repository.changes_after(session, kind=self.kind, seq=self._applied_seq)
            if not changes:
                return 0
            # Only the latest state matters: upserts read the vector as it is now.
            touched = {change.owner_id for change in changes}
            current = repository.vectors_of(
                session, kind=self.kind, model_id=self.encoder.model_id, owner_ids=sorted(touched)
            )
            last_seq = changes[-1].seq
            self._update_lexical(session, sorted(touched))
        gone = [owner_id for owner_id in touched if owner_id not in current]
        if gone:
            self._index.remove(gone)
        if current:
            ids = np.fromiter(current.keys(), dtype=np.int64, count=len(current))
            vectors = np.vstack([vector for vector, _ in current.values()])
            self._index.upsert(
                ids, self.centroids.apply(vectors, [language for _, language in current.values()])
            )
        self._applied_seq = last_seq
        return len(touched)

    def _disagreement_with_sql(self) -> str | None:
        with self._sessions() as session:
            expected = repository.stored_owner_ids(session, kind=self.kind, model_id=self.encoder.model_id)
        present = set(self._index.ids().tolist())
        if present != expected:
            return f"index holds {len(present)} ids, the database {len(expected)} (or different ones)"
        return None

    def _rebuild(self, advance: Callable[[int], object] | None = None) -> None:
        index = VectorIndex(self.encoder.dim)
        with self._sessions() as session:
            # Read the sequence first: a change landing during the read is replayed again, harmlessly.
            seq = repository.latest_change_seq(session)
            for ids, matrix, languages in repository.iter_vectors(
                session, kind=self.kind, model_id=self.encoder.model_id
            ):
                index.upsert(ids, self.centroids.apply(matrix, languages))
                if advance:
                    advance(len(ids))
        self._index = index
        self._applied_seq = seq
        self._replay_changes()

    def _update_lexical(self, session: Session, owner_ids: list[int]) -> None:
        rows = repository.lexical_rows_of(session, kind=self.kind, owner_ids=owner_ids)
        names = self.kpi_names = repository.kpi_names(session)
        self.lexical.remove(set(owner_ids) - {row[0] for row in rows})
        self.lexical.upsert(
            [row[0] for row in rows], [LexicalDocument.of_row(row).terms(names) for row in rows]
        )

    def _load_lexical(self) -> None:
        # A change landing during the read is replayed by the next catch-up, harmlessly.
        with self._sessions() as session:
            names = self.kpi_names = repository.kpi_names(session)
            self.lexical.load(
                ([row[0] for row in rows], [LexicalDocument.of_row(row).terms(names) for row in rows])
                for rows in repository.iter_lexical_rows(session, kind=self.kind)
            )
        # Built here rather than by the first search, which would otherwise wait for it (long at a million
        # records: docs/matching.md, "Start-up") after the service has said it is ready.
        self.lexical.merge()

    def _save_snapshot(self) -> None:
        try:
            self._index.save(self.directory, model_id=self.index_model_id, last_change_seq=self._applied_seq)
        except OSError as error:
            # The database holds everything; a failed snapshot only makes the next start slower.
            log.warning("could not save the %s index snapshot: %s", self.kind, error)
        # Reset after a failure too: on a full disk, retrying at every write would rewrite the index each time.
        self._changes_since_snapshot = 0
