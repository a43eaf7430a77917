"""The delta: the records changed since the main segment's snapshot, scored with its statistics."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse

from embeddings.lexical._main_segment import MainSegment, idf, term_frequency_component
from embeddings.lexical._sorted_ids import rows_in


@dataclass(frozen=True)
class Delta:
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

    def scores(self, term_ids: np.ndarray, main: MainSegment) -> np.ndarray:
        """Each record's BM25 score: one pass over the query terms' postings, no loop over records."""
        if main.bm25 is None or len(self.ids) == 0 or len(term_ids) == 0:
            return np.zeros(len(self.ids), dtype=np.float32)  # a delta needs a main segment with postings
        postings = self.term_frequencies[:, term_ids]
        rows = postings.indices
        idf_of_posting = np.repeat(
            idf(main.bm25, main.document_frequencies(term_ids)), np.diff(postings.indptr)
        )
        tfc = term_frequency_component(main.bm25, postings.data, self.lengths[rows], main.average_length)
        return np.bincount(rows, weights=idf_of_posting * tfc, minlength=len(self.ids)).astype(np.float32)


def build_delta(
    main: MainSegment, changed_ids: np.ndarray, current: dict[int, np.ndarray], term_count: int
) -> Delta:
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
    return Delta(ids, term_frequencies, lengths, rows_in(main.ids, changed_ids))
