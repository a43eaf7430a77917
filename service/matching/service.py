"""Matching for a caller: what the API and the pages call. Each function applies who may see what
(service.access) around the ranker, so that a page and an endpoint can never disagree."""

from sqlalchemy.orm import Session

from service.access import Principal, ensure_may_filter_unpublished
from service.indexing import Indexes
from service.matching import ranker
from service.matching.filters import MatchFilters
from service.matching.schemas import NeedMatch, SolutionMatch
from service.matching.scoring import Ranking
from service.needs.service import seen_by
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
) -> list[SolutionMatch]:
    """Published solutions for a need, best first; staff and admins may match drafts and archived ones."""
    filters = filters or MatchFilters()
    ensure_may_filter_unpublished(caller, filters.status)
    return ranker.rank_solutions_for_need(
        session=session, indexes=indexes, need_id=need_id, limit=limit, filters=filters, ranking=ranking
    )


def match_solution(
    *,
    session: Session,
    indexes: Indexes,
    solution_id: int,
    limit: int,
    caller: Principal,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
) -> list[NeedMatch]:
    """Needs a solution the caller may see answers, best first, as the caller may see them."""
    solutions_service.get_visible(session=session, solution_id=solution_id, caller=caller)
    matches = ranker.rank_needs_for_solution(
        session=session,
        indexes=indexes,
        solution_id=solution_id,
        limit=limit,
        filters=filters,
        ranking=ranking,
    )
    return _as_seen_by(matches, caller)


def search_solutions(
    *,
    session: Session,
    indexes: Indexes,
    text: str,
    limit: int,
    caller: Principal,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
) -> list[SolutionMatch]:
    filters = filters or MatchFilters()
    ensure_may_filter_unpublished(caller, filters.status)
    return ranker.rank_solutions_for_text(
        session=session, indexes=indexes, text=text, limit=limit, filters=filters, ranking=ranking
    )


def search_needs(
    *,
    session: Session,
    indexes: Indexes,
    text: str,
    limit: int,
    caller: Principal,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
) -> list[NeedMatch]:
    matches = ranker.rank_needs_for_text(
        session=session, indexes=indexes, text=text, limit=limit, filters=filters, ranking=ranking
    )
    return _as_seen_by(matches, caller)


def _as_seen_by(matches: list[NeedMatch], caller: Principal) -> list[NeedMatch]:
    return [match.model_copy(update={"need": seen_by(match.need, caller)}) for match in matches]
