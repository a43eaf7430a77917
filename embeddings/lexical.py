"""BM25 over records keyed by their primary keys, with Norwegian and English stemming.

Each text is analysed in its own language (Snowball stemmer and stop words from PyStemmer and bm25s),
so "lekkasjene" meets "lekkasje" and "leaking" meets "leaks". bm25s builds a static index, so the
index is kept in two segments, as Lucene keeps it: a main segment, one bm25s index over a snapshot of
every record, and a delta of the records changed since that snapshot. A changed record's row in the
main segment is masked, and its current terms are scored at query time with bm25s's formula. A write
therefore costs the next search a small delta rebuild, not a rebuild of a million records; when the
delta outgrows its bound, a merge rebuilds the main segment in a background thread.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import bm25s
import bm25s.scoring
import bm25s.stopwords
import numpy as np
import scipy.sparse
import Stemmer

from embeddings.heap import return_freed_memory

__all__ = ["MAX_QUERY_POSTINGS", "MAX_QUERY_TERMS", "LexicalIndex", "QueryScores", "TextAnalyzer"]

log = logging.getLogger(__name__)

# bm25s logs every index build; a merge after each burst of writes would fill the log.
logging.getLogger("bm25s").setLevel(logging.WARNING)

MAX_QUERY_TERMS = 40  # see _query_terms
# Postings one query may read: about 1 ms of scoring and ranking at a million records on this machine
# class (bench corpus: 750k postings took 11 ms to score and 19 ms to rank; 94k took 0.8 and 1.5).
MAX_QUERY_POSTINGS = 100_000

# A merge starts once the delta holds more than max(MIN_DELTA, DELTA_FRACTION × main segment) records.
# The delta is scored with the last merge's statistics: with 2% of the records changed, the record
# count moves by 2% at most (a term's idf by about 0.02); only a term that the changes themselves make
# common is over-weighted until the merge. The bound also caps what the delta costs: a 20,000-record
# delta (the bound at a million records) added 0.2 ms to a search and 20 ms to the first search after
# a write (measured at 200,000 records), while a merge takes about 2.7 µs a record (0.53 s at 200,000),
# so merging at every 2% spends about 0.13 ms of background work per change. MIN_DELTA keeps a small
# index from merging at every burst of writes.
MIN_DELTA = 2_000
DELTA_FRACTION = 0.02
# Postings counted or scored at once when a main segment is built: about 50 MiB of temporaries.
_BUILD_CHUNK = 1_000_000

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


_Change = tuple[int, np.ndarray | None]  # (change count, the record's term ids; None once removed)
Batch = tuple[Sequence[int], Sequence[list[str]]]  # ids and the term list of each


@dataclass(frozen=True)
class _StoredTerms:
    """Every record's term ids in three flat arrays. As a million small arrays in a dict they took
    823 MiB at 1M solutions, five times their 159 MiB of data."""

    ids: np.ndarray  # ascending
    offsets: np.ndarray  # the terms of the record in row i are terms[offsets[i]:offsets[i + 1]]
    terms: np.ndarray

    @classmethod
    def of_chunks(cls, chunks: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> _StoredTerms:
        """From (ids, lengths, concatenated terms) chunks; ids ascending across chunks is the fast path."""
        ids = np.concatenate([chunk[0] for chunk in chunks]) if chunks else np.empty(0, np.int64)
        lengths = np.concatenate([chunk[1] for chunk in chunks]) if chunks else np.empty(0, np.int64)
        terms = np.concatenate([chunk[2] for chunk in chunks]) if chunks else np.empty(0, np.int32)
        offsets = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        stored = cls(ids, offsets, terms)
        if len(ids) > 1 and not (np.diff(ids) > 0).all():  # out of order or repeated: the last one wins
            stored = cls.of(dict(zip(ids.tolist(), stored.records(), strict=True)))
        return stored

    @classmethod
    def of(cls, records: Mapping[int, np.ndarray]) -> _StoredTerms:
        ids = np.sort(np.fromiter(records.keys(), dtype=np.int64, count=len(records)))
        arrays = [records[owner_id] for owner_id in ids.tolist()]
        lengths = np.fromiter((len(array) for array in arrays), dtype=np.int64, count=len(arrays))
        terms = np.concatenate(arrays).astype(np.int32, copy=False) if arrays else np.empty(0, np.int32)
        return cls.of_chunks([(ids, lengths, terms)]) if len(ids) else cls.of_chunks([])

    def records(self) -> list[np.ndarray]:
        """Each record's terms, in id order (views, not copies)."""
        return np.split(self.terms, self.offsets[1:-1]) if len(self.ids) else []

    def holds(self, owner_id: int) -> bool:
        return bool(_found(self.ids, np.array([owner_id], dtype=np.int64))[0])

    def with_changes(self, changes: Mapping[int, _Change]) -> _StoredTerms:
        if not changes:
            return self
        current = dict(zip(self.ids.tolist(), self.records(), strict=True))
        for owner_id, (_version, terms) in changes.items():
            if terms is None:
                current.pop(owner_id, None)
            else:
                current[owner_id] = terms
        return _StoredTerms.of(current)


