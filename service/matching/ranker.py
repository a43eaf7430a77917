"""Ranking for the other domain services: needs to solutions and back, and ad-hoc text, each result
explained. Reads the indexes and the domain repositories; who may see what is the caller-facing
service's job (service.py), not this one's.

A match: the query's facts, candidates from both indexes restricted by the filters (retrieval.py), the
candidates' facts from SQL, the signals scored and ordered (ranking.py), the results explained.
"""

import os
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import numpy as np
from sqlalchemy.orm import Session

from service.indexing import Indexes, LexicalDocument, RecordIndex
from service.matching import retrieval, shared_reads
from service.matching.confidence import is_weak
from service.matching.explanations import explain
from service.matching.feedback import latest_verdicts, verdict_counts
from service.matching.filters import IdRestriction, MatchFilters
from service.matching.pairs import MatchContext, Side
from service.matching.query import MatchQuery
from service.matching.ranking import Scored, rank
from service.matching.schemas import Explanation, NeedMatch, SolutionMatch
from service.matching.scoring import Ranking
from service.models import Kpi, Need, Solution
from service.municipalities.repository import counties_of
from service.needs import service as needs_service
from service.needs.repository import NeedFacts
from service.needs.schemas import NeedRead
from service.solutions import service as solutions_service
from service.solutions.repository import SolutionFacts
from service.solutions.schemas import SolutionRead

P = ParamSpec("P")
R = TypeVar("R")
RecordT = TypeVar("RecordT", Need, Solution)

# Matching is CPU-bound and holds the GIL most of the time: with a thread for every concurrent request,
# the threads spend their time handing the GIL to each other. As many matches run at once as there are
# cores; the others wait asleep (docs/matching.md, "Matching slots").
_MATCHING_SLOTS = threading.BoundedSemaphore(os.cpu_count() or 2)


def _few_at_once(function: Callable[P, R]) -> Callable[P, R]:
    @wraps(function)
    def in_a_slot(*args: P.args, **kwargs: P.kwargs) -> R:
        with _MATCHING_SLOTS:
            return function(*args, **kwargs)

    return in_a_slot


@_few_at_once
def rank_solutions_for_need(
    *,
    session: Session,
    indexes: Indexes,
    need_id: int,
    limit: int,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
    among: Collection[int] | None = None,
    at_least: float | None = None,
) -> list[SolutionMatch]:
    """Solutions for a stored need, best first."""
    need = shared_reads.kept_need(session, need_id) or needs_service.get(session=session, need_id=need_id)
    document = LexicalDocument.of(
        need.title, need.description, need.language, need.kpi_codes, need.translations
    )
    side = Side(
        kind="need",
        id=need.id,
        language=need.language,
        kpi_codes=need.kpi_codes,
        suggested_kpis=suggested_pairs(need.suggested_kpis),
        sdgs=_sdgs_of(session, need.kpi_codes),
        cpv_codes=need.cpv_codes,
        county=need.municipality.county_number if need.municipality else None,
        municipality=need.municipality_number,
        trl_min=need.trl_min,
    )
    query = MatchQuery(
        side=side,
        vector=indexes.needs.query_vector(need.id),
        document=document,
        terms=document.query_terms(indexes.kpi_names) if ranking != "dense" else (),
        ranking=ranking,
    )
    return _solutions_for(
        session,
        indexes,
        query,
        limit,
        filters or MatchFilters(),
        latest_verdicts(session, need.id),
        among,
        at_least,
    )


@_few_at_once
def rank_needs_for_solution(
    *,
    session: Session,
    indexes: Indexes,
    solution_id: int,
    limit: int,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
    among: Collection[int] | None = None,
    at_least: float | None = None,
) -> list[NeedMatch]:
    """Needs a stored solution answers, best first: the supplier's view of demand."""
    solution = shared_reads.kept_solution(session, solution_id) or solutions_service.get(
        session=session, solution_id=solution_id
    )
    document = LexicalDocument.of(solution.title, solution.description, solution.language, solution.kpi_codes)
    side = _solution_side(solution.id, solution)
    query = MatchQuery(
        side=side,
        vector=indexes.solutions.query_vector(solution.id),
        document=document,
        terms=document.query_terms(indexes.kpi_names) if ranking != "dense" else (),
        ranking=ranking,
    )
    return _needs_for(session, indexes, query, limit, filters or MatchFilters(), among, at_least)


