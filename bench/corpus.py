"""The real texts the bench starts from, and their encoder vectors (cached on disk, keyed by content hash).

Synthetic solutions are made from these: their vectors are real vectors plus noise and their words are
the real texts' words, so lexical and dense retrieval both meet realistic data. Encoding the texts is
the slow part (docs/encoders.md, "Speed"), hence the cache.
"""

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from embeddings import Encoder, content_hash
from service.indexing import record_text
from service.seeding import SEED_DIR

log = logging.getLogger(__name__)
EVAL_SET = SEED_DIR / "eval" / "public_eval.json"
SAVE_EVERY_BATCHES = 4


@dataclass(frozen=True)
class RealRecord:
    """A need or solution text from seed_data/ with the fields the bench stores."""

    title: str
    description: str
    language: str
    kpi_codes: list[str]
    sdgs: list[int] = field(default_factory=list)
    trl: int | None = None
    cpv_codes: list[str] = field(default_factory=list)
    municipality_number: str | None = None

    @property
    def text(self) -> str:
        return record_text(self.title, self.description)


@dataclass(frozen=True)
class BaseCorpus:
    """Real solutions and needs with their raw (not centred) encoder vectors."""

    solutions: list[RealRecord]
    needs: list[RealRecord]
    solution_vectors: np.ndarray
    need_vectors: np.ndarray
    vectors_by_hash: dict[str, np.ndarray]  # every text's vector, for fitting centroids without encoding


def _items(path: Path) -> list[dict[str, object]]:
    items: list[dict[str, object]] = json.loads(path.read_text(encoding="utf-8"))["items"]
    return items


def _record(item: dict[str, object], known_kpis: set[str]) -> RealRecord:
    def strings(name: str) -> list[str]:
        value = item.get(name) or []
        return [str(entry) for entry in value] if isinstance(value, list) else []

    trl = item.get("trl")
    municipality = item.get("municipality_number")
    return RealRecord(
        title=str(item["title"]),
        description=str(item["description"]),
        language=str(item["language"]),
        # Only catalogue codes: the API refuses others, and the ingest phase posts these records.
        kpi_codes=[code for code in strings("kpi_codes") if code in known_kpis],
        sdgs=[int(entry) for entry in strings("sdgs")],
        trl=int(trl) if isinstance(trl, int) else None,
        cpv_codes=strings("cpv_codes"),
        municipality_number=str(municipality) if municipality else None,
    )


def load_real_records(base_corpus: str) -> tuple[list[RealRecord], list[RealRecord]]:
    """(solutions, needs): the demo records, plus the evaluation set's when base_corpus is 'full'."""
    known_kpis = {str(item["code"]) for item in _items(SEED_DIR / "u4ssc_kpis.json")}
    solutions = [_record(item, known_kpis) for item in _items(SEED_DIR / "demo_solutions.json")]
    needs = [_record(item, known_kpis) for item in _items(SEED_DIR / "demo_needs.json")]
    if base_corpus == "full":
        eval_set = json.loads(EVAL_SET.read_text(encoding="utf-8"))
        solutions += [_record(item, known_kpis) for item in eval_set["solutions"]]
        needs += [_record(item, known_kpis) for item in eval_set["needs"]]
    return solutions, needs


class VectorCache:
    """Passage vectors of one encoder on disk: content hash -> float32 vector."""

    def __init__(self, directory: Path, model_id: str) -> None:
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", model_id)
        self.path = directory / f"{slug}.npz"
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            try:
                with np.load(self.path) as stored:
                    self.vectors = dict(zip(stored["hashes"].tolist(), stored["vectors"], strict=True))
            except (OSError, ValueError, KeyError) as error:
                log.warning("ignoring unreadable vector cache %s: %s", self.path, error)

    def encode(self, encoder: Encoder, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        """Vectors of `texts`, encoding (as passages, like stored records) only those not cached."""
        hashes = [content_hash(text) for text in texts]
        missing = list(dict.fromkeys(h for h in hashes if h not in self.vectors))
        if missing:
            text_of = dict(zip(hashes, texts, strict=True))
            with tqdm(total=len(missing), desc="encoding real texts (cached afterwards)", unit="text") as bar:
                for number, start in enumerate(range(0, len(missing), batch_size), start=1):
                    chunk = missing[start : start + batch_size]
                    encoded = encoder.encode_passages([text_of[h] for h in chunk])
                    self.vectors.update(zip(chunk, encoded, strict=True))
                    bar.update(len(chunk))
                    if number % SAVE_EVERY_BATCHES == 0:  # an interrupted first run keeps what it encoded
                        self._save()
            self._save()
        return np.vstack([self.vectors[h] for h in hashes]).astype(np.float32)

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp.npz")
        np.savez(
            temporary,
            hashes=np.array(list(self.vectors), dtype=str),
            vectors=np.vstack(list(self.vectors.values())),
        )
        temporary.replace(self.path)


def load_base_corpus(encoder: Encoder, *, base_corpus: str, cache_dir: Path) -> BaseCorpus:
    solutions, needs = load_real_records(base_corpus)
    cache = VectorCache(cache_dir, encoder.model_id)
    solution_vectors = cache.encode(encoder, [record.text for record in solutions])
    need_vectors = cache.encode(encoder, [record.text for record in needs])
    return BaseCorpus(
        solutions=solutions,
        needs=needs,
        solution_vectors=solution_vectors,
        need_vectors=need_vectors,
        vectors_by_hash=dict(cache.vectors),
    )
