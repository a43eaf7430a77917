"""BM25 over records keyed by their primary keys, with Norwegian and English stemming.

Each text is analysed in its own language (Snowball stemmer and stop words from PyStemmer and bm25s),
so "lekkasjene" meets "lekkasje" and "leaking" meets "leaks". bm25s builds a static index; this class
keeps every record's terms and rebuilds the BM25 matrices on the first search after a change, so a
burst of writes costs one rebuild.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import bm25s
import bm25s.stopwords
import numpy as np
import Stemmer

__all__ = ["MAX_QUERY_POSTINGS", "MAX_QUERY_TERMS", "LexicalIndex", "QueryScores", "TextAnalyzer"]

# bm25s logs every index build; rebuilding after each burst of writes would fill the log.
logging.getLogger("bm25s").setLevel(logging.WARNING)

MAX_QUERY_TERMS = 40  # see _query_terms
# Postings one query may read: about 1 ms of scoring and ranking at a million records on this machine
# class (bench corpus: 750k postings took 11 ms to score and 19 ms to rank; 94k took 0.8 and 1.5).
MAX_QUERY_POSTINGS = 100_000

_STEMMER_NAMES = {"no": "norwegian", "en": "english"}
_STOP_WORDS = {
    "no": frozenset(bm25s.stopwords.STOPWORDS_NORWEGIAN),
    "en": frozenset(bm25s.stopwords.STOPWORDS_EN_PLUS),
}
# Letters with digits allowed inside ("co2", "pm10"); numbers alone are left out, since the numbers
# in generated need texts (values, years) would otherwise match unrelated records.
_WORD = re.compile(r"[^\W\d_][\w-]*|\d+[^\W\d_][\w-]*")


class TextAnalyzer:
    """Lower-cased words without stop words, stemmed with the text's language's Snowball stemmer."""

    def __init__(self) -> None:
        self._stemmers = {language: Stemmer.Stemmer(name) for language, name in _STEMMER_NAMES.items()}
        self._lock = threading.Lock()  # a PyStemmer object must not be used by two threads at once

    def words(self, text: str, language: str) -> list[tuple[str, str]]:
        """(term, word as written) for each indexable word, in order."""
        stop_words = _STOP_WORDS.get(language, frozenset())
        words = [word for word in _WORD.findall(text.lower()) if len(word) > 1 and word not in stop_words]
        stemmer = self._stemmers.get(language)
        if stemmer is None:
            return [(word, word) for word in words]
        with self._lock:
            terms = stemmer.stemWords(words)
        return list(zip(terms, words, strict=True))

    def terms(self, text: str, language: str) -> list[str]:
        return [term for term, _word in self.words(text, language)]


@dataclass(frozen=True)
class _Built:
    """One complete BM25 index over ids in ascending order; replaced whole, never changed."""

    bm25: bm25s.BM25 | None
    ids: np.ndarray  # sorted, so that ids map to rows with a binary search instead of a Python loop
    version: int  # the change count it was built from

    def found(self, ids: np.ndarray) -> np.ndarray:
        """Which of `ids` are indexed, as a boolean mask."""
        rows = np.searchsorted(self.ids, ids)
        inside = rows < len(self.ids)
        mask = np.zeros(len(ids), dtype=bool)
        mask[inside] = self.ids[rows[inside]] == ids[inside]
        return mask

    def positions(self, ids: Collection[int] | np.ndarray) -> np.ndarray:
        """Rows of the indexed ones among `ids`."""
        wanted = np.fromiter(ids, dtype=np.int64, count=len(ids)) if not isinstance(ids, np.ndarray) else ids
        wanted = wanted[self.found(wanted)]
        return np.searchsorted(self.ids, wanted)


_EMPTY = _Built(None, np.empty(0, dtype=np.int64), 0)


@dataclass(frozen=True)
class QueryScores:
    """One query's BM25 scores over one complete index."""

    built: _Built
    all_scores: np.ndarray

    def of(self, ids: Sequence[int]) -> np.ndarray:
        """The score of each of `ids` (0 for ids not indexed)."""
        wanted = np.asarray(ids, dtype=np.int64)
        result = np.zeros(len(wanted), dtype=np.float32)
        found = self.built.found(wanted)
        result[found] = self.all_scores[self.built.positions(wanted[found])]
        return result

    def top(self, k: int, *, allowed_ids: Collection[int] | None = None) -> list[tuple[int, float]]:
        """Top-k (id, score) with a positive score, best first, optionally only among `allowed_ids`."""
        scores = self.all_scores
        if allowed_ids is not None:
            # Filtering before ranking keeps a filtered query's result full, as in the vector index.
            mask = np.zeros(len(self.built.ids), dtype=bool)
            mask[self.built.positions(allowed_ids)] = True
            scores = np.where(mask, scores, 0.0)
        positive = np.flatnonzero(scores > 0)
        if len(positive) > k:
            positive = positive[np.argpartition(-scores[positive], k - 1)[:k]]
        ranked = positive[np.argsort(-scores[positive], kind="stable")]
        return [(int(self.built.ids[position]), float(scores[position])) for position in ranked]


