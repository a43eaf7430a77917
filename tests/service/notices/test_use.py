"""Notices as demand (issue 24, "Use"): a notice's need counts and is matched only before its tender
deadline, and answers carry the notice; on SQLite and PostgreSQL with the real encoder and indexes."""

import dataclasses
import re
from datetime import UTC, datetime

from sqlalchemy import select

from service.access import Principal
from service.demand.overview import DemandFilters, demand_overview
from service.matching import ranker
from service.matching.filters import MatchFilters, allowed_need_ids, need_restriction
from service.models import Need, ProcurementNotice
from service.needs.repository import open_needs_to_count
from service.needs.schemas import NeedFilters, NeedRead
from service.needs.service import list_needs
from service.notices.contracts import contracts_won
from service.notices.eforms import parse_notice
from service.notices.importer import import_documents, import_parsed
from service.notices.similar import similar_notices
from service.solutions import service as solutions_service
from service.solutions.schemas import SolutionCreate
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


NORWEGIAN_ID = "7d2c9e10-3f4a-4b5c-9d6e-1a2b3c4d5e6f"


def norwegian_copy() -> tuple[str, bytes]:
    """A Norwegian notice: cn_24_open (another id, deadline 2099) with its title and description replaced
    in the bytes by a Norwegian text on another subject, nursing beds. No sample notice is Norwegian."""
    _, data = later_copy()
    data = data.replace(LATER_ID.encode(), NORWEGIAN_ID.encode())
    data = data.replace(
        b'<cbc:Name languageID="ENG">Term Contract for a Planned Programme of In-service Inspection and '
        b"Testing of Electrical Equipment</cbc:Name>",
        b'<cbc:Name languageID="NOR">Levering av elektriske pleiesenger med trykkavlastende madrasser</cbc:Name>',
    )
    norwegian = (
        '<cbc:Description languageID="NOR">Kommunen skal kjøpe elektriske pleiesenger med sengehester og '
        "trykkavlastende madrasser og puter til hjemmetjenesten og sykehjemmene.</cbc:Description>"
    )
    data = re.sub(
        rb'<cbc:Description languageID="ENG">The purpose of this contract[^<]*</cbc:Description>',
        norwegian.encode(),
        data,
    )
    assert NORWEGIAN_ID.encode() in data and b"pleiesenger" in data
    return "norwegian_" + OPEN_CN, data


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


def test_similar_notices_from_any_buyer_say_who_bought_what(store: Store) -> None:
    import_all(store, later_copy(), sample("veat_24.xml"), sample("can_24_minimal.xml"))
    later = need_of(store, LATER_ID)
    with store.sessions() as session:
        beds = Need(
            title="Pleiesenger og madrasser til hjemmetjenesten",
            description="Hjemmetjenesten trenger elektriske senger og trykkavlastende madrasser og puter.",
            language="no",
            kpi_codes=[],
        )
        session.add(beds)
        session.commit()
        found = similar_notices(session=session, indexes=store.indexes, need_id=beds.id, caller=STAFF)
        # The award (a VEAT, closed) comes first, with who bought it, when and from whom.
        first = found[0]
        assert first.need.notice is not None and first.need.notice.kind == "veat"
        assert first.bought_en is not None and first.bought_no is not None
        assert first.bought_en.startswith("Middlesbrough Council bought this in 2020 from ")
        assert first.bought_no.startswith("Middlesbrough Council kjøpte dette i 2020 fra ")
        assert "Invacare Ltd" in first.bought_en and " og " in first.bought_no
        assert all(item.need.origin == "notice" for item in found)
        # A notice's own need is never among the notices like it.
        own = similar_notices(session=session, indexes=store.indexes, need_id=later, caller=STAFF)
        assert later not in [item.need.id for item in own]
        assert all(
            item.bought_en is None for item in own if item.need.notice and item.need.notice.kind == "cn"
        )


