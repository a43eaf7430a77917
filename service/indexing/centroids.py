"""Language centroids per encoder: fitted once on a calibration corpus and kept in SQL.

The calibration corpus is the demo solutions and needs in seed_data/ (about 40 % Norwegian), written
for Innomatch and never part of the evaluation set. Fixed centroids keep every stored vector's
index form stable as the corpus grows, so the index never drifts from what a rebuild would give.
"""

import json
import logging
from collections import Counter
from pathlib import Path

import numpy as np
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from embeddings import Encoder, LanguageCentroids, content_hash
from service.indexing import repository
from service.indexing.texts import record_text

log = logging.getLogger(__name__)
CALIBRATION_FILES = ("demo_solutions.json", "demo_needs.json")
DEFAULT_SEED_DIR = Path(__file__).resolve().parents[2] / "seed_data"


def calibration_corpus(seed_dir: Path = DEFAULT_SEED_DIR) -> tuple[list[str], list[str]]:
    texts, languages = [], []
    for name in CALIBRATION_FILES:
        for item in json.loads((seed_dir / name).read_text(encoding="utf-8"))["items"]:
            texts.append(record_text(item["title"], item["description"]))
            languages.append(item["language"])
    return texts, languages


def fit_centroids(
    encoder: Encoder, seed_dir: Path = DEFAULT_SEED_DIR, known: dict[str, np.ndarray] | None = None
) -> tuple[LanguageCentroids, Counter[str]]:
    """Fit on the calibration corpus; `known` maps content hashes to vectors already encoded."""
    texts, languages = calibration_corpus(seed_dir)
    known = known or {}
    hashes = [content_hash(text) for text in texts]
    missing = [text for text, text_hash in zip(texts, hashes, strict=True) if text_hash not in known]
    encoded = dict(
        zip([content_hash(text) for text in missing], encoder.encode_passages(missing), strict=True)
    )
    vectors = np.vstack(
        [known[text_hash] if text_hash in known else encoded[text_hash] for text_hash in hashes]
    )
    return LanguageCentroids.fit(vectors, languages), Counter(languages)


def load_or_fit_centroids(
    session_factory: sessionmaker[Session], encoder: Encoder, seed_dir: Path = DEFAULT_SEED_DIR
) -> LanguageCentroids:
    """The encoder's stored centroids; fitted and stored the first time this encoder is used."""
    with session_factory() as session:
        stored = repository.get_centroids(session, model_id=encoder.model_id)
        if stored:
            return LanguageCentroids(means=stored)
        # Seeded demo records have the calibration texts' vectors already: no need to encode them twice.
        texts, _languages = calibration_corpus(seed_dir)
        known = repository.vectors_by_content_hash(
            session, model_id=encoder.model_id, content_hashes=[content_hash(text) for text in texts]
        )
    centroids, counts = fit_centroids(encoder, seed_dir, known)
    try:
        with session_factory.begin() as session:
            repository.put_centroids(
                session, model_id=encoder.model_id, means=dict(centroids.means), counts=dict(counts)
            )
        log.info("fitted language centroids for %s on %d calibration texts", encoder.model_id, counts.total())
    except IntegrityError:
        # Another process stored them first; theirs are the ones every index must use.
        with session_factory() as session:
            return LanguageCentroids(means=repository.get_centroids(session, model_id=encoder.model_id))
    return centroids