class LexicalIndex:
    """BM25 (Lucene variant) over term lists identified by int ids."""

    def __init__(self, *, max_query_postings: int = MAX_QUERY_POSTINGS) -> None:
        self._max_postings = max_query_postings
        # Terms are kept as ids into one vocabulary: a million records' terms as Python strings would
        # take gigabytes, as int32 arrays a few hundred megabytes.
        self._vocabulary: dict[str, int] = {}
        self._terms: dict[int, np.ndarray] = {}
        self._built = _EMPTY
        self._version = 0  # counts changes; the index is rebuilt when it was built from an older count
        self._change_lock = threading.Lock()
        self._build_lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._terms)

    def upsert(self, ids: Sequence[int], term_lists: Sequence[list[str]]) -> None:
        if len(ids) != len(term_lists):
            raise ValueError(f"got {len(ids)} ids but {len(term_lists)} term lists")
        with self._change_lock:
            vocabulary = self._vocabulary
            for owner_id, terms in zip(ids, term_lists, strict=True):
                self._terms[int(owner_id)] = np.fromiter(
                    (vocabulary.setdefault(term, len(vocabulary)) for term in terms), dtype=np.int32
                )
            self._version += 1

    def remove(self, ids: Iterable[int]) -> None:
        with self._change_lock:
            for owner_id in ids:
                self._terms.pop(int(owner_id), None)
            self._version += 1

    def replace_all(self, ids: Sequence[int], term_lists: Sequence[list[str]]) -> None:
        with self._change_lock:
            self._terms = {}
        self.upsert(ids, term_lists)

    def score(self, query_terms: Iterable[str]) -> QueryScores:
        """Every record's BM25 score for the query, computed once for a top-k and for given ids alike."""
        built = self._current()
        return QueryScores(built, self._all_scores(built, query_terms))

    def scores(self, query_terms: Iterable[str], ids: Sequence[int]) -> np.ndarray:
        """BM25 score of each of `ids` for the query (0 for ids not indexed)."""
        return self.score(query_terms).of(ids)

    def search(
        self, query_terms: Iterable[str], k: int, *, allowed_ids: Collection[int] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (id, BM25 score) with a positive score, best first, optionally only among `allowed_ids`."""
        return self.score(query_terms).top(k, allowed_ids=allowed_ids)

    def _all_scores(self, built: _Built, query_terms: Iterable[str]) -> np.ndarray:
        if built.bm25 is None:
            return np.zeros(0, dtype=np.float32)
        # Each distinct term counts once: a long stored need used as a query should not weigh
        # the words it repeats.
        term_ids = _query_terms(
            built.bm25, built.bm25.get_tokens_ids(sorted(set(query_terms))), self._max_postings
        )
        return np.asarray(built.bm25.get_scores_from_ids(term_ids), dtype=np.float32)

    def _current(self) -> _Built:
        """The index with every change made before the call: a search sees the writes that preceded it."""
        built = self._built
        if built.version == self._version:
            return built
        with self._build_lock:  # one build at a time; searches that need it wait for it
            with self._change_lock:
                if self._built.version == self._version:
                    return self._built
                version = self._version
                snapshot = dict(self._terms)
                vocabulary = dict(self._vocabulary)
            self._built = _build(snapshot, vocabulary, version)
            return self._built


def _query_terms(bm25: bm25s.BM25, term_ids: list[int], max_postings: int) -> list[int]:
    """The query's rarest terms: at most MAX_QUERY_TERMS, and no more postings than `max_postings`.

    Scoring reads every posting of every query term, and ranking looks at every record that got a
    score, so at a million records the common words of a long stored need cost more than the dense
    search while adding little: BM25 weighs a term by its rarity. Lucene's MoreLikeThis bounds its
    queries the same two ways (maxQueryTerms, maxDocFreq). On the train split of the evaluation set,
    40 terms keep lexical MRR where it was (0.741 against 0.739 uncapped; 25 lowers it to 0.715, as it
    drops the KPI names that bridge the two languages); the postings bound never binds on a corpus
    that small. The rarest term is always kept.
    """
    if not term_ids:
        return term_ids
    postings = bm25.scores["indptr"]
    ids = np.asarray(term_ids, dtype=np.int64)
    record_counts = postings[ids + 1] - postings[ids]
    order = np.argsort(record_counts, kind="stable")[:MAX_QUERY_TERMS]
    within_budget = np.cumsum(record_counts[order]) <= max_postings
    keep = max(1, int(np.count_nonzero(within_budget)))
    return ids[order[:keep]].tolist()


def _build(terms: dict[int, np.ndarray], vocabulary: dict[str, int], version: int) -> _Built:
    if not terms:
        return _Built(None, np.empty(0, dtype=np.int64), version)
    ids = np.sort(np.fromiter(terms.keys(), dtype=np.int64, count=len(terms)))
    bm25 = bm25s.BM25()
    # bm25s adds its empty token to the vocabulary it is given: it gets its own copy.
    bm25.index(([terms[int(owner_id)] for owner_id in ids], vocabulary), show_progress=False)
    return _Built(bm25, ids, version)