@_few_at_once
def rank_solutions_for_text(
    *,
    session: Session,
    indexes: Indexes,
    text: str,
    language: str,
    limit: int,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
    among: Collection[int] | None = None,
    raw_vector: np.ndarray | None = None,
    at_least: float | None = None,
) -> list[SolutionMatch]:
    """Solutions for free text in `language` (detected), best first; `raw_vector`: the text already encoded."""
    query = _text_query(indexes.solutions, text, language, ranking, raw_vector)
    return _solutions_for(session, indexes, query, limit, filters or MatchFilters(), {}, among, at_least)


@_few_at_once
def rank_needs_for_text(
    *,
    session: Session,
    indexes: Indexes,
    text: str,
    language: str,
    limit: int,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
    among: Collection[int] | None = None,
    raw_vector: np.ndarray | None = None,
    at_least: float | None = None,
) -> list[NeedMatch]:
    """Needs for free text in `language` (detected), best first; `raw_vector`: the text already encoded."""
    query = _text_query(indexes.needs, text, language, ranking, raw_vector)
    return _needs_for(session, indexes, query, limit, filters or MatchFilters(), among, at_least)


def _text_query(
    index: RecordIndex, text: str, language: str, ranking: Ranking, raw_vector: np.ndarray | None = None
) -> MatchQuery:
    # Ad-hoc text is encoded like a stored record (as a passage) so that the same centroids apply.
    raw = index.encoder.encode_passages([text]) if raw_vector is None else raw_vector.reshape(1, -1)
    vector = index.index_form(raw, [language])[0]
    document = LexicalDocument([(text, language)], [])
    return MatchQuery(
        Side(kind="text", language=language), vector, document, document.query_terms({}), ranking
    )


def _sdgs_of(session: Session, kpi_codes: Sequence[str]) -> list[int]:
    """A need's SDGs: those of the KPIs it addresses."""
    return sorted({sdg for kpi in shared_reads.kpis(session, kpi_codes).values() for sdg in kpi.sdgs})


def _solutions_for(
    session: Session,
    indexes: Indexes,
    query: MatchQuery,
    limit: int,
    filters: MatchFilters,
    verdicts: Mapping[int, str],
    among: Collection[int] | None = None,
    at_least: float | None = None,
) -> list[SolutionMatch]:
    rejected = {solution_id for solution_id, verdict in verdicts.items() if verdict == "not_useful"}
    restriction = shared_reads.solutions_allowed(session, filters, rejected)
    text = retrieval.text_signals(indexes.solutions, query, limit, *_among(restriction, among))
    # The candidates' facts first, whole records only for the results.
    found = shared_reads.solution_facts(session, text)
    candidates = shared_reads.candidate_sides(
        "solution",
        found,
        lambda ids: {owner_id: _solution_side(owner_id, found[owner_id]) for owner_id in ids},
    )
    context = MatchContext(verdicts=verdicts)
    if query.ranking == "hybrid":
        references = {number for side in candidates.values() for number in side.reference_municipalities}
        context = MatchContext(
            county_of=counties_of(session, references),
            verdict_counts=verdict_counts(session, list(candidates), excluding_need=query.side.id),
            verdicts=verdicts,
        )
    best = _scoring_at_least(
        rank(query.side, candidates, text, ranking=query.ranking, context=context, limit=limit), at_least
    )
    solutions = shared_reads.solutions(session, [scored.id for scored in best])
    return [
        SolutionMatch(
            solution=SolutionRead.model_validate(solution),
            score=score,
            weak=is_weak(score, query.side.kind, query.ranking),
            explanation=explanation,
        )
        for solution, score, explanation in _explained(session, query, best, solutions)
    ]


def _needs_for(
    session: Session,
    indexes: Indexes,
    query: MatchQuery,
    limit: int,
    filters: MatchFilters,
    among: Collection[int] | None = None,
    at_least: float | None = None,
) -> list[NeedMatch]:
    restriction = shared_reads.needs_allowed(session, filters)
    text = retrieval.text_signals(indexes.needs, query, limit, *_among(restriction, among))
    facts = shared_reads.need_facts(session, text)
    # The candidates' KPIs give their SDGs now and name the shared and suggested KPIs of the explanations later.
    kpis = shared_reads.kpis(
        session,
        {
            *_kpi_codes_named(query.side.kpi_codes, query.side.suggested_kpis),
            *(
                code
                for need in facts.values()
                for code in _kpi_codes_named(need.kpi_codes, suggested_pairs(need.suggested_kpis))
            ),
        },
    )
    candidates = shared_reads.candidate_sides(
        "need", facts, lambda ids: {owner_id: _need_side(owner_id, facts[owner_id], kpis) for owner_id in ids}
    )
    best = _scoring_at_least(rank(query.side, candidates, text, ranking=query.ranking, limit=limit), at_least)
    needs = shared_reads.needs(session, [scored.id for scored in best])
    return [
        NeedMatch(
            need=NeedRead.model_validate(need),
            score=score,
            weak=is_weak(score, query.side.kind, query.ranking),
            explanation=explanation,
        )
        for need, score, explanation in _explained(session, query, best, needs, kpis)
    ]


