"""The notices figure in a process of its own: `python -m bench.notice_import DATABASE_URL DATA_DIR DOCUMENTS`.

Opens the service as `innomatch notices import` does, with the encoder wrapped to time its passage calls
(the only difference), and reads the *.xml files of DOCUMENTS into memory. Then: parse only (REPEATS
passes), one import (each document its own transaction, as the command imports), the index snapshots the
command saves after it, and REPEATS re-imports of the same documents (all unchanged). Prints one JSON line:
seconds per pass, outcomes, encoder time and this process's memory (peak reset once the service is open).
"""

import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.machine import own_memory_mib, reset_peak_memory
from embeddings import Encoder, load_encoder
from service.access import operator
from service.app import open_service
from service.config import Settings
from service.notices.eforms import parse_notice
from service.notices.files import notice_files, read_documents
from service.notices.importer import ImportReport, import_documents

REPEATS = 3  # passes of parse only and of re-import; their median is reported


class PassageTimer:
    """An Encoder that adds up the time spent in the wrapped encoder's passage calls."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.seconds = 0.0
        self.texts = 0

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        started = time.perf_counter()
        try:
            return self.inner.encode_passages(texts)
        finally:
            self.seconds += time.perf_counter() - started
            self.texts += len(texts)


def _outcomes(report: ImportReport) -> dict[str, int]:
    return {
        outcome: report.count(outcome)
        for outcome in ("imported", "updated", "voided", "unchanged", "refused")
    }


def main(database_url: str, data_dir: str, documents_dir: str) -> None:
    started = time.perf_counter()
    settings = Settings(database_url=database_url, data_dir=Path(data_dir), seed="none", alerts_worker=False)
    encoder = PassageTimer(
        load_encoder(
            settings.encoder, threads=settings.encoder_threads, cache_dir=settings.data_dir / "models"
        )
    )
    opened = open_service(settings, encoder)
    open_seconds = time.perf_counter() - started
    after_open = own_memory_mib("VmRSS")
    reset_peak_memory()
    documents = list(read_documents(notice_files([Path(documents_dir)])))
    caller = operator()

    parse_seconds = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        for name, data in documents:
            parse_notice(data, name)
        parse_seconds.append(time.perf_counter() - began)

    encoder.seconds, encoder.texts = 0.0, 0  # opening the service may have encoded (KPI texts)
    with opened.session_factory() as session:
        began = time.perf_counter()
        report = import_documents(
            session=session, indexes=opened.indexes, caller=caller, documents=documents, source="file"
        )
        import_seconds = time.perf_counter() - began
    began = time.perf_counter()
    opened.indexes.save_snapshots()
    snapshot_seconds = time.perf_counter() - began
    encode_seconds, encoded_texts = encoder.seconds, encoder.texts

    reimport_seconds, reimport_outcomes = [], {}
    for _ in range(REPEATS):
        with opened.session_factory() as session:
            began = time.perf_counter()
            again = import_documents(
                session=session, indexes=opened.indexes, caller=caller, documents=documents, source="file"
            )
            reimport_seconds.append(time.perf_counter() - began)
        reimport_outcomes = _outcomes(again)
    opened.engine.dispose()
    print(
        json.dumps(
            {
                "encoder": encoder.model_id,
                "open_seconds": open_seconds,
                "parse_seconds": statistics.median(parse_seconds),
                "import_seconds": import_seconds,
                "snapshot_seconds": snapshot_seconds,
                "reimport_seconds": statistics.median(reimport_seconds),
                "repeats": REPEATS,
                "encode_seconds": encode_seconds,
                "encoded_texts": encoded_texts,
                "import_outcomes": _outcomes(report),
                "reimport_outcomes": reimport_outcomes,
                "memory_after_open_mib": after_open,
                "peak_mib": own_memory_mib("VmHWM"),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
