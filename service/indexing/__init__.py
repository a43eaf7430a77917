"""The write side of matching: each record's stored vector, the FAISS and BM25 indexes built from them,
and keeping both in step with the database (the change log, the follower, snapshots).

Needs and solutions write through `insert_records`, `update_records` and `delete_record`; matching reads
the indexes. Nothing here knows how results are ranked.
"""

from service.indexing.centroids import fit_centroids, load_or_fit_centroids
from service.indexing.follower import IndexFollower
from service.indexing.indexes import Indexes
from service.indexing.lexical_documents import LexicalDocument
from service.indexing.record_index import RecordIndex
from service.indexing.texts import record_text
from service.indexing.vectors import store_vectors
from service.indexing.writes import (
    IndexedRecord,
    delete_record,
    insert_record,
    insert_records,
    update_record,
    update_records,
)

__all__ = [
    "IndexFollower",
    "IndexedRecord",
    "Indexes",
    "LexicalDocument",
    "RecordIndex",
    "delete_record",
    "fit_centroids",
    "insert_record",
    "insert_records",
    "load_or_fit_centroids",
    "record_text",
    "store_vectors",
    "update_record",
    "update_records",
]