def _need_side(owner_id: int, need: NeedFacts, kpis: Mapping[str, Kpi]) -> Side:
    return Side(
        kind="need",
        id=owner_id,
        language=need.language,
        kpi_codes=need.kpi_codes,
        suggested_kpis=suggested_pairs(need.suggested_kpis),
        sdgs=_sdgs_in(kpis, need.kpi_codes),
        cpv_codes=need.cpv_codes,
        county=need.county_number,
        municipality=need.municipality_number,
        trl_min=need.trl_min,
    )


def _solution_side(owner_id: int, facts: SolutionFacts | Solution) -> Side:
    """A solution's side of a pair, from its facts (a candidate) or the stored record (the query)."""
    return Side(
        kind="solution",
        id=owner_id,
        language=facts.language,
        kpi_codes=facts.kpi_codes,
        suggested_kpis=suggested_pairs(facts.suggested_kpis),
        sdgs=facts.sdgs,
        cpv_codes=facts.cpv_codes,
        trl=facts.trl,
        regions_served=facts.regions_served,
        reference_municipalities=facts.reference_municipalities,
    )


def _scoring_at_least(best: list[Scored], at_least: float | None) -> list[Scored]:
    """Those scoring `at_least` as the answer rounds them, cut before their records are read and
    explained: an alert that keeps only a band need not explain the rest."""
    return best if at_least is None else [scored for scored in best if round(scored.score, 4) >= at_least]


def _among(
    restriction: IdRestriction, among: Collection[int] | None
) -> tuple[IdRestriction, IdRestriction | None]:
    """The restriction to rank within, and the one whose best BM25 scales the lexical signal: only
    `among` (an alert's new records) when given, scaled as among everything the filters allow."""
    if among is None:
        return restriction, None
    allowed = None if restriction.allowed is None else set(restriction.allowed)
    kept = [i for i in among if i not in restriction.excluded and (allowed is None or i in allowed)]
    return IdRestriction(kept), restriction


def _explained(
    session: Session,
    query: MatchQuery,
    best: Sequence[Scored],
    records: Mapping[int, RecordT],
    kpis: Mapping[str, Kpi] | None = None,
) -> list[tuple[RecordT, float, Explanation]]:
    """The results still stored (not deleted since they were ranked), each with its score and explanation;
    `kpis`, when given, holds those of the query and of every result."""
    kept = [scored for scored in best if scored.id in records]
    if kpis is None:
        kpis = _kpis_of(session, query, [records[scored.id] for scored in kept])
    return [
        (records[scored.id], round(scored.score, 4), explain(query, scored, records[scored.id], kpis))
        for scored in kept
    ]


def _sdgs_in(kpis: Mapping[str, Kpi], kpi_codes: Collection[str]) -> list[int]:
    return sorted({sdg for code in kpi_codes if code in kpis for sdg in kpis[code].sdgs})


def _kpis_of(session: Session, query: MatchQuery, results: Sequence[Need | Solution]) -> dict[str, Kpi]:
    """The KPIs the explanations name, read at once rather than once per result."""
    return shared_reads.kpis(
        session,
        {
            *_kpi_codes_named(query.side.kpi_codes, query.side.suggested_kpis),
            *(
                code
                for result in results
                for code in _kpi_codes_named(result.kpi_codes, suggested_pairs(result.suggested_kpis))
            ),
        },
    )


def _kpi_codes_named(chosen: Sequence[str], suggested: Sequence[tuple[str, float]]) -> list[str]:
    """The KPI codes an explanation may name for a side: its chosen ones and those suggested for it."""
    return [*chosen, *(code for code, _ in suggested)]


def suggested_pairs(stored: Sequence[Mapping[str, Any]] | None) -> tuple[tuple[str, float], ...]:
    """A record's stored suggested KPIs as the ranking reads them: (code, confidence), best first."""
    return tuple((item["code"], float(item["confidence"])) for item in stored or ())
