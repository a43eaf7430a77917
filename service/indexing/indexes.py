"""The encoder, the two record indexes the service matches with, and the KPI suggestions made with them."""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from embeddings import Encoder
from service.indexing.centroids import load_or_fit_centroids
from service.indexing.kpi_suggestions import KpiSuggester
from service.indexing.record_index import RecordIndex


@dataclass
class Indexes:
    encoder: Encoder
    needs: RecordIndex
    solutions: RecordIndex
    kpi_suggester: KpiSuggester

    @classmethod
    def create(
        cls,
        *,
        encoder: Encoder,
        index_dir: Path,
        session_factory: sessionmaker[Session],
        snapshot_every: int = 500,
    ) -> "Indexes":
        centroids = load_or_fit_centroids(session_factory, encoder)

        def record_index(kind: str) -> RecordIndex:
            return RecordIndex(
                kind=kind,
                encoder=encoder,
                centroids=centroids,
                directory=index_dir / kind,
                session_factory=session_factory,
                snapshot_every=snapshot_every,
            )

        needs, solutions = record_index("need"), record_index("solution")
        suggester = KpiSuggester(
            encoder=encoder,
            centroids=centroids,
            session_factory=session_factory,
            records=(needs, solutions),
        )
        return cls(encoder=encoder, needs=needs, solutions=solutions, kpi_suggester=suggester)

    @property
    def kpi_names(self) -> dict[str, tuple[str, str]]:
        """KPI names (Norwegian, English) by code, as the BM25 terms of records use them."""
        return self.solutions.kpi_names

    def of(self, kind: str) -> RecordIndex:
        return self.needs if kind == "need" else self.solutions

    def open(self) -> list[str]:
        """Load or rebuild both indexes, encoding records that have no vector under this encoder; then the
        KPI texts' vectors, and the KPI suggestions of records stored without them. Lines for the log."""
        for index in (self.needs, self.solutions):
            index.encode_missing()
        lines = [self.needs.open(), self.solutions.open(), self.kpi_suggester.open()]
        filled = self.kpi_suggester.fill_in()
        if filled:
            lines.append(f"KPI suggestions derived for {filled} records stored without them")
        return lines

    def catch_up(self) -> None:
        self.needs.catch_up()
        self.solutions.catch_up()

    def save_snapshots(self) -> None:
        self.needs.save_snapshot()
        self.solutions.save_snapshot()
