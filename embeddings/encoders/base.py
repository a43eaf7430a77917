"""What every encoder shares: the Encoder protocol, and the text normalising and hashing that decide
whether a text must be encoded again."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

import numpy as np

TextKind = Literal["query", "passage"]


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of shape (n, dim).

    Every vector is stored with the encoder's ``model_id`` and the text's ``content_hash``; together they
    decide whether a text must be encoded again.
    """

    model_id: str
    dim: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode search queries (needs, questions)."""
        ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Encode passages to be found (solutions, descriptions)."""
        ...


def normalize_text(text: str) -> str:
    """Unicode NFC with runs of whitespace collapsed to one space and the ends stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def content_hash(text: str) -> str:
    """sha256 hex of ``normalize_text(text)``: the hash, not the raw text, decides re-encoding.

    Texts differing only in Unicode composition or whitespace share a hash (and a stored vector);
    any other change, including letter case, gives a new hash and so a new encoding.
    """
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()
