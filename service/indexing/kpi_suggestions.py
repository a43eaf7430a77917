"""KPI suggestions in the service: the vectors of the KPI texts, kept in SQL per encoder, and the suggested
KPIs of a text, of a record being written, or of the records stored before suggestions existed.

The arithmetic is in kpi_scoring.py; this module finds what it weighs: the text's similarity to each
KPI's texts, and the text's nearest stored records that carry KPI codes and are public (every need, the
published solutions), from the two record indexes.
"""

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from embeddings import Encoder, LanguageCentroids, content_hash
from service.indexing import repository
from service.indexing.kpi_scoring import NEIGHBOURS, Neighbour, SuggestedKpi, best_per_kpi, suggest
from service.indexing.kpi_texts import KpiText, kpi_texts
from service.indexing.record_index import RecordIndex

log = logging.getLogger(__name__)
# Nearest records read from each index: untagged ones, unpublished solutions and the record itself drop out.
CANDIDATES_PER_INDEX = 3 * NEIGHBOURS
ENCODE_BATCH = 64
FILL_IN_BATCH = 256
RecordKey = tuple[str, int]  # (kind, id)


def stored_form(suggestions: Sequence[SuggestedKpi]) -> list[dict[str, Any]]:
    """Suggestions as a record's `suggested_kpis` column holds them."""
    return [{"code": item.code, "confidence": item.confidence} for item in suggestions]


