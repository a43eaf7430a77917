"""Durable, atomic snapshots of a FAISS index with a manifest that lets a load detect any damage.

Layout of a snapshot directory: ``index.faiss`` (faiss.write_index output) and ``manifest.json``.
The manifest names the index's kind (``index_kind``, e.g. exact or ivf); manifests written before the
field existed held exact indexes, so its absence reads as ``exact``.
A save writes both to temporary files in the same directory, fsyncs them, renames the index and then
the manifest over the old ones (holding a lock across processes, see ``snapshot_lock``), and fsyncs
the directory. The manifest carries the index file's sha256,
so a crash between the two renames (new index, old manifest) is caught at load as a checksum mismatch.
The snapshot is only a cache of SQL: every failure to load is a SnapshotError, and the caller rebuilds.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import faiss

FORMAT_VERSION = 1
INDEX_FILE_NAME = "index.faiss"
MANIFEST_FILE_NAME = "manifest.json"
LOCK_FILE_NAME = ".lock"
TEMP_SUFFIX = ".tmp"

_T = TypeVar("_T")

# faiss' type stubs omit its Python-callback I/O classes, which exist at run time.
_CallbackReader: Callable[[Callable[[int], bytes], int], faiss.IOReader] = faiss.PyCallbackIOReader  # type: ignore[attr-defined]
_CallbackWriter: Callable[[Callable[[bytes], int]], faiss.IOWriter] = faiss.PyCallbackIOWriter  # type: ignore[attr-defined]

# Snapshots written before ``index_kind`` was recorded held only exact indexes.
_DEFAULT_INDEX_KIND = "exact"
_INDEX_KIND_PATTERN = re.compile(r"[a-z][a-z0-9_-]{0,31}")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_READ_CHUNK_BYTES = 1 << 20


class SnapshotError(Exception):
    """The snapshot is missing, truncated, corrupt, or its index and manifest disagree."""


@dataclass(frozen=True)
class IndexManifest:
    """What a snapshot holds, written beside the index file and checked at load."""

    format_version: int
    model_id: str
    dim: int
    count: int
    last_change_seq: int
    checksum: str
    saved_at: str
    index_kind: str = _DEFAULT_INDEX_KIND

    def to_json(self) -> str:
        """Serialise as stable, human-readable JSON."""
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> IndexManifest:
        """Parse and validate a manifest; anything unexpected is a SnapshotError."""
        try:
            fields = json.loads(text)
        except ValueError as error:
            raise SnapshotError(f"manifest is not valid JSON: {error}") from error
        if not isinstance(fields, dict):
            raise SnapshotError("manifest is not a JSON object")
        version = _field(fields, "format_version", int)
        if version != FORMAT_VERSION:
            raise SnapshotError(f"unknown snapshot format_version {version} (expected {FORMAT_VERSION})")
        manifest = cls(
            format_version=version,
            model_id=_field(fields, "model_id", str),
            dim=_field(fields, "dim", int),
            count=_field(fields, "count", int),
            last_change_seq=_field(fields, "last_change_seq", int),
            checksum=_field(fields, "checksum", str),
            saved_at=_field(fields, "saved_at", str),
            index_kind=_field(fields, "index_kind", str) if "index_kind" in fields else _DEFAULT_INDEX_KIND,
        )
        if manifest.dim <= 0 or manifest.count < 0:
            raise SnapshotError(f"manifest has impossible dim={manifest.dim} or count={manifest.count}")
        if not _SHA256_HEX.fullmatch(manifest.checksum):
            raise SnapshotError("manifest checksum is not a sha256 hex digest")
        if not _INDEX_KIND_PATTERN.fullmatch(manifest.index_kind):
            raise SnapshotError(f"manifest index_kind {manifest.index_kind[:40]!r} is not a kind name")
        return manifest


def _field(fields: dict[str, Any], name: str, kind: type[_T]) -> _T:
    value = fields.get(name)
    # bool is an int subclass; a manifest saying `"dim": true` is corrupt, not 1.
    if not isinstance(value, kind) or isinstance(value, bool):
        raise SnapshotError(f"manifest field {name!r} is missing or not a {kind.__name__}")
    return value


def write_snapshot(
    write_index: Callable[[faiss.IOWriter], None],
    directory: Path,
    *,
    model_id: str,
    dim: int,
    count: int,
    last_change_seq: int,
    index_kind: str = _DEFAULT_INDEX_KIND,
) -> IndexManifest:
    """Write an index (through ``write_index``) and its manifest atomically into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    index_temp = _temp_path(directory, INDEX_FILE_NAME)
    manifest_temp = _temp_path(directory, MANIFEST_FILE_NAME)
    try:
        with open(index_temp, "wb") as index_file:
            checksum = _write_hashed(write_index, index_file)
        manifest = IndexManifest(
            format_version=FORMAT_VERSION,
            model_id=model_id,
            dim=dim,
            count=count,
            last_change_seq=last_change_seq,
            checksum=checksum,
            saved_at=datetime.now(UTC).isoformat(),
            index_kind=index_kind,
        )
        with open(manifest_temp, "w", encoding="utf-8") as manifest_file:
            manifest_file.write(manifest.to_json())
            manifest_file.flush()
            os.fsync(manifest_file.fileno())
        with snapshot_lock(directory, exclusive=True):
            os.replace(index_temp, directory / INDEX_FILE_NAME)
            os.replace(manifest_temp, directory / MANIFEST_FILE_NAME)
    finally:
        # After a successful rename the temp names are gone; otherwise leave no debris behind.
        for temp in (index_temp, manifest_temp):
            temp.unlink(missing_ok=True)
    _fsync_directory(directory)
    return manifest


