"""The main segment: one bm25s score matrix over a snapshot of every record, assembled in numpy."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import bm25s
import bm25s.scoring
import numpy as np
import scipy.sparse

from embeddings.lexical._stored_terms import StoredTerms

# bm25s logs every index build; a merge after each burst of writes would fill the log.
logging.getLogger("bm25s").setLevel(logging.WARNING)

# Postings counted or scored at once when a main segment is built: bounds the build's temporaries.
_BUILD_CHUNK = 1_000_000


@dataclass(frozen=True)
class MainSegment:
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


def build_main_segment(stored: StoredTerms, vocabulary: dict[str, int], version: int) -> MainSegment:
    """bm25s's score matrix for the stored records, assembled in numpy from the flat term arrays.

    bm25s.BM25.index() loops over the records in Python, slow and memory-hungry at a million records
    (docs/lexical-index.md). The same matrix (records x terms, each posting idf x term-frequency part,
    bm25s's formulas and parameters) comes here from the term counts of each record, scored in chunks;
    bm25s then scores queries against it as against its own (tests/embeddings/test_lexical.py compares
    the two).
    """
    ids, lengths = stored.ids, np.diff(stored.offsets)
    if not lengths.any():
        return MainSegment(None, ids, version, 0.0)  # no record has a term: nothing can match
    indptr, rows, data = _term_counts(stored, len(vocabulary))
    bm25 = bm25s.BM25()
    bm25.nonoccurrence_array = None  # as index() leaves it for the Lucene variant
    bm25.scores = {"data": data, "indices": rows, "indptr": indptr, "num_docs": len(ids)}
    idf_of_term = idf(bm25, np.diff(indptr))
    average_length = float(lengths.mean())  # as bm25s takes it
    record_lengths = lengths.astype(np.float32)
    for start in range(0, len(data), _BUILD_CHUNK):  # in chunks: each step's temporaries stay small
        chunk = slice(start, min(start + _BUILD_CHUNK, len(data)))
        posting_terms = np.searchsorted(indptr, np.arange(chunk.start, chunk.stop), side="right") - 1
        frequencies = term_frequency_component(bm25, data[chunk], record_lengths[rows[chunk]], average_length)
        data[chunk] = idf_of_term[posting_terms] * frequencies
    return MainSegment(bm25, ids, version, average_length)


def _term_counts(stored: StoredTerms, term_count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(indptr, rows, counts): how often each record holds each term, term by term (CSC), rows ascending.

    Written chunk by chunk of records into arrays allocated once at their final size: converting all
    postings at once through scipy's COO form held many times more memory beside the result. The price
    is converting each chunk twice, to size the arrays and to fill them (docs/lexical-index.md).
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


def _chunk_counts(stored: StoredTerms, first: int, end: int, term_count: int) -> scipy.sparse.csc_array:
    """Term counts of records first..end-1 (rows from 0), each record's repeated terms summed."""
    terms = stored.terms[stored.offsets[first] : stored.offsets[end]]
    rows = np.repeat(np.arange(end - first, dtype=np.int32), np.diff(stored.offsets[first : end + 1]))
    # scipy's conversion is a counting sort that keeps the rows' order within a term (ascending) and
    # sums a term repeated in a record, which scoring relies on.
    return scipy.sparse.csc_array(
        (np.ones(len(terms), dtype=np.float32), (rows, terms)), shape=(end - first, term_count)
    )


def idf(bm25: bm25s.BM25, document_frequencies: np.ndarray) -> np.ndarray:
    """bm25s's idf for its method, per term (a loop over the query's terms only), float32 as in bm25s."""
    idf_of = bm25s.scoring._select_idf_scorer(bm25.idf_method)
    document_count = bm25.scores["num_docs"]
    return np.array(
        [idf_of(frequency, N=document_count) for frequency in document_frequencies.tolist()], dtype=np.float32
    )


def term_frequency_component(
    bm25: bm25s.BM25, frequencies: np.ndarray, lengths: np.ndarray, average_length: float
) -> np.ndarray:
    """bm25s's term-frequency part for its method, over arrays of postings."""
    tfc_of = bm25s.scoring._select_tfc_scorer(bm25.method)
    return np.asarray(
        tfc_of(
            tf_array=frequencies, l_d=lengths, l_avg=average_length, k1=bm25.k1, b=bm25.b, delta=bm25.delta
        )
    )
