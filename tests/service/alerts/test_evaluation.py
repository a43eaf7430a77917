"""Evaluating saved searches on the demo data with a real encoder: a new record that matches is found
once, scored as the matches endpoint scores it; an edit is not new again; a paused search and a
record below the band find nothing; a staff topic finds new needs by filter; a text finds solutions."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.access import Principal
from service.alerts import service as alerts
from service.alerts.evaluation import PREFILTER_COSINE, evaluate
from service.alerts.schemas import SavedSearchFields
from service.buyer_groups import service as buyer_groups
from service.matching import ranker
from service.models import AlertMatch, Solution
from service.needs import service as needs
from service.needs.schemas import NeedCreate, NeedUpdate
from service.solutions import service as solutions
from service.solutions.schemas import SolutionCreate
from service.tokens import service as tokens
from service.tokens.schemas import TokenCreate
from tests.service.alerts.conftest import Demo

STAFF = Principal(role="staff", actor="test staff")


def _owner(session: Session, role: str, **binding: object) -> Principal:
    """A caller with a token of its own, as an integration calls."""
    made = tokens.create(
        session=session, token_in=TokenCreate(name=f"alerts {role}", role=role, **binding), created_by="test"
    )  # type: ignore[arg-type]
    return Principal(role=role, actor=f"alerts {role}", token_id=made.id, **binding)  # type: ignore[arg-type]


def _found(session: Session, search_id: int) -> dict[str, AlertMatch]:
    rows = session.scalars(select(AlertMatch).where(AlertMatch.saved_search_id == search_id))
    return {row.record_id: row for row in rows}


def test_a_new_need_is_found_once_for_a_solution_and_scored_as_the_endpoint_scores_it(demo: Demo) -> None:
    sessions, indexes = demo
    with sessions() as session:
        solution = session.scalars(
            select(Solution).where(Solution.status == "published").order_by(Solution.id)
        ).first()
        assert solution is not None and solution.supplier_id is not None
        supplier = _owner(session, "supplier", supplier_id=solution.supplier_id)
        fields = SavedSearchFields(
            name="Behov for min løsning",
            kind="needs_for_solution",
            solution_id=solution.id,
            min_band="moderate",
        )
        search = alerts.create(session=session, indexes=indexes, fields=fields, caller=supplier)
        paused = alerts.create(
            session=session,
            indexes=indexes,
            fields=fields.model_copy(update={"paused": True}),
            caller=supplier,
        )
        assert evaluate(session, indexes).found == 0, "what existed before the search is not new"

        fitting = needs.create(
            session=session,
            indexes=indexes,
            need_in=NeedCreate(
                title=solution.title, description=solution.description, municipality_number="4601"
            ),
            caller=STAFF,
        )
        unrelated = needs.create(
            session=session,
            indexes=indexes,
            need_in=NeedCreate(
                title="Brøyting av kommunale veier",
                description="Vi trenger bedre planlegging av snøbrøyting og strøing på kommunale veier om vinteren.",
                municipality_number="4601",
            ),
            caller=STAFF,
        )
        report = evaluate(session, indexes)
        found = _found(session, search.id)
        assert report.found >= 1 and str(fitting.id) in found and str(unrelated.id) not in found
        endpoint = ranker.rank_needs_for_solution(
            session=session, indexes=indexes, solution_id=solution.id, limit=100
        )
        [same] = [match for match in endpoint if match.need.id == fitting.id]
        match = found[str(fitting.id)]
        assert (match.score, match.title, match.reason_no) == (
            same.score,
            fitting.title,
            same.explanation.summary_no,
        )
        assert match.band in ("moderate", "strong") and match.notified_at is None
        assert _found(session, paused.id) == {}, "a paused search finds nothing"

        assert evaluate(session, indexes).found == 0, "nothing new since"
        needs.update(
            session=session,
            indexes=indexes,
            need_id=fitting.id,
            need_in=NeedUpdate(title=fitting.title + " (revidert)"),
            caller=STAFF,
        )
        assert evaluate(session, indexes).found == 0, "an edited need is not new again"
        assert list(_found(session, search.id)) == list(found)


def test_staff_find_new_needs_on_their_topic_and_a_text_finds_new_solutions(demo: Demo) -> None:
    sessions, indexes = demo
    with sessions() as session:
        staff = _owner(session, "staff")
        topic = alerts.create(
            session=session,
            indexes=indexes,
            fields=SavedSearchFields(name="Nye behov i Vestland", kind="new_needs", filters={"county": "46"}),
            caller=staff,
        )
        text = alerts.create(
            session=session,
            indexes=indexes,
            fields=SavedSearchFields(
                name="Lekkasjesøk",
                kind="solutions_for_text",
                text="finne lekkasjer i vannledninger",
                min_band="weak",
            ),
            caller=staff,
        )
        groups = alerts.create(
            session=session,
            indexes=indexes,
            fields=SavedSearchFields(name="Nye kjøpergrupper", kind="new_buyer_groups"),
            caller=staff,
        )
        description = "Et system som finner vannlekkasjer i ledningsnettet og reduserer vanntapet."
        in_vestland = needs.create(
            session=session,
            indexes=indexes,
            need_in=NeedCreate(title="Vanntap i Bergen", description=description, municipality_number="4601"),
            caller=STAFF,
        )
        elsewhere = needs.create(
            session=session,
            indexes=indexes,
            need_in=NeedCreate(title="Vanntap i Oslo", description=description, municipality_number="0301"),
            caller=STAFF,
        )
        supplier_id = session.scalars(
            select(Solution.supplier_id).where(Solution.supplier_id.is_not(None))
        ).first()
        leak = solutions.create(
            session=session,
            indexes=indexes,
            solution_in=SolutionCreate(
                title="Lyttelogger for lekkasjesøk",
                description="Akustiske loggere finner lekkasjer i vannledninger før de blir brudd.",
                supplier_id=supplier_id,
            ),
            caller=Principal(role="admin", actor="test admin"),
        )
        report = evaluate(session, indexes)
        assert report.horizon == topic.watermark == text.watermark == groups.watermark
        topical = _found(session, topic.id)
        assert str(in_vestland.id) in topical and str(elsewhere.id) not in topical
        assert topical[str(in_vestland.id)].score is None, "a topic has no score, only new needs"
        assert str(leak.id) in _found(session, text.id)
        now = {group.key: group for group in buyer_groups.current_groups(session=session, indexes=indexes)}
        grouped = _found(session, groups.id)
        assert grouped, "two municipalities writing the same need form a buyer group"
        for key, match in grouped.items():
            members = {need.id for need in now[key].needs}
            assert members & {in_vestland.id, elsewhere.id}, "only groups a new need helped form"
            assert match.record_kind == "buyer_group" and match.score is None
            assert match.reason_no.startswith(f"{len(now[key].municipalities)} kommuner med samme behov")
        needs.update(
            session=session,
            indexes=indexes,
            need_id=in_vestland.id,
            need_in=NeedUpdate(title="Vanntap i Bergen (revidert)"),
            caller=STAFF,
        )
        evaluate(session, indexes)
        assert _found(session, groups.id) == grouped, "a group whose needs stay the same is not new again"


def test_a_new_need_sharing_the_solutions_kpi_is_weighed_though_its_text_is_far(demo: Demo) -> None:
    """A shared chosen KPI lifts a pair the texts alone would leave out of the candidates."""
    sessions, indexes = demo
    with sessions() as session:
        solution = session.scalars(
            select(Solution)
            .where(Solution.status == "published", Solution.kpi_codes != "[]")
            .order_by(Solution.id)
        ).first()
        assert solution is not None and solution.kpi_codes
        owner = _owner(session, "staff")
        search = alerts.create(
            session=session,
            indexes=indexes,
            fields=SavedSearchFields(
                name="KPI", kind="needs_for_solution", solution_id=solution.id, min_band="weak"
            ),
            caller=owner,
        )
        far = needs.create(
            session=session,
            indexes=indexes,
            need_in=NeedCreate(
                title="Kantinemat i rådhuset",
                description="Ansatte ønsker flere vegetarretter og lengre åpningstid i kantina i rådhuset.",
                municipality_number="1804",
                kpi_codes=solution.kpi_codes,
            ),
            caller=STAFF,
        )
        cosine = float(indexes.needs.query_vector(far.id) @ indexes.solutions.query_vector(solution.id))
        evaluate(session, indexes)
        found = _found(session, search.id)
    assert cosine < PREFILTER_COSINE, "the texts alone would not make it a candidate"
    assert str(far.id) in found, f"found only {list(found)}"
