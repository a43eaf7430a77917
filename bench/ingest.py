"""Ingest through the API with real encoding, re-ingest of the same records unchanged, and the
encoder's own throughput on the same texts (in this process, with no server running)."""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.corpus import BaseCorpus, RealRecord
from bench.http_load import Call, run_in_order
from bench.server import ServerProcess
from bench.template import copy_template, sqlite_url
from embeddings import CachingEncoder, Encoder

ENCODER_BATCH = 32
BATCH_MEASURE_TEXTS = 64  # batched encoding is measured on at most this many of the texts
API_BATCH = 50  # records per request on the batch endpoints, as an importer of a catalogue would send


@dataclass(frozen=True)
class IngestPass:
    """The records sent one way through the API: a first ingest, then the same content again."""

    first_seconds: float
    first_records_per_second: float
    reingest_seconds: float
    reingest_records_per_second: float
    reingest_speedup: float  # first ingest time / re-ingest time
    errors: int


@dataclass(frozen=True)
class IngestResult:
    records: int
    server_start_seconds: float
    one_by_one: IngestPass  # POST, then PATCH, of each record
    batched: IngestPass  # POST, then PATCH, of /api/v1/solutions/batch with API_BATCH records each
    batch_size: int
    encoder_single_texts_per_second: float  # one text per call, as each POST encodes
    encoder_batch_texts_per_second: float  # batches of ENCODER_BATCH
    encoder_batch_texts: int


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", text.strip()) if part]


def ingest_records(corpus: BaseCorpus, count: int) -> list[RealRecord]:
    """The corpus's real solutions, then (past them) the same texts with their sentences rotated.

    A rotation keeps a real text's words and length but gives it a new content hash, so it is encoded.
    """
    real = corpus.solutions
    records: list[RealRecord] = []
    seen: set[str] = set()
    for number in range(count):
        record = real[number % len(real)]
        turn = number // len(real)
        if turn:
            sentences = _sentences(record.description)
            shift = turn % max(len(sentences), 1)
            rotated = " ".join(sentences[shift:] + sentences[:shift])
            if record.title + rotated in seen:
                rotated += " " + _sentences(real[(number + 1) % len(real)].description)[0]
            record = replace(record, description=rotated)
        seen.add(record.title + record.description)
        records.append(record)
    return records


def _payload(record: RealRecord) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "title": record.title,
        "description": record.description,
        "language": record.language,
        "kpi_codes": record.kpi_codes,
        "sdgs": record.sdgs,
        "cpv_codes": record.cpv_codes,
    }
    if record.trl is not None:
        payload["trl"] = record.trl
    return payload


def encoder_throughput(encoder: Encoder, texts: list[str]) -> tuple[float, float, int]:
    """(texts/s one text per call, texts/s in batches, texts in the batched measurement)."""
    # A cache would answer repeated texts without encoding; measure the encoder itself.
    raw = encoder.inner if isinstance(encoder, CachingEncoder) else encoder
    started = time.perf_counter()
    for text in texts:
        raw.encode_passages([text])
    single = len(texts) / (time.perf_counter() - started)
    batch_texts = texts[:BATCH_MEASURE_TEXTS]
    started = time.perf_counter()
    for start in range(0, len(batch_texts), ENCODER_BATCH):
        raw.encode_passages(batch_texts[start : start + ENCODER_BATCH])
    batched = len(batch_texts) / (time.perf_counter() - started)
    return single, batched, len(batch_texts)


def run_ingest(
    *, corpus: BaseCorpus, encoder: Encoder, template: Path, directory: Path, count: int, start_timeout: float
) -> IngestResult:
    records = ingest_records(corpus, count)
    single, batched, batch_texts = encoder_throughput(encoder, [record.text for record in records])
    # Each pass has its own database and server, so that neither finds the other's vectors or cache.
    one_by_one, start_seconds = _ingest_pass(
        _one_by_one, records, template, directory / "one-by-one", start_timeout
    )
    in_batches, _ = _ingest_pass(_in_batches, records, template, directory / "batches", start_timeout)
    return IngestResult(
        records=len(records),
        server_start_seconds=start_seconds,
        one_by_one=one_by_one,
        batched=in_batches,
        batch_size=API_BATCH,
        encoder_single_texts_per_second=single,
        encoder_batch_texts_per_second=batched,
        encoder_batch_texts=batch_texts,
    )


Sender = Callable[[ServerProcess, list[RealRecord], list[int] | None], tuple[float, list[int | None]]]


def _ingest_pass(
    send: Sender, records: list[RealRecord], template: Path, directory: Path, start_timeout: float
) -> tuple[IngestPass, float]:
    database = copy_template(template, directory)
    server = ServerProcess(
        data_dir=directory,
        database_url=sqlite_url(database),
        log_path=directory / "server.log",
        start_timeout=start_timeout,
    )
    with server:
        first_seconds, created = send(server, records, None)
        stored = [owner_id for owner_id in created if owner_id is not None]
        # The same content again: the service compares content hashes and encodes nothing.
        kept = [record for record, owner_id in zip(records, created, strict=True) if owner_id is not None]
        reingest_seconds, updated = send(server, kept, stored)
    errors = (len(records) - len(stored)) + sum(1 for owner_id in updated if owner_id is None)
    result = IngestPass(
        first_seconds=first_seconds,
        first_records_per_second=len(stored) / first_seconds,
        reingest_seconds=reingest_seconds,
        reingest_records_per_second=len(updated) / reingest_seconds if reingest_seconds else 0.0,
        reingest_speedup=first_seconds / reingest_seconds if reingest_seconds else 0.0,
        errors=errors,
    )
    return result, server.start_seconds


def _one_by_one(
    server: ServerProcess, records: list[RealRecord], owner_ids: list[int] | None
) -> tuple[float, list[int | None]]:
    """POST of each record, or (with their ids) PATCH; the id of each written record, None where it failed."""
    calls = (
        [Call("POST", "/api/v1/solutions", body=_payload(record)) for record in records]
        if owner_ids is None
        else [
            Call("PATCH", f"/api/v1/solutions/{owner_id}", body=_payload(record))
            for owner_id, record in zip(owner_ids, records, strict=True)
        ]
    )
    seconds, responses = run_in_order(server.base_url, calls, token=server.admin_token)
    return seconds, [response.json()["id"] if response.is_success else None for response in responses]


def _in_batches(
    server: ServerProcess, records: list[RealRecord], owner_ids: list[int] | None
) -> tuple[float, list[int | None]]:
    """As _one_by_one, through the batch endpoints, API_BATCH records a request."""
    payloads = (
        [_payload(record) for record in records]
        if owner_ids is None
        else [
            {"id": owner_id, **_payload(record)} for owner_id, record in zip(owner_ids, records, strict=True)
        ]
    )
    method = "POST" if owner_ids is None else "PATCH"
    calls = [
        Call(method, "/api/v1/solutions/batch", body={"items": payloads[start : start + API_BATCH]})
        for start in range(0, len(payloads), API_BATCH)
    ]
    seconds, responses = run_in_order(server.base_url, calls, token=server.admin_token)
    written: list[int | None] = []
    for call, response in zip(calls, responses, strict=True):
        batch = call.body["items"] if call.body else []
        written += [item["id"] for item in response.json()] if response.is_success else [None] * len(batch)
    return seconds, written
