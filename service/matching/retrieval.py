"""Candidate retrieval: the dense index and BM25, each restricted by the filters inside the search."""

from embeddings.lexical import QueryScores
from service.indexing import RecordIndex
from service.matching.filters import IdRestriction
from service.matching.query import MatchQuery
from service.matching.ranking import Hits, TextSignals, fuse_text_signals
from service.matching.scoring import candidate_count


def text_signals(
    index: RecordIndex,
    query: MatchQuery,
    limit: int,
    restriction: IdRestriction,
    lexical_scale: IdRestriction | None = None,
) -> TextSignals:
    """The candidates for a page of `limit` results, with their text signals. BM25 is scaled by the
    best candidate's, or by the best of `lexical_scale` when given: a few candidates (an alert's new
    records) are then scored as they would be among all the records a full match sees."""
    if query.ranking == "dense":
        return fuse_text_signals("dense", limit, _dense(index, query, limit, restriction), [], _none, _none)
    k = candidate_count(limit)
    dense = _dense(index, query, k, restriction)
    bm25 = index.lexical.score(query.terms)
    lexical = _lexical_hits(bm25, k, restriction)
    best = _lexical_hits(bm25, 1, lexical_scale) if lexical_scale is not None else lexical

    def similarity_of(owner_ids: list[int]) -> dict[int, float]:
        found, vectors = index.vectors(owner_ids)
        return dict(zip(found.tolist(), (vectors @ query.vector).tolist(), strict=True))

    def bm25_of(owner_ids: list[int]) -> dict[int, float]:
        return dict(zip(owner_ids, bm25.of(owner_ids).tolist(), strict=True))

    best_lexical = best[0][1] if best else None
    return fuse_text_signals(query.ranking, limit, dense, lexical, similarity_of, bm25_of, best_lexical)


def _lexical_hits(bm25: QueryScores, k: int, restriction: IdRestriction) -> Hits:
    hits = bm25.top(k + len(restriction.excluded), allowed_ids=restriction.allowed)
    return [hit for hit in hits if hit[0] not in restriction.excluded][:k]


def _dense(index: RecordIndex, query: MatchQuery, k: int, restriction: IdRestriction) -> Hits:
    hits = index.search(query.vector, k + len(restriction.excluded), allowed_ids=restriction.allowed)
    return [hit for hit in hits if hit[0] not in restriction.excluded][:k]


def _none(_owner_ids: list[int]) -> dict[int, float]:
    return {}
