"""N solutions written straight into a size's database: the real ones first, then synthetic ones.

Real encoding is slow (docs/encoders.md, "Speed"), so large sizes cannot go through the API. Rows are
bulk-inserted with SQLAlchemy core, one transaction per batch, exactly as the write path leaves them:
the record, its vector under the encoder's model id with the text's content hash, and an upsert in
the index change log. The server then builds its indexes from SQL like after any restore.

Synthetic vectors keep the real structure: a real solution's vector plus a step along the difference
of two other real vectors of the same language, plus a little isotropic noise, re-normalised.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, insert, select
from tqdm import tqdm

from bench.corpus import BaseCorpus, RealRecord
from bench.synthetic_text import SyntheticTexts
from bench.template import copy_template, sqlite_url
from embeddings import LanguageCentroids, content_hash
from service.db import make_engine
from service.indexing import record_text
from service.indexing.repository import vector_to_bytes
from service.models import County, IndexChange, Need, Solution, StoredVector

BATCH_SIZE = 10_000
DIRECTION_SCALE = 0.5  # step along (v_c - v_d): spreads copies inside the real data's subspace
NOISE_SCALE = 0.2  # norm of the isotropic part
REGIONAL_SHARE = 0.3  # synthetic solutions serving one county rather than all of Norway
# Derived, none: left null, start-up would derive KPI suggestions for every synthetic text (minutes at a
# million). Every bench record carries KPI codes of its own, which matching prefers to suggestions.
NO_SUGGESTIONS: list[dict[str, Any]] = []


@dataclass
class Population:
    database_path: Path
    solution_ids: np.ndarray  # int64, ascending
    solution_vectors: np.ndarray  # as the index holds them (centred, unit length), one row per id
    need_ids: list[int]
    need_vectors: np.ndarray  # the stored needs' index-form vectors: the queries of the peer comparison
    need_texts: list[RealRecord]
    real_solutions: int
    synthetic_solutions: int
    seconds: float

    @property
    def database_url(self) -> str:
        return sqlite_url(self.database_path)

    @property
    def database_bytes(self) -> int:
        return sum(
            path.stat().st_size
            for path in (self.database_path, Path(f"{self.database_path}-wal"))
            if path.exists()
        )


class _SyntheticSolutions:
    """Rows and raw vectors of synthetic solutions, batch by batch, from a fixed seed."""

    def __init__(self, corpus: BaseCorpus, counties: list[str], seed: int) -> None:
        self._rng = np.random.default_rng(seed)
        self._corpus = corpus
        self._counties = counties
        languages = np.array([record.language for record in corpus.solutions])
        self._same_language = {language: np.flatnonzero(languages == language) for language in set(languages)}
        self._texts = SyntheticTexts([record.text for record in corpus.solutions], list(languages), seed)

    def batch(self, count: int) -> tuple[list[dict[str, Any]], np.ndarray]:
        rng = self._rng
        real = self._corpus.solutions
        vectors = self._corpus.solution_vectors
        bases = rng.integers(0, len(real), count)
        others = np.empty((2, count), dtype=np.int64)
        for language, members in self._same_language.items():
            positions = np.flatnonzero([real[base].language == language for base in bases])
            others[:, positions] = members[rng.integers(0, len(members), (2, len(positions)))]
        dim = vectors.shape[1]
        raw = (
            vectors[bases]
            + DIRECTION_SCALE * (vectors[others[0]] - vectors[others[1]])
            + NOISE_SCALE * rng.standard_normal((count, dim)) / np.sqrt(dim)
        ).astype(np.float32)
        raw /= np.linalg.norm(raw, axis=1, keepdims=True)
        rows = []
        for base in bases.tolist():
            record = real[base]
            title, description = self._texts.make(base)
            regional = bool(self._counties) and rng.random() < REGIONAL_SHARE
            rows.append(
                solution_row(
                    record,
                    title=title,
                    description=description,
                    trl=record.trl or int(rng.integers(3, 10)),
                    regions=[self._counties[int(rng.integers(0, len(self._counties)))]] if regional else [],
                )
            )
        return rows, raw


def solution_row(
    record: RealRecord, *, title: str, description: str, trl: int | None, regions: list[str]
) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "title": title,
        "description": description,
        "language": record.language,
        "kpi_codes": record.kpi_codes,
        "sdgs": record.sdgs,
        "trl": trl,
        "cpv_codes": record.cpv_codes,
        "regions_served": regions,
        "reference_municipalities": [],
        "suggested_kpis": NO_SUGGESTIONS,
        "status": "published",
        "demo": False,
        "created_at": now,
        "updated_at": now,
    }


def need_row(record: RealRecord) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "title": record.title,
        "description": record.description,
        "language": record.language,
        "kpi_codes": record.kpi_codes,
        "municipality_number": record.municipality_number,
        "origin": "manual",
        "suggested_kpis": NO_SUGGESTIONS,
        "status": "open",
        "demo": False,
        "created_at": now,
        "updated_at": now,
    }


def insert_records(
    connection: Connection,
    *,
    kind: str,
    first_id: int,
    rows: list[dict[str, Any]],
    raw_vectors: np.ndarray,
    model_id: str,
) -> list[int]:
    """Records, their stored vectors and their change-log entries, in the caller's transaction."""
    model = Need if kind == "need" else Solution
    ids = list(range(first_id, first_id + len(rows)))
    now = datetime.now(UTC)
    for row_id, row in zip(ids, rows, strict=True):
        row["id"] = row_id
    connection.execute(insert(model), rows)
    connection.execute(
        insert(StoredVector),
        [
            {
                "owner_kind": kind,
                "owner_id": row["id"],
                "model_id": model_id,
                "content_hash": content_hash(record_text(row["title"], row["description"])),
                "dim": int(vector.shape[0]),
                "vector": vector_to_bytes(vector),
                "created_at": now,
            }
            for row, vector in zip(rows, raw_vectors, strict=True)
        ],
    )
    connection.execute(
        insert(IndexChange),
        [
            {"owner_kind": kind, "owner_id": row_id, "operation": "upsert", "changed_at": now}
            for row_id in ids
        ],
    )
    return ids


