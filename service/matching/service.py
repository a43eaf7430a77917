"""Matching for a caller: what the API and the pages call. Each function applies who may see what
(service.access) around the ranker, so that a page and an endpoint can never disagree."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from service.access import Principal, ensure_may_filter_unpublished
from service.indexing import Indexes
from service.language import detect_language
from service.matching import ranker
from service.matching.confidence import no_good_match_warnings
from service.matching.filters import MatchFilters
from service.matching.schemas import NeedMatch, NeedMatches, SolutionMatch, SolutionMatches
from service.matching.scoring import Ranking
from service.needs import service as needs_service
from service.response_warnings import match_warnings, search_warnings
from service.solutions import service as solutions_service


def match_need(
    *,
    session: Session,
    indexes: Indexes,
    need_id: int,
    limit: int,
    caller: Principal,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
) -> SolutionMatches:
    """Published solutions for a need, best first; staff and admins may match drafts and archived ones."""
    filters = filters or MatchFilters()
    ensure_may_filter_unpublished(caller, filters.status)
    need = needs_service.get(session=session, need_id=need_id)
    matches = ranker.rank_solutions_for_need(
        session=session, indexes=indexes, need_id=need_id, limit=limit, filters=filters, ranking=ranking
    )
    warnings = no_good_match_warnings(_first_score(matches), "need", ranking, "solution")
    return SolutionMatches(items=matches, warnings=warnings + match_warnings("need", need.language))


def match_solution(
    *,
    session: Session,
    indexes: Indexes,
    solution_id: int,
    limit: int,
    caller: Principal,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
) -> NeedMatches:
    """Needs a solution the caller may see answers, best first, as the caller may see them."""
    solution = solutions_service.get_visible(session=session, solution_id=solution_id, caller=caller)
    matches = ranker.rank_needs_for_solution(
        session=session,
        indexes=indexes,
        solution_id=solution_id,
        limit=limit,
        filters=filters,
        ranking=ranking,
    )
    warnings = no_good_match_warnings(_first_score(matches), "solution", ranking, "need")
    return NeedMatches(
        items=_as_seen_by(matches, caller),
        warnings=warnings + match_warnings("solution", solution.language),
    )


def search_solutions(
    *,
    session: Session,
    indexes: Indexes,
    text: str,
    limit: int,
    caller: Principal,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
) -> SolutionMatches:
    """Solutions for free text (with letters: a validated search text), best first; a text in a language
    Innomatch does not serve is searched all the same, with a warning."""
    filters = filters or MatchFilters()
    ensure_may_filter_unpublished(caller, filters.status)
    language = detect_language(text)
    matches = ranker.rank_solutions_for_text(
        session=session,
        indexes=indexes,
        text=text,
        language=language,
        limit=limit,
        filters=filters,
        ranking=ranking,
    )
    warnings = no_good_match_warnings(_first_score(matches), "text", ranking, "solution")
    return SolutionMatches(items=matches, warnings=warnings + search_warnings(language))


def search_needs(
    *,
    session: Session,
    indexes: Indexes,
    text: str,
    limit: int,
    caller: Principal,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
) -> NeedMatches:
    """Needs for free text, as search_solutions; each as the caller may see it."""
    language = detect_language(text)
    matches = ranker.rank_needs_for_text(
        session=session,
        indexes=indexes,
        text=text,
        language=language,
        limit=limit,
        filters=filters,
        ranking=ranking,
    )
    warnings = no_good_match_warnings(_first_score(matches), "text", ranking, "need")
    return NeedMatches(items=_as_seen_by(matches, caller), warnings=warnings + search_warnings(language))


def _first_score(matches: Sequence[SolutionMatch] | Sequence[NeedMatch]) -> float | None:
    return matches[0].score if matches else None


def _as_seen_by(matches: list[NeedMatch], caller: Principal) -> list[NeedMatch]:
    return [match.model_copy(update={"need": needs_service.seen_by(match.need, caller)}) for match in matches]