_NO_TERMS = _StoredTerms.of_chunks([])


@dataclass(frozen=True)
class _MainSegment:
    """One bm25s index over a snapshot of every record, ids ascending; replaced whole, never changed."""

    bm25: bm25s.BM25 | None  # None when no record has a term: nothing can match
    ids: np.ndarray  # sorted, so that ids map to rows with a binary search instead of a Python loop
    version: int  # the change count of its snapshot
    average_length: float  # bm25s keeps no average record length; scoring the delta needs it

    @property
    def term_count(self) -> int:
        """Terms the matrix has columns for: the vocabulary at the snapshot."""
        return 0 if self.bm25 is None else len(self.bm25.scores["indptr"]) - 1

    def document_frequencies(self, term_ids: np.ndarray) -> np.ndarray:
        """Records holding each term (its postings); 0 for a term newer than the snapshot."""
        frequencies = np.zeros(len(term_ids), dtype=np.int64)
        if self.bm25 is None:
            return frequencies
        postings = self.bm25.scores["indptr"]
        known = term_ids < self.term_count
        frequencies[known] = postings[term_ids[known] + 1] - postings[term_ids[known]]
        return frequencies

    def scores(self, term_ids: np.ndarray, masked_rows: np.ndarray) -> np.ndarray:
        """Every row's score, 0 for `masked_rows` (records changed since the snapshot)."""
        if self.bm25 is None:
            return np.zeros(len(self.ids), dtype=np.float32)
        scores = np.asarray(self.bm25.get_scores_from_ids(term_ids[term_ids < self.term_count]), np.float32)
        scores[masked_rows] = 0.0  # bm25s returns a new array per query: nothing shared is changed
        return scores


@dataclass(frozen=True)
class _Delta:
    """The records changed since the main segment's snapshot, as of one change count.

    Their current terms are scored with bm25s's formula for its method and the main segment's
    corpus statistics (record count, average length, each term's document frequency; 0 for a term
    the main segment lacks). The statistics are thus those of the last merge, off by no more than
    the changes since, which the merge bound keeps within BM25's own tolerance for drift; a merge
    makes them exact again. A record whose terms equal a main-segment record's scores the same.
    """

    ids: np.ndarray  # the changed records that exist now, ascending
    term_frequencies: scipy.sparse.csc_array  # ids × vocabulary: a query reads only its terms' columns
    lengths: np.ndarray  # terms per record, repeats included, as bm25s counts a document's length
    masked_rows: np.ndarray  # main-segment rows of every changed record, removed ones included

    @property
    def term_count(self) -> int:
        """Terms known at this delta's snapshot; a query term beyond them is in neither segment."""
        return int(self.term_frequencies.shape[1])

    def scores(self, term_ids: np.ndarray, main: _MainSegment) -> np.ndarray:
        """Each record's BM25 score: one pass over the query terms' postings, no loop over records."""
        if main.bm25 is None or len(self.ids) == 0 or len(term_ids) == 0:
            return np.zeros(len(self.ids), dtype=np.float32)  # a delta needs a main segment with postings
        postings = self.term_frequencies[:, term_ids]
        rows = postings.indices
        idf = np.repeat(_idf(main.bm25, main.document_frequencies(term_ids)), np.diff(postings.indptr))
        tfc = _term_frequency_component(main.bm25, postings.data, self.lengths[rows], main.average_length)
        return np.bincount(rows, weights=idf * tfc, minlength=len(self.ids)).astype(np.float32)


