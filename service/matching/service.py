"""Matching: needs to solutions and back, and ad-hoc text search, each with an explanation.

Candidates come from the dense index and from BM25, both restricted by the filters inside the search;
each candidate's signals are weighted (scoring.WEIGHTS) and explained.
"""

import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, wraps
from typing import ParamSpec, TypeVar

import numpy as np
from sqlalchemy.orm import Session

from embeddings.lexical import QueryScores
from service.kpis.repository import kpis_by_code
from service.language import detect_language
from service.matching import repository
from service.matching.explanations import explain
from service.matching.features import (
    cpv_fit,
    feedback_prior,
    maturity_fit,
    reference_fit,
    region_fit,
    share_of,
)
from service.matching.feedback import POSITIVE_VERDICTS, latest_verdicts, verdict_counts
from service.matching.filters import IdRestriction, MatchFilters, need_restriction, solution_restriction
from service.matching.indexes import MatchingIndexes
from service.matching.lexical_documents import LexicalDocument
from service.matching.record_index import RecordIndex
from service.matching.schemas import NeedMatch, SolutionMatch
from service.matching.scoring import WEIGHTS, Ranking, candidate_count, reciprocal_rank_fusion
from service.models import Kpi, Need, Solution
from service.municipalities.repository import counties_of
from service.needs import repository as needs_repository
from service.needs import service as needs_service
from service.needs.repository import NeedFacts
from service.needs.schemas import NeedRead
from service.solutions import repository as solutions_repository
from service.solutions import service as solutions_service
from service.solutions.repository import SolutionFacts
from service.solutions.schemas import SolutionRead

P = ParamSpec("P")
R = TypeVar("R")

# Matching is CPU-bound and holds the GIL most of the time: with a thread for every concurrent request,
# the threads spend their time handing the GIL to each other. As many matches run at once as there are
# cores; the others wait asleep (8 clients at 10k solutions: 69 -> 92 requests/s, server CPU per request
# 15.5 -> 11.2 ms).
_MATCHING_SLOTS = threading.BoundedSemaphore(os.cpu_count() or 2)


def _few_at_once(function: Callable[P, R]) -> Callable[P, R]:
    @wraps(function)
    def in_a_slot(*args: P.args, **kwargs: P.kwargs) -> R:
        with _MATCHING_SLOTS:
            return function(*args, **kwargs)

    return in_a_slot


@dataclass(frozen=True)
class MatchQuery:
    """What a match starts from: a stored need, a stored solution, or free text."""

    kind: str  # need | solution | text
    vector: np.ndarray  # as the index holds vectors (centred on the language)
    language: str
    document: LexicalDocument
    terms: Sequence[str]  # BM25 terms of the document
    ranking: Ranking = "hybrid"
    owner_id: int | None = None
    kpi_codes: Sequence[str] = ()
    sdgs: Sequence[int] = ()
    cpv_codes: Sequence[str] = ()
    county: str | None = None
    municipality: str | None = None
    trl: int | None = None  # a solution's maturity
    trl_min: int | None = None  # a need's lowest acceptable maturity
    regions_served: Sequence[str] = ()
    verdicts: Mapping[int, str] = field(default_factory=dict)  # officers' latest verdict per solution

    @cached_property
    def words(self) -> dict[str, list[str]]:
        """The query text's words behind each term, for the explanations of every result."""
        return self.document.words_by_term()


@_few_at_once
def match_need(
    *,
    session: Session,
    indexes: MatchingIndexes,
    need_id: int,
    limit: int,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
) -> list[SolutionMatch]:
    """Solutions for a stored need, best first."""
    need = needs_service.get(session=session, need_id=need_id)
    document = LexicalDocument.of(
        need.title, need.description, need.language, need.kpi_codes, need.translations
    )
    query = MatchQuery(
        kind="need",
        vector=_stored_vector(session, indexes.needs, need.id),
        language=need.language,
        document=document,
        terms=document.terms(indexes.kpi_names) if ranking != "dense" else (),
        ranking=ranking,
        owner_id=need.id,
        kpi_codes=need.kpi_codes,
        sdgs=_sdgs_of(session, need.kpi_codes),
        cpv_codes=need.cpv_codes,
        county=need.municipality.county_number if need.municipality else None,
        municipality=need.municipality_number,
        trl_min=need.trl_min,
        verdicts=latest_verdicts(session, need.id),
    )
    return _solutions_for(session, indexes, query, limit, filters or MatchFilters())


@_few_at_once
def match_solution(
    *,
    session: Session,
    indexes: MatchingIndexes,
    solution_id: int,
    limit: int,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
) -> list[NeedMatch]:
    """Needs a stored solution answers, best first: the supplier's view of demand."""
    solution = solutions_service.get(session=session, solution_id=solution_id)
    document = LexicalDocument.of(solution.title, solution.description, solution.language, solution.kpi_codes)
    query = MatchQuery(
        kind="solution",
        vector=_stored_vector(session, indexes.solutions, solution.id),
        language=solution.language,
        document=document,
        terms=document.terms(indexes.kpi_names) if ranking != "dense" else (),
        ranking=ranking,
        owner_id=solution.id,
        kpi_codes=solution.kpi_codes,
        sdgs=solution.sdgs,
        cpv_codes=solution.cpv_codes,
        trl=solution.trl,
        regions_served=solution.regions_served,
    )
    return _needs_for(session, indexes, query, limit, filters or MatchFilters())


