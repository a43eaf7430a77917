"""The lexical index: a main segment and a delta of the changes since it, merged in the background
once the delta outgrows its bound."""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection, Iterable, Sequence

import numpy as np

from embeddings.heap import return_freed_memory
from embeddings.lexical._delta import build_delta
from embeddings.lexical._main_segment import MainSegment, build_main_segment
from embeddings.lexical._scoring import MAX_QUERY_POSTINGS, QueryScores, Segments, rarest_terms
from embeddings.lexical._stored_terms import NO_TERMS, Change, StoredTerms

log = logging.getLogger(__package__)  # "embeddings.lexical", the name its users know

# A merge starts once the delta holds more than max(MIN_DELTA, DELTA_FRACTION × main segment) records.
# The delta is scored with the last merge's statistics, which so few changes barely move; only a term
# that the changes themselves make common is over-weighted until the merge. The bound also keeps the
# delta cheap to build and score while merges stay rare enough to cost little background work per
# change (docs/lexical-index.md). MIN_DELTA keeps a small index from merging at every burst of writes.
MIN_DELTA = 2_000
DELTA_FRACTION = 0.02

Batch = tuple[Sequence[int], Sequence[list[str]]]  # ids and the term list of each


class LexicalIndex:
    """BM25 (Lucene variant) over term lists identified by int ids: a main segment and a delta.

    bm25s builds a static index, so the index is kept in two segments, as Lucene keeps it: a main
    segment, one bm25s index over a snapshot of every record, and a delta of the records changed since
    that snapshot. A changed record's row in the main segment is masked, and its current terms are
    scored at query time with bm25s's formula. A write therefore costs the next search a small delta
    rebuild, not a rebuild of a million records; when the delta outgrows its bound, a merge rebuilds
    the main segment in a background thread.

    Scores are exact after a merge (and after the first search, which builds the main segment);
    between merges the delta is scored with the last merge's statistics (see Delta).
    """

    def __init__(self, *, max_query_postings: int = MAX_QUERY_POSTINGS) -> None:
        self._max_postings = max_query_postings
        # Terms are kept as ids into one vocabulary: int32 arrays take a fraction of the memory of
        # Python strings. The vocabulary only grows, so a term's id means the same in every segment.
        self._vocabulary: dict[str, int] = {}
        self._stored = NO_TERMS  # the records at the main segment's snapshot (or at the last load)
        self._count = 0
        self._version = 0  # counts changes
        # Each record changed since `_stored`, with the change count of its last change: the delta.
        self._changes: dict[int, Change] = {}
        self._main: MainSegment | None = None  # None: the next search builds it, waiting for it
        self._segments: Segments | None = None  # the last pair built, reused while nothing changes
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
        stored = StoredTerms.of_chunks(chunks)
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
            main = build_main_segment(stored, vocabulary, version)
            del vocabulary
            self._install(stored, main, generation)
        # The build's temporaries would otherwise stay resident (docs/lexical-index.md).
        return_freed_memory()

    def score(self, query_terms: Iterable[str]) -> QueryScores:
        """Every record's BM25 score for the query, computed once for a top-k and for given ids alike."""
        segments = self._current()
        term_ids = self._query_term_ids(query_terms, segments.delta.term_count)
        return segments.score(rarest_terms(segments.main, term_ids, self._max_postings))

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

    def _install(self, stored: StoredTerms, main: MainSegment, generation: int) -> None:
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

    def _current(self) -> Segments:
        """The segments with every change made before the call: a search sees the writes that preceded it."""
        segments = self._segments
        if segments is not None and segments.version == self._version:
            return segments
        with self._refresh_lock:
            while (segments := self._refresh()) is None:
                # After construction or a load: build here, so a freshly loaded index is exact.
                self.merge()
            return segments

    def _refresh(self) -> Segments | None:
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
        segments = Segments(main, build_delta(main, changed_ids, current, term_count), version)
        with self._change_lock:
            # After a merge this pair is stale, though still consistent for the query that asked for it.
            if self._main is main:
                self._segments = segments
        return segments
