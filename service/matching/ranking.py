"""The ranker's pure core, shared by the service and the evaluation: fuse what the two retrievals found
into each candidate's text signals, then score every candidate with the signals and order them."""

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from service.matching.pairs import NO_CONTEXT, MatchContext, Pair, Side
from service.matching.scoring import Ranking, reciprocal_rank_fusion
from service.matching.signals import SIGNALS, SignalSet

Hits = Sequence[tuple[int, float]]  # (id, score), best first
TextSignals = dict[int, dict[str, float]]


class Scored(NamedTuple):
    """A candidate with its score's parts."""

    id: int
    pair: Pair
    features: dict[str, float]  # each signal's value
    parts: dict[str, float]  # each signal's part of the score
    score: float  # the sum of the parts, in their order


def fuse_text_signals(
    ranking: Ranking,
    limit: int,
    dense: Hits,
    lexical: Hits,
    similarity_of: Callable[[list[int]], Mapping[int, float]],
    bm25_of: Callable[[list[int]], Mapping[int, float]],
    best_lexical: float | None = None,
) -> TextSignals:
    """The candidates and their text signals: dense similarity, and BM25 over the best candidate's.

    In hybrid ranking a candidate found by one side only is given the other side's signal:
    `similarity_of` those only BM25 found (a record not in the vector index yet gets 0), `bm25_of` those
    only the dense side found.
    """
    if ranking == "dense":
        return {owner_id: {"similarity": score} for owner_id, score in dense}
    if best_lexical is None:
        best_lexical = lexical[0][1] if lexical else 1.0
    if ranking == "lexical":
        return {owner_id: {"lexical": score / best_lexical} for owner_id, score in lexical[:limit]}
    if ranking == "rrf":
        fused = reciprocal_rank_fusion([[hit[0] for hit in dense], [hit[0] for hit in lexical]])
        return {
            owner_id: {"dense_rank": dense_part, "lexical_rank": lexical_part}
            for owner_id, (dense_part, lexical_part) in fused.items()
        }
    similarity = dict(dense)
    bm25 = dict(lexical)
    lexical_only = sorted(bm25.keys() - similarity.keys())
    similarity |= dict.fromkeys(lexical_only, 0.0)
    similarity.update(similarity_of(lexical_only))
    bm25.update(bm25_of(sorted(similarity.keys() - bm25.keys())))
    return {
        owner_id: {"similarity": similarity[owner_id], "lexical": bm25[owner_id] / best_lexical}
        for owner_id in similarity
    }


def rank(
    query: Side,
    candidates: Mapping[int, Side],
    text: TextSignals,
    *,
    ranking: Ranking,
    context: MatchContext = NO_CONTEXT,
    signals: SignalSet = SIGNALS,
    limit: int | None = None,
) -> list[Scored]:
    """The candidates best first (ties by id, for stable pages), at most `limit`; a candidate without
    facts (deleted since it was retrieved) is left out."""
    scored = []
    for owner_id, text_signals in text.items():
        candidate = candidates.get(owner_id)
        if candidate is None:
            continue
        pair = Pair(query, candidate, text_signals, context)
        features = signals.features(pair, ranking)
        parts = signals.contributions(features, ranking)
        scored.append(Scored(owner_id, pair, features, parts, sum(parts.values())))
    scored.sort(key=lambda item: (-item.score, item.id))
    return scored if limit is None else scored[:limit]
