"""Encoders and vector indexes, with no knowledge of the domain."""

from embeddings.ann import IndexPolicy
from embeddings.centering import LanguageCentroids
from embeddings.encoders import (
    ENCODER_CHOICES,
    CachingEncoder,
    E5Encoder,
    Encoder,
    OnnxInt8Encoder,
    SentenceTransformerEncoder,
    content_hash,
    default_threads,
    load_encoder,
    normalize_text,
)
from embeddings.index import IndexLayout, SearchHit, VectorIndex
from embeddings.lexical import LexicalIndex, Lexicon, QueryScores, TextAnalyzer
from embeddings.locks import ReadWriteLock
from embeddings.snapshot import IndexManifest, SnapshotError

__all__ = [
    "ENCODER_CHOICES",
    "CachingEncoder",
    "E5Encoder",
    "Encoder",
    "IndexLayout",
    "IndexManifest",
    "IndexPolicy",
    "LanguageCentroids",
    "LexicalIndex",
    "Lexicon",
    "OnnxInt8Encoder",
    "QueryScores",
    "ReadWriteLock",
    "SearchHit",
    "SentenceTransformerEncoder",
    "SnapshotError",
    "TextAnalyzer",
    "VectorIndex",
    "content_hash",
    "default_threads",
    "load_encoder",
    "normalize_text",
]