@_few_at_once
def search_solutions(
    *,
    session: Session,
    indexes: MatchingIndexes,
    text: str,
    limit: int,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
) -> list[SolutionMatch]:
    query = _text_query(indexes.solutions, text, ranking)
    return _solutions_for(session, indexes, query, limit, filters or MatchFilters())


@_few_at_once
def search_needs(
    *,
    session: Session,
    indexes: MatchingIndexes,
    text: str,
    limit: int,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
) -> list[NeedMatch]:
    query = _text_query(indexes.needs, text, ranking)
    return _needs_for(session, indexes, query, limit, filters or MatchFilters())


def _text_query(index: RecordIndex, text: str, ranking: Ranking) -> MatchQuery:
    # Ad-hoc text is encoded like a stored record (as a passage) so that the same centroids apply.
    language = detect_language(text)
    vector = index.index_form(index.encoder.encode_passages([text]), [language])[0]
    document = LexicalDocument([(text, language)], [])
    return MatchQuery("text", vector, language, document, document.terms({}), ranking)


def _sdgs_of(session: Session, kpi_codes: Sequence[str]) -> list[int]:
    """A need's SDGs: those of the KPIs it addresses."""
    kpis = kpis_by_code(session, kpi_codes)
    return sorted({sdg for kpi in kpis.values() for sdg in kpi.sdgs})


def _solutions_for(
    session: Session, indexes: MatchingIndexes, query: MatchQuery, limit: int, filters: MatchFilters
) -> list[SolutionMatch]:
    rejected = {solution_id for solution_id, verdict in query.verdicts.items() if verdict == "not_useful"}
    signals = _text_signals(indexes.solutions, query, limit, solution_restriction(session, filters, rejected))
    # The candidates' facts first, whole records only for the results.
    facts = solutions_repository.facts_by_id(session, signals)
    if query.ranking == "hybrid":
        _add_solution_features(session, query, signals, facts)
    ranked = _best(query, signals, facts, limit)
    solutions = solutions_repository.solutions_by_id(session, [owner_id for owner_id, _ in ranked])
    best = [(owner_id, parts) for owner_id, parts in ranked if owner_id in solutions]  # not deleted meanwhile
    kpis = _kpis_of(session, query, [solutions[owner_id] for owner_id, _ in best])
    return [
        SolutionMatch(
            solution=SolutionRead.model_validate(solutions[owner_id]),
            score=round(sum(parts.values()), 4),
            explanation=explain(query, parts, solutions[owner_id], kpis),
        )
        for owner_id, parts in best
    ]


def _needs_for(
    session: Session, indexes: MatchingIndexes, query: MatchQuery, limit: int, filters: MatchFilters
) -> list[NeedMatch]:
    signals = _text_signals(indexes.needs, query, limit, need_restriction(session, filters))
    facts = needs_repository.facts_by_id(session, signals)
    if query.ranking == "hybrid":
        _add_need_features(session, query, signals, facts)
    ranked = _best(query, signals, facts, limit)
    needs = needs_repository.needs_by_id(session, [owner_id for owner_id, _ in ranked])
    best = [(owner_id, parts) for owner_id, parts in ranked if owner_id in needs]  # not deleted meanwhile
    kpis = _kpis_of(session, query, [needs[owner_id] for owner_id, _ in best])
    return [
        NeedMatch(
            need=NeedRead.model_validate(needs[owner_id]),
            score=round(sum(parts.values()), 4),
            explanation=explain(query, parts, needs[owner_id], kpis),
        )
        for owner_id, parts in best
    ]


def _kpis_of(session: Session, query: MatchQuery, results: Sequence[Need | Solution]) -> dict[str, Kpi]:
    """The KPIs the explanations name, read at once rather than once per result."""
    return kpis_by_code(
        session, {*query.kpi_codes, *(code for result in results for code in result.kpi_codes)}
    )


