"""One query's BM25 scores over the main segment and the delta, and which of its terms are scored."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from embeddings.lexical._delta import Delta
from embeddings.lexical._main_segment import MainSegment
from embeddings.lexical._sorted_ids import found_in, id_array, rows_in

MAX_QUERY_TERMS = 40  # see rarest_terms
# Postings one query may read: scoring and ranking cost grows with them (docs/lexical-index.md).
MAX_QUERY_POSTINGS = 100_000


@dataclass(frozen=True)
class Segments:
    """A main segment and the delta over it: what one query reads, consistent with one change count."""

    main: MainSegment
    delta: Delta
    version: int

    def score(self, term_ids: np.ndarray) -> QueryScores:
        main_scores = self.main.scores(term_ids, self.delta.masked_rows)
        return QueryScores(
            _SegmentScores(self.main.ids, main_scores),
            _SegmentScores(self.delta.ids, self.delta.scores(term_ids, self.main)),
        )


@dataclass(frozen=True)
class _SegmentScores:
    """One query's scores over one segment's records."""

    ids: np.ndarray  # ascending
    scores: np.ndarray

    def of(self, ids: np.ndarray) -> np.ndarray:
        result = np.zeros(len(ids), dtype=np.float32)
        found = found_in(self.ids, ids)
        result[found] = self.scores[np.searchsorted(self.ids, ids[found])]
        return result

    def top(self, k: int, allowed_ids: np.ndarray | None) -> list[tuple[int, float]]:
        scores = self.scores
        if allowed_ids is not None:
            # Filtering before ranking keeps a filtered query's result full, as in the vector index.
            allowed = np.zeros(len(self.ids), dtype=bool)
            allowed[rows_in(self.ids, allowed_ids)] = True
            scores = np.where(allowed, scores, 0.0)
        positive = np.flatnonzero(scores > 0)
        if len(positive) > k:
            positive = positive[np.argpartition(-scores[positive], k - 1)[:k]]
        ranked = positive[np.argsort(-scores[positive], kind="stable")]
        return [(int(self.ids[row]), float(scores[row])) for row in ranked]


@dataclass(frozen=True)
class QueryScores:
    """One query's BM25 scores over the main segment and the delta."""

    main: _SegmentScores
    delta: _SegmentScores

    def of(self, ids: Sequence[int]) -> np.ndarray:
        """The score of each of `ids` (0 for ids not indexed)."""
        wanted = np.asarray(ids, dtype=np.int64)
        # A record scores in one segment at most: a changed record's main-segment row is masked.
        return np.asarray(self.main.of(wanted) + self.delta.of(wanted), dtype=np.float32)

    def top(self, k: int, *, allowed_ids: Collection[int] | None = None) -> list[tuple[int, float]]:
        """Top-k (id, score) with a positive score, best first, optionally only among `allowed_ids`."""
        allowed = None if allowed_ids is None else id_array(allowed_ids)
        # Each segment's own top k holds every member of the overall top k that it scores; the two
        # short lists are merged instead of the two segments' score arrays.
        hits = self.main.top(k, allowed) + self.delta.top(k, allowed)
        return sorted(hits, key=lambda hit: (-hit[1], hit[0]))[:k]


def rarest_terms(main: MainSegment, term_ids: np.ndarray, max_postings: int) -> np.ndarray:
    """The query's rarest terms: at most MAX_QUERY_TERMS, and no more postings than `max_postings`.

    Scoring reads every posting of every query term, and ranking looks at every record that got a
    score, so at a million records the common words of a long stored need cost more than the dense
    search while adding little: BM25 weighs a term by its rarity. Lucene's MoreLikeThis bounds its
    queries the same two ways (maxQueryTerms, maxDocFreq). MAX_QUERY_TERMS keeps lexical MRR on the
    evaluation set where it was uncapped; fewer terms drop the KPI names that bridge the two languages
    (docs/lexical-index.md). The rarest term is always kept. Postings are counted in the main segment: the delta
    has few.
    """
    if len(term_ids) == 0:
        return term_ids
    record_counts = main.document_frequencies(term_ids)
    order = np.argsort(record_counts, kind="stable")[:MAX_QUERY_TERMS]
    within_budget = np.cumsum(record_counts[order]) <= max_postings
    keep = max(1, int(np.count_nonzero(within_budget)))
    return term_ids[order[:keep]]
