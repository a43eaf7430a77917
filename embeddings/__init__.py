"""Encoders and vector indexes, with no knowledge of the domain."""

from embeddings.centering import LanguageCentroids
from embeddings.encoder import (
    ENCODER_CHOICES,
    CachingEncoder,
    E5Encoder,
    Encoder,
    SentenceTransformerEncoder,
    content_hash,
    load_encoder,
    normalize_text,
)
from embeddings.index import SearchHit, VectorIndex
from embeddings.lexical import LexicalIndex, TextAnalyzer
from embeddings.locks import ReadWriteLock
from embeddings.snapshot import IndexManifest, SnapshotError

__all__ = [
    "ENCODER_CHOICES",
    "CachingEncoder",
    "E5Encoder",
    "Encoder",
    "IndexManifest",
    "LanguageCentroids",
    "LexicalIndex",
    "ReadWriteLock",
    "SearchHit",
    "SentenceTransformerEncoder",
    "SnapshotError",
    "TextAnalyzer",
    "VectorIndex",
    "content_hash",
    "load_encoder",
    "normalize_text",
]
