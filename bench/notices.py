"""The notices figure: eForms documents per second through the parser, the import (parse, encode, store,
index) and a re-import of the same documents, as `innomatch notices import` runs them.

The documents are **synthetic copies of real samples**: the valid eForms SDK sample notices of
tests/notices/samples/, taken in turn, each copy given a new notice id (a UUID) and nothing else changed,
so every copy is a new notice with a new content hash whose text is encoded. They are written to a folder
and measured in a child process (`python -m bench.notice_import`) on a fresh copy of the bench's template,
so that its memory is its own.
"""

import json
import random
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.machine import load_average
from bench.options import REPO_ROOT
from bench.template import copy_template, sqlite_url
from service.notices.eforms import parse_notice
from service.notices.parsed import InvalidNotice

SAMPLES_DIR = REPO_ROOT / "tests" / "notices" / "samples"
_NOTICE_ID = re.compile(rb'(<cbc:ID schemeName="notice-id">)[^<]*(</cbc:ID>)')


@dataclass(frozen=True)
class NoticesResult:
    documents: int
    samples: list[str]  # the sample files copied, in turn
    encoder: str  # the model id of the encoder the child loaded (the settings' default)
    repeats: int  # passes of parse only and of re-import (their median is reported)
    open_seconds: float  # the child's start: migrations, encoder, indexes
    parse_seconds: float  # median pass of parse only
    import_seconds: float  # the one import pass
    snapshot_seconds: float  # the index snapshots the command saves after importing
    reimport_seconds: float  # median pass of re-import, every document unchanged
    encode_seconds: float  # time in the encoder's passage calls during the import pass
    encoded_texts: int
    import_outcomes: dict[str, int]
    reimport_outcomes: dict[str, int]
    memory_after_open_mib: float  # the child's resident memory once the service is open
    peak_mib: float  # its peak resident memory while the documents were read, parsed and imported
    load_average: tuple[float, float, float]

    @property
    def parse_per_second(self) -> float:
        return self.documents / self.parse_seconds

    @property
    def import_per_second(self) -> float:
        return self.documents / self.import_seconds

    @property
    def reimport_per_second(self) -> float:
        return self.documents / self.reimport_seconds

    @property
    def encode_share(self) -> float:
        return self.encode_seconds / self.import_seconds


def valid_samples(folder: Path = SAMPLES_DIR) -> list[tuple[str, bytes]]:
    """(file name, content) of the sample notices the parser accepts, in name order."""
    samples = []
    for path in sorted(folder.glob("*.xml")):
        data = path.read_bytes()
        try:
            parse_notice(data, path.name)
        except InvalidNotice:
            continue
        samples.append((path.name, data))
    return samples


def with_notice_id(data: bytes, notice_id: str) -> bytes:
    """The document with its notice id (cbc:ID schemeName="notice-id") replaced, every other byte kept."""
    replaced, count = _NOTICE_ID.subn(rb"\g<1>" + notice_id.encode("ascii") + rb"\g<2>", data, count=2)
    if count != 1:
        raise ValueError(f"expected one notice id in the document, found {count}")
    return replaced


def synthetic_copies(
    samples: Sequence[tuple[str, bytes]], count: int, seed: int
) -> Iterator[tuple[str, bytes]]:
    """`count` copies of the samples in turn, each with its own notice id (UUIDs from `seed`)."""
    rng = random.Random(seed)
    for number in range(count):
        name, data = samples[number % len(samples)]
        notice_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        yield f"{number:06d}-{name}", with_notice_id(data, notice_id)


def measure_notices(
    *, directory: Path, template: Path, documents: int, seed: int = 20261207
) -> NoticesResult:
    """Write the copies, then parse, import and re-import them in a child process on a fresh database."""
    samples = valid_samples()
    database = copy_template(template, directory)
    folder = directory / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in synthetic_copies(samples, documents, seed):
        (folder / name).write_bytes(data)
    measured = _run(database, directory / "data", folder)
    return NoticesResult(
        documents=documents,
        samples=[name for name, _ in samples[:documents]],
        load_average=load_average(),
        **measured,
    )


def _run(database: Path, data_dir: Path, documents: Path) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.notice_import", sqlite_url(database), str(data_dir), str(documents)],
        check=True,
        capture_output=True,
        text=True,
    )
    measured: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return measured
