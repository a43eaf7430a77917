"""Matching: needs to solutions and back, and ad-hoc text search, each with an explanation."""

from collections.abc import Sequence

import numpy as np
from sqlalchemy.orm import Session

from service.kpis.repository import kpis_by_code
from service.language import detect_language
from service.matching import repository
from service.matching.indexes import MatchingIndexes
from service.matching.record_index import RecordIndex
from service.matching.schemas import Explanation, KpiBrief, NeedMatch, SolutionMatch
from service.needs import repository as needs_repository
from service.needs import service as needs_service
from service.needs.schemas import NeedRead
from service.solutions import repository as solutions_repository
from service.solutions import service as solutions_service
from service.solutions.schemas import SolutionRead

_LANGUAGE_NAMES = {"no": "Norwegian", "en": "English"}


def match_need(
    *, session: Session, indexes: MatchingIndexes, need_id: int, limit: int
) -> list[SolutionMatch]:
    """Solutions for a stored need, best first."""
    need = needs_service.get(session=session, need_id=need_id)
    query = _stored_vector(session, indexes.needs, need.id)
    return _solutions_for(
        session, indexes, query, limit=limit, query_language=need.language, query_kpis=need.kpi_codes
    )


def match_solution(
    *, session: Session, indexes: MatchingIndexes, solution_id: int, limit: int
) -> list[NeedMatch]:
    """Needs a stored solution answers, best first: the supplier's view of demand."""
    solution = solutions_service.get(session=session, solution_id=solution_id)
    query = _stored_vector(session, indexes.solutions, solution.id)
    return _needs_for(
        session, indexes, query, limit=limit, query_language=solution.language, query_kpis=solution.kpi_codes
    )


def search_solutions(
    *, session: Session, indexes: MatchingIndexes, text: str, limit: int
) -> list[SolutionMatch]:
    language = detect_language(text)
    query = _text_vector(indexes.solutions, text, language)
    return _solutions_for(session, indexes, query, limit=limit, query_language=language, query_kpis=[])


def search_needs(*, session: Session, indexes: MatchingIndexes, text: str, limit: int) -> list[NeedMatch]:
    language = detect_language(text)
    query = _text_vector(indexes.needs, text, language)
    return _needs_for(session, indexes, query, limit=limit, query_language=language, query_kpis=[])


def _text_vector(index: RecordIndex, text: str, language: str) -> np.ndarray:
    # Ad-hoc text is encoded like a stored record (as a passage) so that the same centroids apply.
    return index.index_form(index.encoder.encode_passages([text]), [language])[0]


def _solutions_for(
    session: Session,
    indexes: MatchingIndexes,
    query: np.ndarray,
    *,
    limit: int,
    query_language: str,
    query_kpis: Sequence[str],
) -> list[SolutionMatch]:
    allowed = solutions_repository.matchable_solution_ids(session)
    hits = indexes.solutions.search(query, limit, allowed_ids=allowed)
    solutions = solutions_repository.solutions_by_id(session, [owner_id for owner_id, _ in hits])
    matches = []
    for owner_id, similarity in hits:
        solution = solutions.get(owner_id)
        if solution is None:  # deleted between search and read
            continue
        explanation = _explain(
            session, similarity, query_language, solution.language, query_kpis, solution.kpi_codes
        )
        matches.append(
            SolutionMatch(
                solution=SolutionRead.model_validate(solution),
                score=round(similarity, 4),
                explanation=explanation,
            )
        )
    return matches


def _needs_for(
    session: Session,
    indexes: MatchingIndexes,
    query: np.ndarray,
    *,
    limit: int,
    query_language: str,
    query_kpis: Sequence[str],
) -> list[NeedMatch]:
    allowed = needs_repository.matchable_need_ids(session)
    hits = indexes.needs.search(query, limit, allowed_ids=allowed)
    needs = needs_repository.needs_by_id(session, [owner_id for owner_id, _ in hits])
    matches = []
    for owner_id, similarity in hits:
        need = needs.get(owner_id)
        if need is None:
            continue
        explanation = _explain(session, similarity, query_language, need.language, query_kpis, need.kpi_codes)
        matches.append(
            NeedMatch(need=NeedRead.model_validate(need), score=round(similarity, 4), explanation=explanation)
        )
    return matches


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
    similarity: float,
    query_language: str,
    result_language: str,
    query_kpis: Sequence[str],
    result_kpis: Sequence[str],
) -> Explanation:
    shared = [code for code in query_kpis if code in set(result_kpis)]
    kpis = kpis_by_code(session, shared)
    briefs = [
        KpiBrief(code=code, name_en=kpis[code].name_en, name_no=kpis[code].name_no)
        for code in shared
        if code in kpis
    ]
    summary = (
        f"Text similarity {similarity:.2f} between a {_LANGUAGE_NAMES.get(query_language, query_language)} "
        f"and a {_LANGUAGE_NAMES.get(result_language, result_language)} text"
    )
    if briefs:
        summary += "; both address " + ", ".join(f"{brief.code} {brief.name_en}" for brief in briefs)
    return Explanation(
        similarity=round(similarity, 4),
        shared_kpi_codes=shared,
        shared_kpis=briefs,
        language_pair=f"{query_language}->{result_language}",
        summary=summary + ".",
    )