def read_snapshot(directory: Path) -> tuple[faiss.Index, IndexManifest]:
    """Read and verify a snapshot; raise SnapshotError (and nothing else) when it cannot be trusted."""
    try:
        with snapshot_lock(directory, exclusive=False):
            return _read_snapshot(directory)
    except OSError as error:  # no directory, or one this process may not write its lock file into
        raise SnapshotError(f"no readable snapshot manifest in {directory}: {error}") from error


def _read_snapshot(directory: Path) -> tuple[faiss.Index, IndexManifest]:
    try:
        manifest_text = (directory / MANIFEST_FILE_NAME).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SnapshotError(f"no readable snapshot manifest in {directory}: {error}") from error
    manifest = IndexManifest.from_json(manifest_text)
    try:
        with open(directory / INDEX_FILE_NAME, "rb") as index_file:
            checksum = _sha256_of(index_file)
            if checksum != manifest.checksum:
                raise SnapshotError(
                    f"index file checksum {checksum[:12]}… does not match the manifest's "
                    f"{manifest.checksum[:12]}… (truncated, corrupt, or an interrupted save)"
                )
            index_file.seek(0)
            # Read from the file already hashed, so a concurrent rename cannot slip in another file.
            index = faiss.read_index(_CallbackReader(index_file.read, _READ_CHUNK_BYTES))
    except SnapshotError:
        raise
    except Exception as error:  # faiss reports every parse failure as RuntimeError; OSError for I/O
        raise SnapshotError(f"cannot read snapshot index in {directory}: {error}") from error
    return index, manifest


@contextmanager
def snapshot_lock(directory: Path, *, exclusive: bool) -> Iterator[None]:
    """A lock on the snapshot in ``directory`` across processes (several workers share one directory):
    a save holds it exclusively over its two renames, a read shares it while it reads both files, so
    no reader or other save sees one save's index beside another's manifest."""
    with open(directory / LOCK_FILE_NAME, "a+b") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _temp_path(directory: Path, final_name: str) -> Path:
    descriptor, name = tempfile.mkstemp(dir=directory, prefix=f".{final_name}.", suffix=TEMP_SUFFIX)
    os.close(descriptor)
    return Path(name)


def _write_hashed(write_index: Callable[[faiss.IOWriter], None], file: BinaryIO) -> str:
    digest = hashlib.sha256()

    def write_chunk(chunk: bytes) -> int:
        digest.update(chunk)
        return file.write(chunk)

    write_index(_CallbackWriter(write_chunk))
    file.flush()
    os.fsync(file.fileno())
    return digest.hexdigest()


def _sha256_of(file: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := file.read(_READ_CHUNK_BYTES):
        digest.update(chunk)
    return digest.hexdigest()


def _fsync_directory(directory: Path) -> None:
    # Makes the renames themselves durable; without it a power loss can undo them.
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