def test_award_notices_are_contracts_won_by_organisation_number(store: Store) -> None:
    import_all(store, sample("can_24_minimal.xml"), sample("can_24_maximal.xml"))
    with store.sessions() as session:
        won = contracts_won(session, "326912557")  # written "326 912 557" in the notice
        assert [(item.buyer_name, item.year, item.title[:24]) for item in won] == [
            ("Rouen Habitat", 2019, "Service d'entretien de r")
        ]
        assert won[0].link.startswith("/api/v1/notices/")
        assert [item.year for item in contracts_won(session, "928 374 653")] == [2023]
        assert contracts_won(session, "974760673") == []


def test_notices_are_found_across_languages(store: Store) -> None:
    import_all(store, later_copy(), norwegian_copy())
    english_notice, norwegian_notice = need_of(store, LATER_ID), need_of(store, NORWEGIAN_ID)
    solutions = {
        "no": SolutionCreate(
            title="Periodisk kontroll og testing av elektrisk utstyr",
            description="Vi kontrollerer og tester elektriske apparater og installasjoner i kommunale bygg "
            "etter en fast plan, med rapport for hvert apparat.",
            language="no",
        ),
        "en": SolutionCreate(
            title="Adjustable care beds and pressure relief mattresses",
            description="We supply adjustable care beds with side rails, pressure relief mattresses and seat "
            "cushions for home care services and nursing homes.",
            language="en",
        ),
    }
    with store.sessions() as session:
        best = {}
        for language, solution_in in solutions.items():
            written = solutions_service.create(
                session=session, indexes=store.indexes, solution_in=solution_in, caller=STAFF
            )
            found = ranker.rank_needs_for_solution(
                session=session, indexes=store.indexes, solution_id=written.id, limit=2
            )
            best[language] = found[0].need.id
    # The Norwegian solution finds the English notice, the English solution the Norwegian one.
    assert best == {"no": english_notice, "en": norwegian_notice}


def test_the_demand_overview_counts_open_notices_per_theme_and_county(store: Store) -> None:
    parsed = parse_notice(*reversed(sample(OPEN_CN)))
    bergen = dataclasses.replace(
        parsed,
        titles={"nb": "Energisparing i kommunale bygg"},
        descriptions={"nb": "Vi vil redusere energibruken i skoler og sykehjem med styring av varme og lys."},
        languages=("nb",),
        buyer=dataclasses.replace(parsed.buyer, name="Bergen kommune", organisation_number="964 338 531"),
        tender_deadline=datetime(2099, 1, 1, tzinfo=UTC),
    )
    # A buyer that is no municipality, its place in Vestland (NO0A2): counted in county 46 all the same.
    other_buyer = dataclasses.replace(bergen, notice_id="vestland", buyer=parsed.buyer, nuts=("NO0A2",))
    passed = dataclasses.replace(bergen, notice_id="passed", tender_deadline=datetime(2020, 1, 1, tzinfo=UTC))
    with store.sessions() as session:
        for number, notice in enumerate((bergen, other_buyer, passed)):
            outcome = import_parsed(
                session=session,
                indexes=store.indexes,
                caller=STAFF,
                notice=notice,
                name=f"{notice.notice_id}.xml",
                content_hash=str(number) * 64,
                source="file",
                source_url=None,
                now=BEFORE_DEADLINES,
            )
            assert outcome.outcome == "imported", outcome.message
        manual = Need(
            title="Bedre skoleskyss",
            description="Elever venter lenge.",
            language="no",
            kpi_codes=[],
            municipality_number="4601",
        )
        session.add(manual)
        session.commit()
        overview = demand_overview(session=session, filters=DemandFilters())
        assert (overview.open_needs, overview.notices) == (3, 2)
        vestland = next(county for county in overview.counties if county.number == "46")
        assert (vestland.needs, vestland.notices) == (3, 2)
        assert sum(theme.notices for theme in overview.themes) <= sum(
            theme.needs for theme in overview.themes
        )
        in_county = demand_overview(session=session, filters=DemandFilters(county="46"))
        assert (in_county.open_needs, in_county.notices) == (3, 2)