class KpiSuggester:
    def __init__(
        self,
        *,
        encoder: Encoder,
        centroids: LanguageCentroids,
        session_factory: sessionmaker[Session],
        records: Sequence[RecordIndex],
    ) -> None:
        self._encoder = encoder
        self._centroids = centroids
        self._sessions = session_factory
        self._records = {index.kind: index for index in records}
        self.codes: list[str] = []  # the KPIs, in the order of the similarity columns
        self._matrix = np.zeros((0, encoder.dim), dtype=np.float32)  # KPI texts, centred on their language
        self._kpi_of_row = np.zeros(0, dtype=np.int64)  # the KPI (a position in codes) of each row

    def open(self) -> str:
        """Encode the KPI texts without a vector under this encoder (new, changed, or a new encoder), then
        hold them all; answers what was done, for the log."""
        with self._sessions() as session:
            texts = [text for kpi in repository.all_kpis(session) for text in kpi_texts(kpi)]
            stored = repository.kpi_text_vectors(session, model_id=self._encoder.model_id)
        missing = [
            text
            for text in texts
            if stored.get((text.kpi_code, text.text_kind), ("",))[0] != content_hash(text.text)
        ]
        if missing:
            stored |= self._encode_and_store(missing)
        self._hold(texts, stored)
        return f"KPI suggestions: {len(texts)} texts of {len(self.codes)} KPIs ({len(missing)} encoded now)"

    def suggest_text(self, session: Session, text: str, language: str) -> list[SuggestedKpi]:
        """The KPIs a text (not stored) most likely moves, best first."""
        return self.suggest_raw(session, self._encoder.encode_passages([text]), [language], [None])[0]

    def suggest_raw(
        self,
        session: Session,
        vectors: np.ndarray,
        languages: Sequence[str],
        excluding: Sequence[RecordKey | None],
    ) -> list[list[SuggestedKpi]]:
        """Suggestions for encoder vectors (one row per text, in `languages`); `excluding` names, per row, the
        record the text belongs to, which must not vote for its own KPIs."""
        if len(vectors) == 0:
            return []
        return self.suggest_centred(session, self._centroids.apply(vectors, languages), excluding)

    def suggest_centred(
        self, session: Session, vectors: np.ndarray, excluding: Sequence[RecordKey | None]
    ) -> list[list[SuggestedKpi]]:
        """Suggestions for vectors already centred on their language, as the indexes hold them."""
        if not self.codes or len(vectors) == 0:
            return [[] for _ in range(len(vectors))]
        similarity = best_per_kpi(vectors @ self._matrix.T, self._kpi_of_row, len(self.codes))
        neighbours = self._neighbours(session, vectors, excluding)
        return [suggest(self.codes, similarity[row], neighbours[row]) for row in range(len(vectors))]

    def fill_in(self) -> int:
        """Derive the suggestions of the records stored without any (before they existed, or by a bulk load),
        from their indexed vectors; the number of records filled in. Call it once the indexes are open."""
        filled = 0
        for kind, index in self._records.items():
            after = 0
            while True:
                with self._sessions() as session:
                    ids = repository.ids_without_suggestions(
                        session, kind=kind, after_id=after, limit=FILL_IN_BATCH
                    )
                    if not ids:
                        break
                    after = ids[-1]
                    found, vectors = index.vectors(ids)
                    keys: list[RecordKey | None] = [(kind, int(owner_id)) for owner_id in found]
                    suggestions = self.suggest_centred(session, vectors, keys)
                with self._sessions.begin() as session:
                    repository.fill_in_suggestions(
                        session,
                        kind=kind,
                        suggestions={
                            int(owner_id): stored_form(suggested)
                            for owner_id, suggested in zip(found, suggestions, strict=True)
                        },
                    )
                filled += len(found)
        return filled

    # -- internals --

    def _encode_and_store(self, texts: list[KpiText]) -> dict[tuple[str, str], repository.StoredKpiText]:
        vectors = np.vstack(
            [
                self._encoder.encode_passages([text.text for text in texts[start : start + ENCODE_BATCH]])
                for start in range(0, len(texts), ENCODE_BATCH)
            ]
        )
        encoded = {
            (text.kpi_code, text.text_kind): (content_hash(text.text), text.language, vector)
            for text, vector in zip(texts, vectors, strict=True)
        }
        try:
            with self._sessions.begin() as session:
                for text, vector in zip(texts, vectors, strict=True):
                    repository.put_kpi_text_vector(
                        session,
                        kpi_code=text.kpi_code,
                        text_kind=text.text_kind,
                        language=text.language,
                        model_id=self._encoder.model_id,
                        content_hash=content_hash(text.text),
                        vector=vector,
                    )
        except IntegrityError:
            # Another process starting at the same time stored the same texts' vectors first.
            log.info("KPI text vectors were stored by another process; using the ones encoded here")
        return encoded

    def _hold(self, texts: list[KpiText], stored: dict[tuple[str, str], repository.StoredKpiText]) -> None:
        codes = sorted({text.kpi_code for text in texts})
        position = {code: place for place, code in enumerate(codes)}
        if not texts:
            self.codes = []
            return
        matrix = np.vstack([stored[text.kpi_code, text.text_kind][2] for text in texts])
        self._matrix = self._centroids.apply(matrix, [text.language for text in texts])
        self._kpi_of_row = np.array([position[text.kpi_code] for text in texts], dtype=np.int64)
        self.codes = codes

    def _neighbours(
        self, session: Session, vectors: np.ndarray, excluding: Sequence[RecordKey | None]
    ) -> list[list[Neighbour]]:
        """Each row's nearest public records that carry KPI codes, over both indexes, nearest first."""
        found: list[list[tuple[float, RecordKey]]] = [[] for _ in range(len(vectors))]
        tags: dict[RecordKey, list[str]] = {}
        for kind, index in self._records.items():
            hits = index.search_batch(vectors, CANDIDATES_PER_INDEX)
            owner_ids = sorted({owner_id for row in hits for owner_id, _ in row})
            for owner_id, codes in repository.public_kpi_tags(
                session, kind=kind, owner_ids=owner_ids
            ).items():
                tags[kind, owner_id] = codes
            for row, row_hits in enumerate(hits):
                found[row].extend(
                    (score, (kind, owner_id))
                    for owner_id, score in row_hits
                    if (kind, owner_id) in tags and (kind, owner_id) != excluding[row]
                )
        return [
            [Neighbour(score, tags[key]) for score, key in sorted(row, key=lambda hit: -hit[0])[:NEIGHBOURS]]
            for row in found
        ]
