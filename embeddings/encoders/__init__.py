"""Text encoders: the Encoder protocol, three CPU backends, a content-hash cache, and a loader by name.
They load lazily (torch is slow to import) and take models from packages or paths, never the network."""

from embeddings.encoders.base import Encoder, TextKind, content_hash, normalize_text
from embeddings.encoders.caching import CachingEncoder
from embeddings.encoders.e5 import E5Encoder
from embeddings.encoders.loading import ENCODER_CHOICES, default_threads, load_encoder
from embeddings.encoders.onnx_int8 import OnnxInt8Encoder
from embeddings.encoders.sentence_transformer import SentenceTransformerEncoder

__all__ = [
    "ENCODER_CHOICES",
    "CachingEncoder",
    "E5Encoder",
    "Encoder",
    "OnnxInt8Encoder",
    "SentenceTransformerEncoder",
    "TextKind",
    "content_hash",
    "default_threads",
    "load_encoder",
    "normalize_text",
]
