"""The alerts figure: many saved searches weighed against many new records in one round (evaluate,
then plan every delivery), as the alert worker runs it (docs/alerts.md).

A database of one size is populated as for the other figures; saved searches of every kind are written
straight into it (their text queries are real need and solution texts with their real vectors), then
the new records (synthetic needs and solutions, as population.py makes synthetic solutions). The round
runs in a child process (`python -m bench.alert_round`) so that its memory is its own.
"""

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, func, insert, select

from bench.corpus import BaseCorpus, RealRecord
from bench.machine import load_average
from bench.population import DIRECTION_SCALE, NOISE_SCALE, insert_records, need_row, populate, solution_row
from bench.synthetic_text import SyntheticTexts
from bench.template import sqlite_url
from embeddings import LanguageCentroids
from service.db import make_engine
from service.indexing.repository import vector_to_bytes
from service.models import ApiToken, IndexChange, Need, Solution, WebhookEndpoint
from service.models.alerts import SavedSearch

# The share of each kind among the saved searches: suppliers' searches first, a few staff topics.
SEARCH_MIX = {
    "needs_for_solution": 0.35,
    "needs_for_text": 0.20,
    "solutions_for_need": 0.10,
    "solutions_for_text": 0.15,
    "new_needs": 0.19,
    "new_buyer_groups": 0.01,
}
WEAKEST_BANDS = ("weak", "moderate", "moderate", "strong")  # drawn per search; moderate is the default
NEW_NEED_SHARE = 0.8  # of the new records; the rest are new solutions
COUNTY_FILTER_SHARE = 0.3  # of the searches of needs that also filter on a county
OWNERS = 100  # integration tokens that own the searches, each with one webhook endpoint


@dataclass(frozen=True)
class AlertsResult:
    solutions: int  # in the database before the new records
    stored_needs: int
    searches: int
    searches_by_kind: dict[str, int]
    new_needs: int
    new_solutions: int
    open_seconds: float  # the child's start: migrations, encoder, indexes
    evaluate_seconds: float  # evaluation of every search (the index catch-up included)
    plan_seconds: float  # the deliveries of every search with matches, written
    searches_weighed: int
    matches_found: int
    deliveries_planned: int
    memory_after_open_mib: float  # the child's resident memory once the service is open
    peak_during_round_mib: float  # its peak resident memory during the round
    load_average: tuple[float, float, float]

    @property
    def round_seconds(self) -> float:
        return self.evaluate_seconds + self.plan_seconds