def _text_signals(
    index: RecordIndex, query: MatchQuery, limit: int, restriction: IdRestriction
) -> dict[int, dict[str, float]]:
    """The candidates and their text signals: dense similarity and BM25 (over the best candidate's)."""
    if query.ranking == "dense":
        return {
            owner_id: {"similarity": score}
            for owner_id, score in _dense_search(index, query, limit, restriction)
        }
    k = candidate_count(limit)
    dense = _dense_search(index, query, k, restriction)
    bm25_scores = index.lexical.score(query.terms)
    lexical = _lexical_search(bm25_scores, k, restriction)
    best_lexical = lexical[0][1] if lexical else 1.0
    if query.ranking == "lexical":
        return {owner_id: {"lexical": score / best_lexical} for owner_id, score in lexical[:limit]}
    if query.ranking == "rrf":
        fused = reciprocal_rank_fusion([[hit[0] for hit in dense], [hit[0] for hit in lexical]])
        return {
            owner_id: {"dense_rank": dense_part, "lexical_rank": lexical_part}
            for owner_id, (dense_part, lexical_part) in fused.items()
        }
    similarity = dict(dense)
    bm25 = dict(lexical)
    # A candidate found by one side only still gets the other side's signal.
    lexical_only = sorted(bm25.keys() - similarity.keys())
    found, vectors = index.vectors(lexical_only)
    similarity |= dict.fromkeys(lexical_only, 0.0)  # not in the vector index (yet): no similarity
    similarity.update(zip(found.tolist(), (vectors @ query.vector).tolist(), strict=True))
    dense_only = sorted(similarity.keys() - bm25.keys())
    bm25.update(zip(dense_only, bm25_scores.of(dense_only).tolist(), strict=True))
    return {
        owner_id: {"similarity": similarity[owner_id], "lexical": bm25[owner_id] / best_lexical}
        for owner_id in similarity
    }


def _dense_search(
    index: RecordIndex, query: MatchQuery, k: int, restriction: IdRestriction
) -> list[tuple[int, float]]:
    hits = index.search(query.vector, k + len(restriction.excluded), allowed_ids=restriction.allowed)
    return [hit for hit in hits if hit[0] not in restriction.excluded][:k]


def _lexical_search(scores: QueryScores, k: int, restriction: IdRestriction) -> list[tuple[int, float]]:
    hits = scores.top(k + len(restriction.excluded), allowed_ids=restriction.allowed)
    return [hit for hit in hits if hit[0] not in restriction.excluded][:k]


def _add_solution_features(
    session: Session,
    query: MatchQuery,
    signals: dict[int, dict[str, float]],
    solutions: Mapping[int, SolutionFacts],
) -> None:
    references = {number for solution in solutions.values() for number in solution.reference_municipalities}
    county_of = counties_of(session, references)
    prior = verdict_counts(session, list(solutions), excluding_need=query.owner_id)
    for owner_id, features in signals.items():
        solution = solutions.get(owner_id)
        if solution is None:
            continue
        features |= {
            "shared_kpis": share_of(query.kpi_codes, solution.kpi_codes),
            "shared_sdgs": share_of(query.sdgs, solution.sdgs),
            "cpv": cpv_fit(query.cpv_codes, solution.cpv_codes),
            "region": region_fit(query.county, solution.regions_served),
            "maturity": maturity_fit(query.trl_min, solution.trl),
            "references": reference_fit(
                query.county, query.municipality, solution.reference_municipalities, county_of
            ),
            "feedback_prior": feedback_prior(*prior.get(owner_id, (0, 0))),
        }
        if query.verdicts.get(owner_id) in POSITIVE_VERDICTS:
            features["feedback"] = 1.0


def _add_need_features(
    session: Session, query: MatchQuery, signals: dict[int, dict[str, float]], needs: Mapping[int, NeedFacts]
) -> None:
    kpis = kpis_by_code(session, {code for need in needs.values() for code in need.kpi_codes})
    for owner_id, features in signals.items():
        need = needs.get(owner_id)
        if need is None:
            continue
        need_sdgs = {sdg for code in need.kpi_codes if code in kpis for sdg in kpis[code].sdgs}
        features |= {
            "shared_kpis": share_of(query.kpi_codes, need.kpi_codes),
            "shared_sdgs": share_of(query.sdgs, need_sdgs),
            "cpv": cpv_fit(need.cpv_codes, query.cpv_codes),
            "region": region_fit(need.county_number, query.regions_served),
            "maturity": maturity_fit(need.trl_min, query.trl),
        }


def _best(
    query: MatchQuery, signals: dict[int, dict[str, float]], records: Mapping[int, object], limit: int
) -> list[tuple[int, dict[str, float]]]:
    """The top `limit` candidates with their score's parts, best first (ties by id, for stable pages)."""
    scored = [
        (owner_id, WEIGHTS.contributions(features) if query.ranking == "hybrid" else features)
        for owner_id, features in signals.items()
        if owner_id in records
    ]
    scored.sort(key=lambda item: (-sum(item[1].values()), item[0]))
    return scored[:limit]


def _stored_vector(session: Session, index: RecordIndex, owner_id: int) -> np.ndarray:
    vector = index.vector(owner_id)
    if vector is not None:
        return vector
    stored = repository.vectors_of(
        session, kind=index.kind, model_id=index.encoder.model_id, owner_ids=[owner_id]
    )
    if owner_id not in stored:
        raise RuntimeError(f"{index.kind} {owner_id} has no stored vector; run `innomatch reindex`")
    raw, language = stored[owner_id]
    return index.index_form(raw.reshape(1, -1), [language])[0]