@dataclass(frozen=True)
class _Segments:
    """A main segment and the delta over it: what one query reads, consistent with one change count."""

    main: _MainSegment
    delta: _Delta
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
        found = _found(self.ids, ids)
        result[found] = self.scores[np.searchsorted(self.ids, ids[found])]
        return result

    def top(self, k: int, allowed_ids: np.ndarray | None) -> list[tuple[int, float]]:
        scores = self.scores
        if allowed_ids is not None:
            # Filtering before ranking keeps a filtered query's result full, as in the vector index.
            allowed = np.zeros(len(self.ids), dtype=bool)
            allowed[_rows(self.ids, allowed_ids)] = True
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
        allowed = None if allowed_ids is None else _id_array(allowed_ids)
        # Each segment's own top k holds every member of the overall top k that it scores; the two
        # short lists are merged instead of the two segments' score arrays.
        hits = self.main.top(k, allowed) + self.delta.top(k, allowed)
        return sorted(hits, key=lambda hit: (-hit[1], hit[0]))[:k]


class LexicalIndex:
    """BM25 (Lucene variant) over term lists identified by int ids: a main segment and a delta.

    Scores are exact after a merge (and after the first search, which builds the main segment);
    between merges the delta is scored with the last merge's statistics (see _Delta).
    """

    def __init__(self, *, max_query_postings: int = MAX_QUERY_POSTINGS) -> None:
        self._max_postings = max_query_postings
        # Terms are kept as ids into one vocabulary: a million records' terms as Python strings would
        # take gigabytes, as int32 arrays a few hundred megabytes. The vocabulary only grows, so a
        # term's id means the same in every segment.
        self._vocabulary: dict[str, int] = {}
        self._stored = _NO_TERMS  # the records at the main segment's snapshot (or at the last load)
        self._count = 0
        self._version = 0  # counts changes
        # Each record changed since `_stored`, with the change count of its last change: the delta.
        self._changes: dict[int, _Change] = {}
        self._main: _MainSegment | None = None  # None: the next search builds it, waiting for it
        self._segments: _Segments | None = None  # the last pair built, reused while nothing changes
        self._generation = 0  # counts load calls: a build from an older snapshot is thrown away
        self._merges = 0
        self._merge_thread: threading.Thread | None = None
        self._change_lock = threading.Lock()  # guards the fields above
        self._refresh_lock = threading.Lock()  # the searches after a change build one delta, not one each
        self._build_lock = threading.Lock()  # one main-segment build at a time: each holds a second matrix

    def __len__(self) -> int:
        return self._count

    @property
    def merges(self) -> int:
        """Main segments put in use so far, the first one included."""
        return self._merges

    def upsert(self, ids: Sequence[int], term_lists: Sequence[list[str]]) -> None:
        if len(ids) != len(term_lists):
            raise ValueError(f"got {len(ids)} ids but {len(term_lists)} term lists")
        if len(ids) == 0:
            return
        with self._change_lock:
            self._version += 1
            for owner_id, terms in zip(map(int, ids), term_lists, strict=True):
                self._count += not self._holds(owner_id)
                self._changes[owner_id] = (self._version, self._term_ids_of(terms))
            self._merge_if_due()

    def remove(self, ids: Iterable[int]) -> None:
        with self._change_lock:
            # A record that is not here needs no tombstone: if the main segment has it, it was
            # removed since the snapshot and is in the delta already.
            removed = [owner_id for owner_id in dict.fromkeys(map(int, ids)) if self._holds(owner_id)]
            if not removed:
                return
            self._version += 1
            self._changes.update(dict.fromkeys(removed, (self._version, None)))
            self._count -= len(removed)
            self._merge_if_due()

    def load(self, batches: Iterable[Batch]) -> None:
        """Replace every record with those of `batches`, each batch turned into flat arrays as it comes,
        so that a million records' terms are never all Python lists at once."""
        chunks = []
        for ids, term_lists in batches:
            if len(ids) != len(term_lists):
                raise ValueError(f"got {len(ids)} ids but {len(term_lists)} term lists")
            lengths = np.fromiter((len(terms) for terms in term_lists), dtype=np.int64, count=len(term_lists))
            with self._change_lock:
                terms = self._term_ids_of([term for record in term_lists for term in record])
            chunks.append((np.asarray(ids, dtype=np.int64).reshape(-1), lengths, terms))
        stored = _StoredTerms.of_chunks(chunks)
        del chunks
        with self._change_lock:
            # Searches meanwhile keep the old segments; the next one builds the main segment, so a
            # freshly loaded index is exact.
            self._stored, self._count, self._changes = stored, len(stored.ids), {}
            self._main, self._segments = None, None
            self._generation += 1
            self._version += 1

    def merge(self) -> None:
        """Rebuild the main segment from every record and put it in use, blocking: exact statistics again."""
        with self._build_lock:
            with self._change_lock:
                generation, version = self._generation, self._version
                stored, changes = self._stored, dict(self._changes)
                vocabulary = dict(self._vocabulary)
            stored = stored.with_changes(changes)
            del changes
            main = _build(stored, vocabulary, version)
            del vocabulary
            self._install(stored, main, generation)
        # The build's temporaries (195 MiB at a million records) would otherwise stay resident.
        return_freed_memory()

    def score(self, query_terms: Iterable[str]) -> QueryScores:
        """Every record's BM25 score for the query, computed once for a top-k and for given ids alike."""
        segments = self._current()
        term_ids = self._query_term_ids(query_terms, segments.delta.term_count)
        return segments.score(_query_terms(segments.main, term_ids, self._max_postings))

    def scores(self, query_terms: Iterable[str], ids: Sequence[int]) -> np.ndarray:
        """BM25 score of each of `ids` for the query (0 for ids not indexed)."""
        return self.score(query_terms).of(ids)

    def search(
        self, query_terms: Iterable[str], k: int, *, allowed_ids: Collection[int] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (id, BM25 score) with a positive score, best first, optionally only among `allowed_ids`."""
        return self.score(query_terms).top(k, allowed_ids=allowed_ids)

    def _holds(self, owner_id: int) -> bool:
        """Under the change lock: whether the record is indexed now."""
        change = self._changes.get(owner_id)
        return self._stored.holds(owner_id) if change is None else change[1] is not None

    def _term_ids_of(self, terms: list[str]) -> np.ndarray:
        """Under the change lock: the terms as vocabulary ids, new terms added."""
        vocabulary = self._vocabulary
        return np.fromiter((vocabulary.setdefault(term, len(vocabulary)) for term in terms), dtype=np.int32)

    def _query_term_ids(self, query_terms: Iterable[str], term_count: int) -> np.ndarray:
        """Ids of the query's distinct terms that the segments know, in term order."""
        # Each distinct term counts once: a long stored need used as a query should not weigh the
        # words it repeats. A lookup is safe beside a writer adding terms.
        found = (self._vocabulary.get(term) for term in sorted(set(query_terms)))
        return np.array(
            [term_id for term_id in found if term_id is not None and term_id < term_count], np.int64
        )

    def _merge_if_due(self) -> None:
        """Under the change lock: starts a background merge once the delta outgrows its bound."""
        main = self._main
        if main is None or main.bm25 is None or self._merge_thread is not None:
            return  # without statistics to score a delta with, the next search builds synchronously
        if len(self._changes) <= max(MIN_DELTA, DELTA_FRACTION * len(main.ids)):
            return
        self._merge_thread = threading.Thread(
            target=self._merge_in_background, name="bm25-merge", daemon=True
        )
        self._merge_thread.start()

    def _merge_in_background(self) -> None:
        try:
            self.merge()
        except Exception:
            # Searches go on over the old main segment and the delta; the next write past the bound retries.
            log.exception("BM25 merge failed; serving the main segment and the delta meanwhile")
        finally:
            with self._change_lock:
                self._merge_thread = None

    def _install(self, stored: _StoredTerms, main: _MainSegment, generation: int) -> None:
        with self._change_lock:
            if generation != self._generation:
                return  # a load came after the snapshot: the next search builds from its records
            # The changes after the snapshot stay in the delta; the ones before are in the new segment.
            self._changes = {
                owner_id: change for owner_id, change in self._changes.items() if change[0] > main.version
            }
            self._stored = stored
            self._main = main
            self._segments = None
            self._merges += 1

    def _current(self) -> _Segments:
        """The segments with every change made before the call: a search sees the writes that preceded it."""
        segments = self._segments
        if segments is not None and segments.version == self._version:
            return segments
        with self._refresh_lock:
            while (segments := self._refresh()) is None:
                # After construction or a load: build here, so a freshly loaded index is exact.
                self.merge()
            return segments

    def _refresh(self) -> _Segments | None:
        """The main segment and a delta of every change since it; None while there is no main segment."""
        with self._change_lock:
            segments, main, version = self._segments, self._main, self._version
            if segments is not None and segments.version == version:
                return segments  # another search refreshed while this one waited
            if main is None or (main.bm25 is None and self._changes):
                return None  # no main segment yet, or one without statistics to score a delta with
            changed_ids = np.fromiter(self._changes, dtype=np.int64, count=len(self._changes))
            current = {owner_id: terms for owner_id, (_, terms) in self._changes.items() if terms is not None}
            term_count = len(self._vocabulary)
        segments = _Segments(main, _build_delta(main, changed_ids, current, term_count), version)
        with self._change_lock:
            # After a merge this pair is stale, though still consistent for the query that asked for it.
            if self._main is main:
                self._segments = segments
        return segments


def _query_terms(main: _MainSegment, term_ids: np.ndarray, max_postings: int) -> np.ndarray:
    """The query's rarest terms: at most MAX_QUERY_TERMS, and no more postings than `max_postings`.

    Scoring reads every posting of every query term, and ranking looks at every record that got a
    score, so at a million records the common words of a long stored need cost more than the dense
    search while adding little: BM25 weighs a term by its rarity. Lucene's MoreLikeThis bounds its
    queries the same two ways (maxQueryTerms, maxDocFreq). On the train split of the evaluation set,
    40 terms keep lexical MRR where it was (0.741 against 0.739 uncapped; 25 lowers it to 0.715, as it
    drops the KPI names that bridge the two languages); the postings bound never binds on a corpus
    that small. The rarest term is always kept. Postings are counted in the main segment: the delta
    has few.
    """
    if len(term_ids) == 0:
        return term_ids
    record_counts = main.document_frequencies(term_ids)
    order = np.argsort(record_counts, kind="stable")[:MAX_QUERY_TERMS]
    within_budget = np.cumsum(record_counts[order]) <= max_postings
    keep = max(1, int(np.count_nonzero(within_budget)))
    return term_ids[order[:keep]]


def _build(stored: _StoredTerms, vocabulary: dict[str, int], version: int) -> _MainSegment:
    """bm25s's score matrix for the stored records, assembled in numpy from the flat term arrays.

    bm25s.BM25.index() loops over the records in Python: at 1M solutions it took about 30 s and held
    1.3 GB more while it ran. The same matrix (records x terms, each posting idf x term-frequency part,
    bm25s's formulas and parameters) comes here from the term counts of each record, scored in chunks;
    bm25s then scores queries against it as against its own (tests/embeddings/test_lexical.py compares
    the two).
    """
    ids, lengths = stored.ids, np.diff(stored.offsets)
    if not lengths.any():
        return _MainSegment(None, ids, version, 0.0)  # no record has a term: nothing can match
    indptr, rows, data = _term_counts(stored, len(vocabulary))
    bm25 = bm25s.BM25()
    bm25.nonoccurrence_array = None  # as index() leaves it for the Lucene variant
    bm25.scores = {"data": data, "indices": rows, "indptr": indptr, "num_docs": len(ids)}
    idf = _idf(bm25, np.diff(indptr))
    average_length = float(lengths.mean())  # as bm25s takes it
    record_lengths = lengths.astype(np.float32)
    for start in range(0, len(data), _BUILD_CHUNK):  # in chunks: each step's temporaries stay small
        chunk = slice(start, min(start + _BUILD_CHUNK, len(data)))
        posting_terms = np.searchsorted(indptr, np.arange(chunk.start, chunk.stop), side="right") - 1
        frequencies = _term_frequency_component(
            bm25, data[chunk], record_lengths[rows[chunk]], average_length
        )
        data[chunk] = idf[posting_terms] * frequencies
    return _MainSegment(bm25, ids, version, average_length)


def _term_counts(stored: _StoredTerms, term_count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(indptr, rows, counts): how often each record holds each term, term by term (CSC), rows ascending.

    Written chunk by chunk of records into arrays allocated once at their final size. Converting all
    postings at once through scipy's COO form held 650 MiB more than the result at a million records;
    this holds about 50 MiB more. The price is converting each chunk twice, to size the arrays and to
    fill them: 2.4 s instead of 1.9 s at a million records.
    """
    chunks = _record_chunks(stored.offsets, _BUILD_CHUNK)
    frequencies = np.zeros(term_count, dtype=np.int64)
    for first, end in chunks:
        frequencies += np.diff(_chunk_counts(stored, first, end, term_count).indptr)
    index_type = np.int32 if frequencies.sum() < np.iinfo(np.int32).max else np.int64
    indptr = np.zeros(term_count + 1, dtype=index_type)
    np.cumsum(frequencies, out=indptr[1:])
    rows = np.empty(int(indptr[-1]), dtype=np.int32)
    counts = np.empty(int(indptr[-1]), dtype=np.float32)
    filled = indptr[:-1].astype(np.int64)  # next free place in each term's postings
    for first, end in chunks:  # in row order, so each term's rows come out ascending
        chunk = _chunk_counts(stored, first, end, term_count)
        chunk_frequencies = np.diff(chunk.indptr)
        places = np.repeat(filled - chunk.indptr[:-1], chunk_frequencies) + np.arange(chunk.nnz)
        rows[places], counts[places] = chunk.indices + first, chunk.data
        filled += chunk_frequencies
    return indptr, rows, counts


def _record_chunks(offsets: np.ndarray, postings: int) -> list[tuple[int, int]]:
    """(first row, end row) ranges of records holding about `postings` terms each."""
    record_count = len(offsets) - 1
    bounds = np.unique(np.searchsorted(offsets[:-1], np.arange(0, offsets[-1], postings)))
    bounds = bounds[bounds < record_count]
    ends = [*bounds[1:].tolist(), record_count]
    return list(zip(bounds.tolist(), ends, strict=True))


def _chunk_counts(stored: _StoredTerms, first: int, end: int, term_count: int) -> scipy.sparse.csc_array:
    """Term counts of records first..end-1 (rows from 0), each record's repeated terms summed."""
    terms = stored.terms[stored.offsets[first] : stored.offsets[end]]
    rows = np.repeat(np.arange(end - first, dtype=np.int32), np.diff(stored.offsets[first : end + 1]))
    # scipy's conversion is a counting sort that keeps the rows' order within a term (ascending) and
    # sums a term repeated in a record, which scoring relies on.
    return scipy.sparse.csc_array(
        (np.ones(len(terms), dtype=np.float32), (rows, terms)), shape=(end - first, term_count)
    )


def _idf(bm25: bm25s.BM25, document_frequencies: np.ndarray) -> np.ndarray:
    """bm25s's idf for its method, per term (a loop over the query's terms only), float32 as in bm25s."""
    idf_of = bm25s.scoring._select_idf_scorer(bm25.idf_method)
    document_count = bm25.scores["num_docs"]
    return np.array(
        [idf_of(frequency, N=document_count) for frequency in document_frequencies.tolist()], dtype=np.float32
    )


def _term_frequency_component(
    bm25: bm25s.BM25, frequencies: np.ndarray, lengths: np.ndarray, average_length: float
) -> np.ndarray:
    """bm25s's term-frequency part for its method, over arrays of postings."""
    tfc_of = bm25s.scoring._select_tfc_scorer(bm25.method)
    return np.asarray(
        tfc_of(
            tf_array=frequencies, l_d=lengths, l_avg=average_length, k1=bm25.k1, b=bm25.b, delta=bm25.delta
        )
    )


def _build_delta(
    main: _MainSegment, changed_ids: np.ndarray, current: dict[int, np.ndarray], term_count: int
) -> _Delta:
    """The delta over `main` of the records in `changed_ids`; `current` holds the ones that exist now."""
    ids = np.sort(np.fromiter(current.keys(), dtype=np.int64, count=len(current)))
    records = [current[int(owner_id)] for owner_id in ids]
    lengths = np.array([len(record) for record in records], dtype=np.int64)
    rows = np.repeat(np.arange(len(records)), lengths)
    columns = np.concatenate(records) if records else np.empty(0, dtype=np.int32)
    # A term repeated in a record adds up to its frequency there.
    term_frequencies = scipy.sparse.csc_array(
        (np.ones(len(columns), dtype=np.float32), (rows, columns)), shape=(len(records), term_count)
    )
    return _Delta(ids, term_frequencies, lengths, _rows(main.ids, changed_ids))


def _id_array(ids: Collection[int]) -> np.ndarray:
    if isinstance(ids, np.ndarray):
        return ids.astype(np.int64, copy=False)
    return np.fromiter(ids, dtype=np.int64, count=len(ids))


def _found(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Which of `ids` are in `sorted_ids`, as a boolean mask."""
    rows = np.searchsorted(sorted_ids, ids)
    inside = rows < len(sorted_ids)
    mask = np.zeros(len(ids), dtype=bool)
    mask[inside] = sorted_ids[rows[inside]] == ids[inside]
    return mask


def _rows(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Rows in `sorted_ids` of those of `ids` it holds."""
    return np.asarray(np.searchsorted(sorted_ids, ids[_found(sorted_ids, ids)]), dtype=np.intp)
