"""HTTP layer for matches, ad-hoc search and feedback."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from service.auth import CallerDep, NeedWriterDep
from service.deps import IndexesDep, SessionDep
from service.matching import feedback, service
from service.matching.feedback import FeedbackCreate, FeedbackRead
from service.matching.filters import MatchFilters
from service.matching.schemas import MAX_MATCHES, NeedMatches, SearchQuery, SolutionMatches
from service.matching.scoring import Ranking
from service.text_fields import RecordId

router = APIRouter(prefix="/api/v1", tags=["matching"])
Limit = Annotated[int, Query(ge=1, le=MAX_MATCHES, description="How many matches, best first.")]
FiltersDep = Annotated[MatchFilters, Query()]  # the filters as query parameters, validated like the body's
RankingParam = Annotated[
    Ranking, Query(description="hybrid (the product's ranking), or one signal alone: dense, lexical, rrf.")
]


@router.get("/needs/{need_id}/matches", response_model=SolutionMatches)
def match_need(
    session: SessionDep,
    indexes: IndexesDep,
    caller: CallerDep,
    filters: FiltersDep,
    need_id: RecordId,
    limit: Limit = 10,
    ranking: RankingParam = "hybrid",
) -> SolutionMatches:
    """Published solutions for a need, best first, each with its score and explanation; optional filters."""
    return service.match_need(
        session=session,
        indexes=indexes,
        need_id=need_id,
        limit=limit,
        caller=caller,
        filters=filters,
        ranking=ranking,
    )


@router.get("/solutions/{solution_id}/matches", response_model=NeedMatches)
def match_solution(
    session: SessionDep,
    indexes: IndexesDep,
    caller: CallerDep,
    filters: FiltersDep,
    solution_id: RecordId,
    limit: Limit = 10,
    ranking: RankingParam = "hybrid",
) -> NeedMatches:
    """Needs (not closed unless filtered by status) that a solution answers, best first: where the demand is."""
    return service.match_solution(
        session=session,
        indexes=indexes,
        solution_id=solution_id,
        limit=limit,
        caller=caller,
        filters=filters,
        ranking=ranking,
    )


@router.post("/search/solutions", response_model=SolutionMatches)
def search_solutions(
    session: SessionDep, indexes: IndexesDep, caller: CallerDep, search: SearchQuery
) -> SolutionMatches:
    """Solutions for free text in Norwegian or English, with optional filters; text in another language
    is searched with a warning."""
    return service.search_solutions(
        session=session,
        indexes=indexes,
        text=search.query,
        limit=search.limit,
        caller=caller,
        filters=search.filters,
        ranking=search.ranking,
    )


@router.post("/search/needs", response_model=NeedMatches)
def search_needs(
    session: SessionDep, indexes: IndexesDep, caller: CallerDep, search: SearchQuery
) -> NeedMatches:
    """Needs for free text in Norwegian or English, with optional filters; text in another language is
    searched with a warning."""
    return service.search_needs(
        session=session,
        indexes=indexes,
        text=search.query,
        limit=search.limit,
        caller=caller,
        filters=search.filters,
        ranking=search.ranking,
    )


@router.post("/needs/{need_id}/feedback", response_model=FeedbackRead, status_code=status.HTTP_201_CREATED)
def give_feedback(
    session: SessionDep, writer: NeedWriterDep, need_id: RecordId, feedback_in: FeedbackCreate
) -> FeedbackRead:
    """Mark a solution useful, not_useful, contacted or piloted for this need; the next ranking follows it.
    An officer gives feedback on the needs of its own municipality."""
    return FeedbackRead.model_validate(
        feedback.record(session=session, need_id=need_id, feedback_in=feedback_in, caller=writer)
    )


@router.get("/needs/{need_id}/feedback", response_model=list[FeedbackRead])
def feedback_history(session: SessionDep, reader: NeedWriterDep, need_id: RecordId) -> list[FeedbackRead]:
    """Every verdict on this need's matches, oldest first, with who gave it and when: for admins,
    programme staff and the officers of the need's municipality."""
    return [
        FeedbackRead.model_validate(item)
        for item in feedback.history(session=session, need_id=need_id, caller=reader)
    ]