def measure_alerts(
    *,
    directory: Path,
    template: Path,
    corpus: BaseCorpus,
    centroids: LanguageCentroids,
    model_id: str,
    solutions: int,
    searches: int,
    new_records: int,
    seed: int = 20261207,
) -> AlertsResult:
    """Populate, save the searches, add the new records, and run one round in a child process."""
    population = populate(
        directory=directory,
        template=template,
        corpus=corpus,
        centroids=centroids,
        model_id=model_id,
        size=solutions,
        seed=seed,
    )
    rng = np.random.default_rng(seed)
    engine = make_engine(population.database_url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA synchronous=OFF")
            by_kind = _save_searches(connection, corpus, model_id, searches, rng)
        new_needs = round(new_records * NEW_NEED_SHARE)
        with engine.begin() as connection:
            _add_new_records(connection, corpus, model_id, new_needs, new_records - new_needs, seed)
    finally:
        engine.dispose()
    measured = _run_round(population.database_path, directory / "data")
    return AlertsResult(
        solutions=solutions,
        stored_needs=len(population.need_ids),
        searches=searches,
        searches_by_kind=by_kind,
        new_needs=new_needs,
        new_solutions=new_records - new_needs,
        load_average=load_average(),
        **measured,
    )


def _save_searches(
    connection: Connection, corpus: BaseCorpus, model_id: str, count: int, rng: np.random.Generator
) -> dict[str, int]:
    watermark = connection.scalar(select(func.max(IndexChange.seq))) or 0
    owners = _owners(connection)
    solution_ids = list(connection.scalars(select(Solution.id)))
    need_ids = list(connection.scalars(select(Need.id)))
    counties = sorted({(record.municipality_number or "")[:2] for record in corpus.needs} - {""})
    kinds = list(SEARCH_MIX)
    drawn = rng.choice(len(kinds), size=count, p=list(SEARCH_MIX.values()))
    rows: list[dict[str, Any]] = []
    for number, kind_index in enumerate(drawn.tolist()):
        kind = kinds[kind_index]
        row: dict[str, Any] = {  # every key in every row: an executemany takes the first row's keys
            "owner_token_id": owners[number % len(owners)],
            "name": f"bench {number}",
            "kind": kind,
            "filters": {},
            "solution_id": None,
            "need_id": None,
            "query_text": None,
            "query_vector": None,
            "query_model_id": None,
            "query_language": None,
            "frequency": "immediately",
            "min_band": WEAKEST_BANDS[int(rng.integers(len(WEAKEST_BANDS)))],
            "channels": ["webhook"],
            "language": "nb",
            "watermark": watermark,
            "created_at": datetime.now(UTC),
            "updated_at": datetime.now(UTC),
        }
        if kind == "needs_for_solution":
            row["solution_id"] = solution_ids[int(rng.integers(len(solution_ids)))]
        elif kind == "solutions_for_need":
            row["need_id"] = need_ids[int(rng.integers(len(need_ids)))]
        elif kind in ("needs_for_text", "solutions_for_text"):
            # A supplier describes what they offer; an officer what they need.
            texts, vectors = (
                (corpus.solutions, corpus.solution_vectors)
                if kind == "needs_for_text"
                else (corpus.needs, corpus.need_vectors)
            )
            chosen = int(rng.integers(len(texts)))
            row |= _text_query(texts[chosen], vectors[chosen], model_id)
        if kind == "new_needs" or (kind.startswith("needs_") and rng.random() < COUNTY_FILTER_SHARE):
            row["filters"] = {"county": counties[int(rng.integers(len(counties)))]}
        rows.append(row)
    connection.execute(insert(SavedSearch), rows)
    return {kind: int((drawn == position).sum()) for position, kind in enumerate(kinds)}


def _text_query(record: RealRecord, vector: np.ndarray, model_id: str) -> dict[str, Any]:
    return {
        "query_text": record.text,
        "query_vector": vector_to_bytes(vector.astype(np.float32)),
        "query_model_id": model_id,
        "query_language": record.language,
    }


def _owners(connection: Connection) -> list[int]:
    """Integration tokens (staff: they may follow anything), each with a webhook endpoint."""
    now = datetime.now(UTC)
    ids = []
    for number in range(OWNERS):
        token_id = connection.execute(
            insert(ApiToken).values(
                name=f"bench integration {number}",
                role="staff",
                token_hash=f"{number:064d}",  # no caller presents these
                prefix="bench",
                created_by="bench",
                created_at=now,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        connection.execute(
            insert(WebhookEndpoint).values(
                owner_token_id=token_id,
                url=f"https://receiver-{number}.example.org/innomatch",
                secret="whsec_" + "A" * 43,
                created_at=now,
            )
        )
        ids.append(int(token_id))
    return ids


def _add_new_records(
    connection: Connection, corpus: BaseCorpus, model_id: str, needs: int, solutions: int, seed: int
) -> None:
    rng = np.random.default_rng(seed + 1)
    for kind, records, vectors, count, model in (
        ("need", corpus.needs, corpus.need_vectors, needs, Need),
        ("solution", corpus.solutions, corpus.solution_vectors, solutions, Solution),
    ):
        if count == 0:
            continue
        texts = SyntheticTexts([r.text for r in records], [r.language for r in records], seed)
        bases = rng.integers(0, len(records), count)
        raw = _near(vectors, records, bases, rng)
        rows = []
        for base in bases.tolist():
            title, description = texts.make(base)
            row = need_row(records[base]) if kind == "need" else _solution_like(records[base])
            rows.append(row | {"title": title, "description": description})
        first_id = (connection.scalar(select(func.max(model.id))) or 0) + 1
        insert_records(
            connection, kind=kind, first_id=first_id, rows=rows, raw_vectors=raw, model_id=model_id
        )


def _solution_like(record: RealRecord) -> dict[str, Any]:
    return solution_row(
        record, title=record.title, description=record.description, trl=record.trl, regions=[]
    )


def _near(
    vectors: np.ndarray, records: list[RealRecord], bases: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Each base's vector moved a step along the difference of two others of its language (population.py)."""
    languages = np.array([record.language for record in records])
    same = {language: np.flatnonzero(languages == language) for language in set(languages.tolist())}
    others = np.array(
        [same[languages[base]][rng.integers(0, len(same[languages[base]]), 2)] for base in bases.tolist()]
    )
    dim = vectors.shape[1]
    moved: np.ndarray = (
        vectors[bases]
        + DIRECTION_SCALE * (vectors[others[:, 0]] - vectors[others[:, 1]])
        + NOISE_SCALE * rng.standard_normal((len(bases), dim)) / np.sqrt(dim)
    ).astype(np.float32)
    moved /= np.linalg.norm(moved, axis=1, keepdims=True)
    return moved


def _run_round(database: Path, data_dir: Path) -> dict[str, Any]:
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "bench.alert_round", sqlite_url(database), str(data_dir)],
        check=True,
        capture_output=True,
        text=True,
    )
    measured: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    measured.setdefault("open_seconds", time.perf_counter() - started)
    return measured
