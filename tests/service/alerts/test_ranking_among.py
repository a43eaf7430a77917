"""An alert ranks a saved search's new records among themselves only, yet scores each as the matches
endpoint would among every record: real encoder, the demo data, both directions and a text."""

from sqlalchemy import select

from embeddings import Encoder
from service.matching import ranker
from service.models import Need
from tests.service.alerts.conftest import Demo


def test_solutions_ranked_among_a_few_score_as_among_all(demo: Demo) -> None:
    sessions, indexes = demo
    with sessions() as session:
        need_id = session.scalars(select(Need.id).where(Need.status == "open").order_by(Need.id)).first()
        assert need_id is not None
        full = ranker.rank_solutions_for_need(session=session, indexes=indexes, need_id=need_id, limit=30)
        picked = {match.solution.id: match.score for match in full[4:9]}
        few = ranker.rank_solutions_for_need(
            session=session, indexes=indexes, need_id=need_id, limit=len(picked), among=list(picked)
        )
    assert len(picked) == 5
    assert {match.solution.id: match.score for match in few} == picked


def test_needs_ranked_among_a_few_score_as_among_all(demo: Demo) -> None:
    sessions, indexes = demo
    with sessions() as session:
        solution_id = int(indexes.solutions.ids()[0])
        full = ranker.rank_needs_for_solution(
            session=session, indexes=indexes, solution_id=solution_id, limit=30
        )
        picked = {match.need.id: match.score for match in full[2:6]}
        few = ranker.rank_needs_for_solution(
            session=session, indexes=indexes, solution_id=solution_id, limit=len(picked), among=list(picked)
        )
    assert len(picked) == 4
    assert {match.need.id: match.score for match in few} == picked


def test_a_text_encoded_before_scores_as_encoded_now(demo: Demo, encoder: Encoder) -> None:
    sessions, indexes = demo
    text = "lekkasjer i vannledningsnettet gir stort vanntap"
    with sessions() as session:
        full = ranker.rank_solutions_for_text(
            session=session, indexes=indexes, text=text, language="no", limit=20
        )
        picked = {match.solution.id: match.score for match in full[1:4]}
        few = ranker.rank_solutions_for_text(
            session=session,
            indexes=indexes,
            text=text,
            language="no",
            limit=len(picked),
            among=list(picked),
            raw_vector=encoder.encode_passages([text])[0],
        )
    assert {match.solution.id: match.score for match in few} == picked
