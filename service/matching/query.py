"""What a match starts from: a stored need, a stored solution, or free text."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from service.indexing import LexicalDocument
from service.matching.pairs import Side
from service.matching.scoring import Ranking


@dataclass(frozen=True)
class MatchQuery:
    side: Side  # the facts the signals compare with each candidate's
    vector: np.ndarray  # as the index holds vectors (centred on the language)
    document: LexicalDocument
    terms: Sequence[str]  # BM25 terms of the document
    ranking: Ranking = "hybrid"

    @cached_property
    def words(self) -> dict[str, list[str]]:
        """The query text's words behind each term, for the explanations of every result."""
        return self.document.query_words_by_term()
