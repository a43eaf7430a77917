"""Every write of a need that changes its public content records a release in the same transaction, on
SQLite and PostgreSQL; earlier releases stay as they were; the releases validate."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.db import make_engine, make_session_factory
from service.models import Need, NeedRelease, ProcurementNotice
from service.ocds import service
from service.ocds.package import release_package
from service.ocds.validation import package_errors
from tests.service.ocds.support import PUBLICATION
from tests.support.records import LEAK_NEED, WATER_LOSS


def _releases(sessions: sessionmaker[Session], need_id: int) -> list[NeedRelease]:
    with sessions() as session:
        return list(
            session.scalars(
                select(NeedRelease).where(NeedRelease.need_id == need_id).order_by(NeedRelease.id)
            )
        )


def _need(**fields: object) -> Need:
    return Need(
        **{
            **LEAK_NEED,
            "municipality_number": "1804",
            "language": "no",
            "contact_name": "Ola Nordmann",
            "contact_email": "ola@bodo.kommune.no",
            **fields,
        }
    )


def test_a_changed_need_is_a_new_release_and_the_old_one_stays(database_url: str) -> None:
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        need = _need(cpv_codes=["38421100"])
        session.add(need)
        session.flush()
        need_id = need.id
    (first,) = _releases(sessions, need_id)
    assert first.snapshot["title"] == LEAK_NEED["title"] and first.snapshot["status"] == "open"
    assert first.snapshot["buyer"] == {"number": "1804", "name": "Bodø", "organisation_number": "972418013"}
    assert "ola" not in str(first.snapshot).lower()  # no contact person in what is published

    with sessions.begin() as session:  # contact data and our own suggestions are not public content
        changed = session.get(Need, need_id)
        assert changed is not None
        changed.contact_email = "kari@bodo.kommune.no"
        changed.suggested_kpis = [{"code": WATER_LOSS, "confidence": 0.9}]
    assert len(_releases(sessions, need_id)) == 1

    with sessions.begin() as session:
        changed = session.get(Need, need_id)
        assert changed is not None
        changed.title = "Vanntap og lekkasjer i ledningsnettet"
    with sessions.begin() as session:
        changed = session.get(Need, need_id)
        assert changed is not None
        changed.status = "closed"
    with sessions() as session:  # a write rolled back leaves no release behind
        changed = session.get(Need, need_id)
        assert changed is not None
        changed.title = "Aldri lagret"
        session.flush()
        session.rollback()

    releases = _releases(sessions, need_id)
    assert [release.snapshot["title"] for release in releases] == [
        LEAK_NEED["title"],
        "Vanntap og lekkasjer i ledningsnettet",
        "Vanntap og lekkasjer i ledningsnettet",
    ]
    assert releases[0].snapshot == first.snapshot and releases[0].content_hash == first.content_hash
    assert releases[0].recorded_at == first.recorded_at

    with sessions() as session:
        published = service.releases_of_need(session=session, publication=PUBLICATION, need_id=need_id)
    assert [release["tag"] for release in published] == [["planning"], ["planningUpdate"], ["planningUpdate"]]
    assert [release["tender"]["status"] for release in published] == ["planning", "planning", "withdrawn"]
    assert len({release["id"] for release in published}) == 3
    assert {release["ocid"] for release in published} == {f"ocds-test00-need-{need_id}"}
    package = release_package(
        published, uri="http://innomatch.test/x", next_uri=None, publication=PUBLICATION
    )
    assert package_errors(package) == []

    with sessions.begin() as session:  # a deleted need is no longer published, nor its history
        session.delete(session.get(Need, need_id))
    assert _releases(sessions, need_id) == []
    engine.dispose()


def test_a_need_from_a_notice_links_the_notice_in_its_first_release(database_url: str) -> None:
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    with (
        sessions.begin() as session
    ):  # as the notice importer writes one: the notice linked in the same flush
        need = _need(origin="notice")
        notice = ProcurementNotice(
            notice_id="0f1e2d3c-notice",
            version="01",
            kind="cn",
            notice_type="cn-standard",
            subtype="16",
            publication_date=datetime(2026, 1, 5, tzinfo=UTC).date(),
            buyer_name="Bodø kommune",
            languages=["NOR"],
            titles={"NOR": "Lekkasjesøk"},
            descriptions={"NOR": "Lekkasjesøk i vannledningsnettet."},
            main_cpv=["38421100"],
            additional_cpv=[],
            nuts=[],
            lots=[],
            awards=[],
            source="file",
            source_url="https://doffin.no/notices/2026-000001",
            content_hash="0" * 64,
        )
        notice.need = need
        session.add_all([need, notice])
        session.flush()
        need_id = need.id
    (release,) = _releases(sessions, need_id)
    assert release.snapshot["notice"] == {
        "notice_id": "0f1e2d3c-notice",
        "source_url": "https://doffin.no/notices/2026-000001",
    }
    engine.dispose()


def test_the_package_pages_releases_between_since_and_until(database_url: str) -> None:
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        needs = [_need(title=f"Behov {number}") for number in range(3)]
        session.add_all(needs)
    with sessions.begin() as session:  # spread the releases out in time, as writes over days would
        rows = list(session.scalars(select(NeedRelease).order_by(NeedRelease.id)))
        start = datetime(2026, 3, 1, tzinfo=UTC)
        for day, row in enumerate(rows):
            row.recorded_at = start + timedelta(days=day)
    with sessions() as session:
        everything = service.need_releases(
            session=session, publication=PUBLICATION, since=None, until=None, offset=0, limit=50
        )
        assert everything.total == 3
        middle = service.need_releases(
            session=session,
            publication=PUBLICATION,
            since=start + timedelta(days=1),
            until=datetime(2026, 3, 3),  # no zone: read as UTC; the end is exclusive
            offset=0,
            limit=50,
        )
        assert [release["date"] for release in middle.releases] == ["2026-03-02T00:00:00.000000Z"]
        second_page = service.need_releases(
            session=session, publication=PUBLICATION, since=start, until=None, offset=2, limit=2
        )
        assert second_page.total == 3 and len(second_page.releases) == 1
    engine.dispose()


def test_a_need_in_a_status_outside_the_published_ones_is_never_released(database_url: str) -> None:
    """Needs have no draft today; should one come (or a status be written by hand), it stays unpublished."""
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        draft = _need(status="draft")
        session.add(draft)
        session.flush()
        draft_id = draft.id
    assert _releases(sessions, draft_id) == []
    with sessions() as session:
        assert (
            service.need_releases(
                session=session, publication=PUBLICATION, since=None, until=None, offset=0, limit=50
            ).releases
            == []
        )
    engine.dispose()
