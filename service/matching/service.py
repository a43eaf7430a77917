"""Matching: needs to solutions and back, and ad-hoc text search, each with an explanation."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from sqlalchemy.orm import Session

from service.kpis.repository import kpis_by_code
from service.language import detect_language
from service.matching import repository
from service.matching.filters import MatchFilters, allowed_need_ids, allowed_solution_ids
from service.matching.indexes import MatchingIndexes
from service.matching.record_index import RecordIndex
from service.matching.schemas import Explanation, KpiBrief, NeedMatch, SolutionMatch
from service.matching.scoring import candidate_count, combined_score, kpi_overlap
from service.needs import repository as needs_repository
from service.needs import service as needs_service
from service.needs.models import Need
from service.needs.schemas import NeedRead
from service.solutions import repository as solutions_repository
from service.solutions import service as solutions_service
from service.solutions.models import Solution
from service.solutions.schemas import SolutionRead

_LANGUAGE_NAMES = {"no": "Norwegian", "en": "English"}


@dataclass(frozen=True)
class MatchQuery:
    """What a match starts from: a stored need, a stored solution, or free text."""

    kind: str  # need | solution | text
    vector: np.ndarray  # as the index holds vectors (centred on the language)
    language: str
    kpi_codes: Sequence[str] = field(default_factory=list)


def match_need(
    *,
    session: Session,
    indexes: MatchingIndexes,
    need_id: int,
    limit: int,
    filters: MatchFilters | None = None,
) -> list[SolutionMatch]:
    """Solutions for a stored need, best first."""
    need = needs_service.get(session=session, need_id=need_id)
    query = MatchQuery("need", _stored_vector(session, indexes.needs, need.id), need.language, need.kpi_codes)
    return _solutions_for(session, indexes, query, limit, filters or MatchFilters())


def match_solution(
    *,
    session: Session,
    indexes: MatchingIndexes,
    solution_id: int,
    limit: int,
    filters: MatchFilters | None = None,
) -> list[NeedMatch]:
    """Needs a stored solution answers, best first: the supplier's view of demand."""
    solution = solutions_service.get(session=session, solution_id=solution_id)
    vector = _stored_vector(session, indexes.solutions, solution.id)
    query = MatchQuery("solution", vector, solution.language, solution.kpi_codes)
    return _needs_for(session, indexes, query, limit, filters or MatchFilters())


def search_solutions(
    *, session: Session, indexes: MatchingIndexes, text: str, limit: int, filters: MatchFilters | None = None
) -> list[SolutionMatch]:
    return _solutions_for(
        session, indexes, _text_query(indexes.solutions, text), limit, filters or MatchFilters()
    )


def search_needs(
    *, session: Session, indexes: MatchingIndexes, text: str, limit: int, filters: MatchFilters | None = None
) -> list[NeedMatch]:
    return _needs_for(session, indexes, _text_query(indexes.needs, text), limit, filters or MatchFilters())


def _text_query(index: RecordIndex, text: str) -> MatchQuery:
    # Ad-hoc text is encoded like a stored record (as a passage) so that the same centroids apply.
    language = detect_language(text)
    return MatchQuery(
        "text", index.index_form(index.encoder.encode_passages([text]), [language])[0], language
    )


def _solutions_for(
    session: Session, indexes: MatchingIndexes, query: MatchQuery, limit: int, filters: MatchFilters
) -> list[SolutionMatch]:
    allowed = allowed_solution_ids(session, filters)
    hits = indexes.solutions.search(query.vector, _candidates(query, limit), allowed_ids=allowed)
    solutions = solutions_repository.solutions_by_id(session, [owner_id for owner_id, _ in hits])
    scored = _rescore(
        query, [(solutions[owner_id], similarity) for owner_id, similarity in hits if owner_id in solutions]
    )
    return [
        SolutionMatch(
            solution=SolutionRead.model_validate(solution),
            score=round(score, 4),
            explanation=_explain(session, query, similarity, score, "solution", solution),
        )
        for solution, similarity, score in scored[:limit]
    ]


def _needs_for(
    session: Session, indexes: MatchingIndexes, query: MatchQuery, limit: int, filters: MatchFilters
) -> list[NeedMatch]:
    allowed = allowed_need_ids(session, filters)
    hits = indexes.needs.search(query.vector, _candidates(query, limit), allowed_ids=allowed)
    needs = needs_repository.needs_by_id(session, [owner_id for owner_id, _ in hits])
    scored = _rescore(
        query, [(needs[owner_id], similarity) for owner_id, similarity in hits if owner_id in needs]
    )
    return [
        NeedMatch(
            need=NeedRead.model_validate(need),
            score=round(score, 4),
            explanation=_explain(session, query, similarity, score, "need", need),
        )
        for need, similarity, score in scored[:limit]
    ]


def _candidates(query: MatchQuery, limit: int) -> int:
    # Without KPIs the dense order is final; with them, more candidates compete for the re-scored top.
    return candidate_count(limit) if query.kpi_codes else limit


RecordT = TypeVar("RecordT", Need, Solution)


def _rescore(query: MatchQuery, hits: list[tuple[RecordT, float]]) -> list[tuple[RecordT, float, float]]:
    """(record, similarity, score), best score first; records deleted since the search are already gone."""
    scored = [
        (record, similarity, combined_score(similarity, kpi_overlap(query.kpi_codes, record.kpi_codes)))
        for record, similarity in hits
    ]
    return sorted(scored, key=lambda item: -item[2])


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


def _explain(
    session: Session,
    query: MatchQuery,
    similarity: float,
    score: float,
    result_kind: str,
    result: Need | Solution,
) -> Explanation:
    result_codes = set(result.kpi_codes)
    shared = [code for code in query.kpi_codes if code in result_codes]
    kpis = kpis_by_code(session, shared)
    briefs = [
        KpiBrief(code=code, name_en=kpis[code].name_en, name_no=kpis[code].name_no)
        for code in shared
        if code in kpis
    ]
    query_side = "search text" if query.kind == "text" else query.kind
    summary = (
        f"Text similarity {similarity:.2f} between the {query_side} "
        f"({_LANGUAGE_NAMES.get(query.language, query.language)}) and the {result_kind} "
        f"({_LANGUAGE_NAMES.get(result.language, result.language)})"
    )
    if briefs:
        summary += f"; +{score - similarity:.2f} because both address " + ", ".join(
            f"{brief.code} {brief.name_en}" for brief in briefs
        )
    return Explanation(
        similarity=round(similarity, 4),
        contributions={"similarity": round(similarity, 4), "shared_kpis": round(score - similarity, 4)},
        shared_kpi_codes=shared,
        shared_kpis=briefs,
        language_pair=f"{query.language}->{result.language}",
        summary=summary + ".",
    )
