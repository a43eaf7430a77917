"""A partnership that reached pilot records a release with each public change, in the write's own
transaction, on SQLite and PostgreSQL: pilot, a new lead, scaled and stopped are four releases, the first
unchanged; a note or a change of nothing public records none; a partnership never at pilot has none."""

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.db import make_engine, make_session_factory
from service.errors import NotFoundError
from service.models import Need, Partnership, PartnershipRelease, Solution, Supplier
from service.ocds import service
from service.ocds.package import release_package
from service.ocds.validation import package_errors
from service.partnerships import service as partnerships
from service.partnerships.schemas import PartnershipUpdate
from tests.service.ocds.support import PUBLICATION
from tests.support.records import LEAK_NEED, LEAK_SOLUTION

SOLUTION = {
    **LEAK_SOLUTION,
    "language": "no",
    "sdgs": [],
    "cpv_codes": [],
    "regions_served": [],
    "reference_municipalities": [],
}
NOTE = "Hemmelig notat: leverandøren ringte Kari Nordmann"


def _releases(sessions: sessionmaker[Session], partnership_id: int) -> list[PartnershipRelease]:
    with sessions() as session:
        return list(
            session.scalars(
                select(PartnershipRelease)
                .where(PartnershipRelease.partnership_id == partnership_id)
                .order_by(PartnershipRelease.id)
            )
        )


def _partnership(session: Session, organisation_number: str = "974760673") -> Partnership:
    bodo = Need(**LEAK_NEED, language="no", municipality_number="1804", contact_name="Ola Nordmann")
    tromso = Need(**LEAK_NEED, language="no", municipality_number="5501")
    supplier = Supplier(name="Lekkasjelosen AS", organisation_number=organisation_number)
    session.add_all([bodo, tromso, supplier])
    session.flush()
    published = Solution(**SOLUTION, trl=9, supplier_id=supplier.id, status="published")
    draft = Solution(**SOLUTION, trl=5, status="draft")
    session.add_all([published, draft])
    session.flush()
    partnership = Partnership(
        title="Lekkasjesøk i Bodø og Tromsø",
        status="in_dialogue",
        need_ids=[bodo.id, tromso.id],
        solution_ids=[published.id, draft.id],
        lead_municipality_number="1804",
        lead_rule="given",
        lead_reason="Chosen by kari@bodo.kommune.no.",
        route="innovation_partnership",
        route_rule="trl",
        route_reasons=["Ingen løsning er moden nok."],
        candidate_assessment=[{"solution_id": published.id, "match_score": 0.87}],
        created_by="kari@bodo.kommune.no",
    )
    session.add(partnership)
    session.flush()
    return partnership


def _update(sessions: sessionmaker[Session], partnership_id: int, **changes: Any) -> None:
    with sessions() as session:
        partnerships.update(
            session=session,
            partnership_id=partnership_id,
            partnership_in=PartnershipUpdate(**changes),
            actor="kari@bodo.kommune.no",
        )


def test_each_public_change_of_a_pilot_partnership_is_a_release(database_url: str) -> None:
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        partnership_id = _partnership(session).id
    assert _releases(sessions, partnership_id) == []  # in dialogue: not published

    _update(sessions, partnership_id, status="pilot", note=NOTE)
    (first,) = _releases(sessions, partnership_id)
    assert first.snapshot["status"] == "pilot"
    assert first.snapshot["municipalities"] == [
        {"number": "1804", "name": "Bodø", "organisation_number": "972418013"},
        {"number": "5501", "name": "Tromsø", "organisation_number": "940101808"},
    ]
    assert first.snapshot["suppliers"] == [
        {
            "name": "Lekkasjelosen AS",
            "organisation_number": "974760673",
            "local_id": first.snapshot["suppliers"][0]["local_id"],
        }
    ]
    private = ("hemmelig", "nordmann", "kari@", "per hansen", "0.87", "ola")
    assert not any(word in str(first.snapshot).lower() for word in private)

    _update(sessions, partnership_id, note="Bare et notat.")  # nothing public changes
    with sessions.begin() as session:  # nor does what the recommendation saw
        changed = session.get(Partnership, partnership_id)
        assert changed is not None
        changed.candidate_assessment = []
    assert len(_releases(sessions, partnership_id)) == 1

    _update(sessions, partnership_id, lead_municipality_number="5501")  # a new lead: a new release
    _update(sessions, partnership_id, status="scaled")
    _update(sessions, partnership_id, status="stopped", note=NOTE)
    releases = _releases(sessions, partnership_id)
    assert [release.snapshot["status"] for release in releases] == ["pilot", "pilot", "scaled", "stopped"]
    assert releases[0].snapshot == first.snapshot and releases[0].recorded_at == first.recorded_at
    assert {release.snapshot["awarded_at"] for release in releases} == {first.snapshot["awarded_at"]}

    with sessions() as session:
        published = service.releases_of_partnership(
            session=session, publication=PUBLICATION, partnership_id=partnership_id
        )
        listed = service.partnership_releases(
            session=session, publication=PUBLICATION, since=None, until=None, offset=0, limit=10
        )
    assert listed.releases == published and listed.total == 4
    assert [release["tag"] for release in published] == [
        ["tender", "award"],
        ["tenderUpdate", "awardUpdate"],
        ["tenderUpdate", "awardUpdate"],
        ["tenderUpdate", "awardCancellation"],
    ]
    assert [release["id"] for release in published] == [
        f"ocds-test00-partnership-{partnership_id}-{release.id}" for release in releases
    ]
    assert [release["buyer"]["name"] for release in published] == ["Bodø", "Tromsø", "Tromsø", "Tromsø"]
    assert [release["awards"][0]["status"] for release in published] == [
        "active",
        "active",
        "active",
        "cancelled",
    ]
    assert published[0]["awards"][0]["suppliers"] == [{"id": "NO-BRC-974760673", "name": "Lekkasjelosen AS"}]
    package = release_package(
        published, uri="http://innomatch.test/x", next_uri=None, publication=PUBLICATION
    )
    assert package_errors(package) == []
    assert not any(word in str(package).lower() for word in private)
    engine.dispose()


def test_a_partnership_never_at_pilot_has_no_release_even_when_stopped(database_url: str) -> None:
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        partnership_id = _partnership(session).id
    _update(sessions, partnership_id, status="stopped", note=NOTE)
    assert _releases(sessions, partnership_id) == []
    with sessions() as session, pytest.raises(NotFoundError):
        service.releases_of_partnership(
            session=session, publication=PUBLICATION, partnership_id=partnership_id
        )
    engine.dispose()


def test_a_status_move_records_only_the_partnership_it_moved(database_url: str) -> None:
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        moved_id, held_id = _partnership(session).id, _partnership(session, "958935420").id
    for partnership_id in (moved_id, held_id):
        _update(sessions, partnership_id, status="pilot")
    with sessions.begin() as session:  # a change the next release of each will show, not a release itself
        for supplier in session.scalars(select(Supplier)):
            supplier.name = f"{supplier.name} (omdøpt)"
    with sessions() as session:  # the session holds both while one of them moves
        held = session.get(Partnership, held_id)
        assert held is not None and held.status == "pilot"
        partnerships.update(
            session=session,
            partnership_id=moved_id,
            partnership_in=PartnershipUpdate(status="scaled"),
            actor="kari@bodo.kommune.no",
        )
    assert [release.snapshot["status"] for release in _releases(sessions, moved_id)] == ["pilot", "scaled"]
    assert [release.snapshot["status"] for release in _releases(sessions, held_id)] == ["pilot"]
    engine.dispose()
