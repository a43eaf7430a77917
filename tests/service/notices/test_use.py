"""Notices as demand (issue 24, "Use"): a notice's need counts and is matched only before its tender
deadline, and answers carry the notice; on SQLite and PostgreSQL with the real encoder and indexes."""

from datetime import UTC, datetime

from sqlalchemy import select

from service.access import Principal
from service.matching import ranker
from service.matching.filters import MatchFilters, allowed_need_ids, need_restriction
from service.models import Need, ProcurementNotice
from service.needs.repository import open_needs_to_count
from service.needs.schemas import NeedFilters, NeedRead
from service.needs.service import list_needs
from service.notices.importer import import_documents
from tests.service.notices.conftest import Store, sample

STAFF = Principal(role="staff", actor="Test Staff")
BEFORE_DEADLINES = datetime(2019, 1, 1, tzinfo=UTC)
OPEN_CN = "cn_24_open.xml"  # Renfrewshire Council: inspection and testing of electrical equipment
OPEN_CN_ID = "c4c415ee-ac08-4465-8fa6-57568cf69462"
LATER_ID = "0b5e1a47-9c1e-4d6b-8d3f-5a1f2c3d4e5f"


def later_copy() -> tuple[str, bytes]:
    """cn_24_open with another notice id and its tender deadline moved to 2099 (edited bytes)."""
    name, data = sample(OPEN_CN)
    data = data.replace(OPEN_CN_ID.encode(), LATER_ID.encode())
    data = data.replace(
        b"<cbc:EndDate>2020-04-03+01:00</cbc:EndDate>", b"<cbc:EndDate>2099-04-03+01:00</cbc:EndDate>"
    )
    return "later_" + name, data


def import_all(store: Store, *documents: tuple[str, bytes], now: datetime = BEFORE_DEADLINES) -> None:
    with store.sessions() as session:
        report = import_documents(
            session=session, indexes=store.indexes, caller=STAFF, documents=documents, source="file", now=now
        )
    assert report.count("imported") == len(documents), report.summary()


def need_of(store: Store, notice_id: str) -> int:
    with store.sessions() as session:
        need_id = session.scalar(
            select(ProcurementNotice.need_id).where(ProcurementNotice.notice_id == notice_id)
        )
        assert need_id is not None
        return need_id


def test_an_open_notice_counts_as_demand_only_before_its_deadline(store: Store) -> None:
    # Imported in 2019, both needs say "open"; today the first one's deadline (2020) has passed.
    import_all(store, sample(OPEN_CN), later_copy())
    passed, later = need_of(store, OPEN_CN_ID), need_of(store, LATER_ID)
    with store.sessions() as session:
        assert {need.status for need in session.scalars(select(Need))} == {"open"}
        default = need_restriction(session, MatchFilters())
        assert passed in default.excluded and later not in default.excluded
        assert allowed_need_ids(session, MatchFilters(origin="notice")) == [later]
        assert allowed_need_ids(session, MatchFilters(status="open")) == [later]
        assert sorted(allowed_need_ids(session, MatchFilters(status="any"))) == sorted([passed, later])
        assert [need.id for need in open_needs_to_count(session, county_number=None)] == [later]
        found = ranker.rank_needs_for_text(
            session=session,
            indexes=store.indexes,
            text="In-service inspection and testing of electrical equipment in public buildings",
            language="en",
            limit=10,
        )
        assert [match.need.id for match in found] == [later]


def test_need_answers_carry_the_notice_and_the_origin_filter(store: Store) -> None:
    import_all(store, later_copy(), sample("can_24_minimal.xml"))
    later = need_of(store, LATER_ID)
    with store.sessions() as session:
        notice = session.scalars(
            select(ProcurementNotice).where(ProcurementNotice.notice_id == LATER_ID)
        ).one()
        need = session.get(Need, later)
        assert need is not None
        answer = NeedRead.model_validate(need)
        assert answer.origin == "notice" and answer.notice is not None
        assert answer.notice.kind == "cn" and answer.notice.label_no == "kunngjøring"
        assert answer.notice.buyer_name == "Renfrewshire Council"
        assert answer.notice.deadline == datetime(2099, 4, 3, 11, 0, tzinfo=UTC)
        assert not answer.notice.deadline_passed
        assert answer.notice.link == f"/api/v1/notices/{notice.id}"
        award = NeedRead.model_validate(
            session.get(Need, need_of(store, "65667997-031a-4198-bd25-7225449ef479"))
        )
        assert award.notice is not None and award.notice.winners == ["Espaces Verts Lemire"]

        manual = Need(
            title="Bedre skoleskyss", description="Elever venter lenge.", language="no", kpi_codes=[]
        )
        session.add(manual)
        session.commit()
        assert NeedRead.model_validate(manual).notice is None
        notices, total = list_needs(
            session=session, caller=STAFF, offset=0, limit=10, filters=NeedFilters(origin="notice")
        )
        assert total == 2 and {item.origin for item in notices} == {"notice"}
        manuals, _ = list_needs(
            session=session, caller=STAFF, offset=0, limit=10, filters=NeedFilters(origin="manual")
        )
        assert [item.id for item in manuals] == [manual.id]