def populate(
    *,
    directory: Path,
    template: Path,
    corpus: BaseCorpus,
    centroids: LanguageCentroids,
    model_id: str,
    size: int,
    seed: int = 20261122,
    batch_size: int = BATCH_SIZE,
) -> Population:
    """A copy of the template with the corpus's real needs and `size` solutions (real first, then synthetic)."""
    started = time.perf_counter()
    database_path = copy_template(template, directory)
    engine = make_engine(sqlite_url(database_path))
    dim = corpus.solution_vectors.shape[1]
    index_form = np.empty((size, dim), dtype=np.float32)
    real_count = min(size, len(corpus.solutions))
    try:
        with engine.connect() as connection:
            # A bench database is thrown away: durability of each batch buys nothing here.
            connection.exec_driver_sql("PRAGMA synchronous=OFF")
            counties = sorted(connection.scalars(select(County.number)))
            connection.commit()
            with connection.begin():
                need_ids = insert_records(
                    connection,
                    kind="need",
                    first_id=1,
                    rows=[need_row(record) for record in corpus.needs],
                    raw_vectors=corpus.need_vectors,
                    model_id=model_id,
                )
            synthetic = _SyntheticSolutions(corpus, counties, seed)
            with tqdm(total=size, desc=f"populating {size} solutions", unit="solution") as bar:
                done = 0
                while done < size:
                    count = min(batch_size, size - done)
                    if done < real_count:
                        count = min(count, real_count - done)
                        records = corpus.solutions[done : done + count]
                        rows = [
                            solution_row(
                                record,
                                title=record.title,
                                description=record.description,
                                trl=record.trl,
                                regions=[],
                            )
                            for record in records
                        ]
                        raw = corpus.solution_vectors[done : done + count]
                    else:
                        rows, raw = synthetic.batch(count)
                    languages = [row["language"] for row in rows]
                    with connection.begin():
                        insert_records(
                            connection,
                            kind="solution",
                            first_id=done + 1,
                            rows=rows,
                            raw_vectors=raw,
                            model_id=model_id,
                        )
                    index_form[done : done + count] = centroids.apply(raw, languages)
                    done += count
                    bar.update(count)
    finally:
        engine.dispose()
    return Population(
        database_path=database_path,
        solution_ids=np.arange(1, size + 1, dtype=np.int64),
        solution_vectors=index_form,
        need_ids=need_ids,
        need_vectors=centroids.apply(corpus.need_vectors, [record.language for record in corpus.needs]),
        need_texts=list(corpus.needs),
        real_solutions=real_count,
        synthetic_solutions=size - real_count,
        seconds=time.perf_counter() - started,
    )
