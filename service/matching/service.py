"""Matching for a caller: what the API and the pages call. Each function applies who may see what
(service.access) around the ranker, so that a page and an endpoint can never disagree."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from service.access import Principal, ensure_may_filter_unpublished
from service.audit.service import record_view
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

ALL = slice(None)  # every rank the ranker gave


def match_need(
    *,
    session: Session,
    indexes: Indexes,
    need_id: int,
    limit: int,
    caller: Principal,
    filters: MatchFilters | None = None,
    ranking: Ranking = "hybrid",
    shown: slice = ALL,
) -> SolutionMatches:
    """Published solutions for a need, best first; staff and admins may match drafts and archived ones.

    The caller's view of the ranks `shown` (a page's window; all by default) is in the audit trail: which
    suppliers' solutions were shown for the need, to whom, when (issue 21, equal treatment)."""
    filters = filters or MatchFilters()
    ensure_may_filter_unpublished(caller, filters.status)
    need = needs_service.get(session=session, need_id=need_id)
    matches = ranker.rank_solutions_for_need(
        session=session, indexes=indexes, need_id=need_id, limit=limit, filters=filters, ranking=ranking
    )
    warnings = no_good_match_warnings(_first_score(matches), "need", ranking, "solution")
    seen = matches[shown]
    record_view(
        session,
        viewer=caller,
        subject_kind="need_matches",
        subject_id=need_id,
        detail={
            "need_id": need_id,
            "offset": _first_rank(shown),
            # Rank by rank: the supplier of each solution shown (a supplier may appear more than once).
            "solution_ids": [match.solution.id for match in seen],
            "supplier_ids": [match.solution.supplier_id for match in seen],
        },
    )
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
    shown: slice = ALL,
) -> NeedMatches:
    """Needs a solution the caller may see answers, best first, as the caller may see them; the view of
    the ranks `shown` is in the audit trail, as match_need's."""
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
    record_view(
        session,
        viewer=caller,
        subject_kind="solution_matches",
        subject_id=solution_id,
        detail={
            "solution_id": solution_id,
            "supplier_id": solution.supplier_id,
            "offset": _first_rank(shown),
            "need_ids": [match.need.id for match in matches[shown]],
        },
    )
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
    shown: slice = ALL,
) -> SolutionMatches:
    """Solutions for free text (with letters: a validated search text), best first; a text in a language
    Innomatch does not serve is searched all the same, with a warning. The view of the ranks `shown` is in
    the audit trail as match_need's, without the text: it may name people, and the trail keeps forever."""
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
    seen = matches[shown]
    record_view(
        session,
        viewer=caller,
        subject_kind="solution_search",
        subject_id="",
        detail={
            "offset": _first_rank(shown),
            "solution_ids": [match.solution.id for match in seen],
            "supplier_ids": [match.solution.supplier_id for match in seen],
        },
    )
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
    shown: slice = ALL,
) -> NeedMatches:
    """Needs for free text, as search_solutions (the view recorded without the text); each as the caller
    may see it."""
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
    record_view(
        session,
        viewer=caller,
        subject_kind="need_search",
        subject_id="",
        detail={"offset": _first_rank(shown), "need_ids": [match.need.id for match in matches[shown]]},
    )
    return NeedMatches(items=_as_seen_by(matches, caller), warnings=warnings + search_warnings(language))


def _first_rank(shown: slice) -> int:
    """How many ranks come before the first one shown (0: from the best)."""
    return shown.start or 0


def _first_score(matches: Sequence[SolutionMatch] | Sequence[NeedMatch]) -> float | None:
    return matches[0].score if matches else None


def _as_seen_by(matches: list[NeedMatch], caller: Principal) -> list[NeedMatch]:
    return [match.model_copy(update={"need": needs_service.seen_by(match.need, caller)}) for match in matches]
