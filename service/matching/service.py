"""Matching: needs to solutions and back, and ad-hoc text search, each with an explanation."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from sqlalchemy.orm import Session

from service.kpis.repository import kpis_by_code
from service.language import detect_language
from service.matching import repository
from service.matching.feedback import FEEDBACK_LIFT, POSITIVE_VERDICTS, latest_verdicts
from service.matching.filters import MatchFilters, allowed_need_ids, allowed_solution_ids
from service.matching.indexes import MatchingIndexes
from service.matching.record_index import RecordIndex
from service.matching.schemas import Explanation, KpiBrief, NeedMatch, SolutionMatch
from service.matching.scoring import candidate_count, kpi_bonus
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
    verdicts: dict[int, str] = field(default_factory=dict)  # officers' latest verdict per solution


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
    vector = _stored_vector(session, indexes.needs, need.id)
    query = MatchQuery("need", vector, need.language, need.kpi_codes, latest_verdicts(session, need.id))
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
    rejected = {solution_id for solution_id, verdict in query.verdicts.items() if verdict == "not_useful"}
    allowed = [
        solution_id for solution_id in allowed_solution_ids(session, filters) if solution_id not in rejected
    ]
    hits = indexes.solutions.search(query.vector, _candidates(query, limit), allowed_ids=allowed)
    solutions = solutions_repository.solutions_by_id(session, [owner_id for owner_id, _ in hits])
    scored = _rescore(query, [(solutions[owner_id], sim) for owner_id, sim in hits if owner_id in solutions])
    return [
        SolutionMatch(
            solution=SolutionRead.model_validate(solution),
            score=round(sum(parts.values()), 4),
            explanation=_explain(session, query, parts, "solution", solution),
        )
        for solution, parts in scored[:limit]
    ]


def _needs_for(
    session: Session, indexes: MatchingIndexes, query: MatchQuery, limit: int, filters: MatchFilters
) -> list[NeedMatch]:
    allowed = allowed_need_ids(session, filters)
    hits = indexes.needs.search(query.vector, _candidates(query, limit), allowed_ids=allowed)
    needs = needs_repository.needs_by_id(session, [owner_id for owner_id, _ in hits])
    scored = _rescore(query, [(needs[owner_id], sim) for owner_id, sim in hits if owner_id in needs])
    return [
        NeedMatch(
            need=NeedRead.model_validate(need),
            score=round(sum(parts.values()), 4),
            explanation=_explain(session, query, parts, "need", need),
        )
        for need, parts in scored[:limit]
    ]


def _candidates(query: MatchQuery, limit: int) -> int:
    # Without KPIs or feedback the dense order is final; with them, more candidates compete for the top.
    return candidate_count(limit) if query.kpi_codes or query.verdicts else limit


RecordT = TypeVar("RecordT", Need, Solution)


def _rescore(query: MatchQuery, hits: list[tuple[RecordT, float]]) -> list[tuple[RecordT, dict[str, float]]]:
    """Each record with its score's parts (similarity, shared KPIs, feedback), best total first."""
    scored = []
    for record, similarity in hits:
        parts = {
            "similarity": similarity,
            "shared_kpis": kpi_bonus(query.kpi_codes, record.kpi_codes),
        }
        if isinstance(record, Solution) and query.verdicts.get(record.id) in POSITIVE_VERDICTS:
            parts["feedback"] = FEEDBACK_LIFT
        scored.append((record, parts))
    return sorted(scored, key=lambda item: -sum(item[1].values()))


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
    session: Session, query: MatchQuery, parts: dict[str, float], result_kind: str, result: Need | Solution
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
        f"Text similarity {parts['similarity']:.2f} between the {query_side} "
        f"({_LANGUAGE_NAMES.get(query.language, query.language)}) and the {result_kind} "
        f"({_LANGUAGE_NAMES.get(result.language, result.language)})"
    )
    if briefs:
        summary += f"; +{parts['shared_kpis']:.2f} because both address " + ", ".join(
            f"{brief.code} {brief.name_en}" for brief in briefs
        )
    if "feedback" in parts:
        summary += f"; +{parts['feedback']:.2f} because an officer marked it {query.verdicts[result.id]}"
    return Explanation(
        similarity=round(parts["similarity"], 4),
        contributions={name: round(value, 4) for name, value in parts.items()},
        shared_kpi_codes=shared,
        shared_kpis=briefs,
        language_pair=f"{query.language}->{result.language}",
        summary=summary + ".",
    )
