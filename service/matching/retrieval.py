"""Candidate retrieval: the dense index and BM25, each restricted by the filters inside the search."""

from service.indexing import RecordIndex
from service.matching.filters import IdRestriction
from service.matching.query import MatchQuery
from service.matching.ranking import Hits, TextSignals, fuse_text_signals
from service.matching.scoring import candidate_count


def text_signals(
    index: RecordIndex, query: MatchQuery, limit: int, restriction: IdRestriction
) -> TextSignals:
    """The candidates for a page of `limit` results, with their text signals."""
    if query.ranking == "dense":
        return fuse_text_signals("dense", limit, _dense(index, query, limit, restriction), [], _none, _none)
    k = candidate_count(limit)
    dense = _dense(index, query, k, restriction)
    bm25 = index.lexical.score(query.terms)
    lexical_hits = bm25.top(k + len(restriction.excluded), allowed_ids=restriction.allowed)
    lexical = [hit for hit in lexical_hits if hit[0] not in restriction.excluded][:k]

    def similarity_of(owner_ids: list[int]) -> dict[int, float]:
        found, vectors = index.vectors(owner_ids)
        return dict(zip(found.tolist(), (vectors @ query.vector).tolist(), strict=True))

    def bm25_of(owner_ids: list[int]) -> dict[int, float]:
        return dict(zip(owner_ids, bm25.of(owner_ids).tolist(), strict=True))

    return fuse_text_signals(query.ranking, limit, dense, lexical, similarity_of, bm25_of)


def _dense(index: RecordIndex, query: MatchQuery, k: int, restriction: IdRestriction) -> Hits:
    hits = index.search(query.vector, k + len(restriction.excluded), allowed_ids=restriction.allowed)
    return [hit for hit in hits if hit[0] not in restriction.excluded][:k]


def _none(_owner_ids: list[int]) -> dict[int, float]:
    return {}
