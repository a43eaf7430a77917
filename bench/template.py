"""A database every size starts from: the schema, the real catalogues and the encoder's centroids.

Made once per run and copied per size, so no server process has to fit centroids (which encodes the
calibration corpus) and every size starts from the same state.
"""

import shutil
from pathlib import Path

import numpy as np

from embeddings import Encoder
from service.db import make_engine, make_session_factory
from service.indexing import fit_centroids, repository
from service.migrations import upgrade_to_head
from service.seeding import run_seed


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def build_template(path: Path, encoder: Encoder, known_vectors: dict[str, np.ndarray]) -> Path:
    """Migrate, seed the catalogues and store centroids fitted from `known_vectors` (content hash -> vector)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    url = sqlite_url(path)
    upgrade_to_head(url)
    engine = make_engine(url)
    try:
        session_factory = make_session_factory(engine)
        run_seed(session_factory, demo=False, encoder_factory=_no_encoder)
        centroids, counts = fit_centroids(encoder, known=known_vectors)
        with session_factory.begin() as session:
            repository.put_centroids(
                session, model_id=encoder.model_id, means=dict(centroids.means), counts=dict(counts)
            )
    finally:
        engine.dispose()
    return path


def copy_template(template: Path, directory: Path) -> Path:
    """A fresh copy of the template as DIRECTORY/innomatch.sqlite3 (the service's default file name)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "innomatch.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, target)
    return target


def _no_encoder() -> Encoder:
    raise AssertionError("seeding the catalogues must not need an encoder")
