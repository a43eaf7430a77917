"""Migration 0017 gives every partnership in pilot or scaled stored before it one release, the same one the
service would record, so that an upgraded database publishes them and an untouched one gets no second
release; a partnership stopped or not yet at pilot gets none."""

import json
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import select, text

from service.db import make_engine, make_session_factory
from service.migrations import alembic_config, upgrade_to_head
from service.models import Need, Partnership, PartnershipRelease, Solution, Supplier
from service.models.need_release_recorder import snapshot_hash
from service.models.partnership_release_recorder import partnership_snapshot
from service.ocds import service
from service.ocds.package import release_package
from service.ocds.validation import package_errors
from service.seeding import run_seed
from tests.service.ocds.support import PUBLICATION
from tests.support.databases import no_encoder
from tests.support.records import LEAK_NEED, LEAK_SOLUTION


def test_partnerships_at_pilot_before_0017_get_one_release_each(empty_database_url: str) -> None:
    url = empty_database_url
    command.upgrade(alembic_config(url), "0016")
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    run_seed(sessions, demo=False, encoder_factory=no_encoder)
    with sessions.begin() as session:
        need = Need(**LEAK_NEED, language="no", municipality_number="1804")
        supplier = Supplier(name="Lekkasjelosen AS", organisation_number="974760673")
        session.add_all([need, supplier])
        session.flush()
        solution = Solution(
            **LEAK_SOLUTION,
            language="no",
            sdgs=[],
            cpv_codes=[],
            regions_served=[],
            reference_municipalities=[],
            supplier_id=supplier.id,
        )
        session.add(solution)
        session.flush()
        need_id, solution_id = need.id, solution.id
    changed_at = datetime(2025, 11, 3, 8, 30, tzinfo=UTC)
    with engine.begin() as connection:
        for title, status in (
            ("Pilot", "pilot"),
            ("Skalert", "scaled"),
            ("Stoppet", "stopped"),
            ("Ny", "proposed"),
        ):
            connection.execute(
                text(
                    "INSERT INTO partnership (title, status, need_ids, solution_ids, lead_municipality_number,"
                    " lead_rule, lead_reason, route, route_rule, route_reasons, candidate_assessment,"
                    " created_by, created_at, updated_at, status_changed_at) VALUES (:title, :status, :needs,"
                    " :solutions, '1804', 'given', 'Chosen by kari@bodo.kommune.no.', 'innovation_partnership',"
                    " 'trl', '[\"Ingen løsning er moden nok.\"]', '[]', 'kari@bodo.kommune.no', :at, :at, :at)"
                ),
                {
                    "title": title,
                    "status": status,
                    "needs": json.dumps([need_id, 999999]),  # a need deleted since is left out
                    "solutions": json.dumps([solution_id]),
                    "at": changed_at,
                },
            )

    upgrade_to_head(url)
    with sessions() as session:
        releases = list(session.scalars(select(PartnershipRelease).order_by(PartnershipRelease.id)))
        assert [release.snapshot["title"] for release in releases] == ["Pilot", "Skalert"]
        assert all(release.recorded_at == changed_at for release in releases)
        assert releases[0].snapshot["need_ids"] == [need_id]
        assert releases[0].snapshot["suppliers"][0]["organisation_number"] == "974760673"
        assert "kari" not in str(releases[0].snapshot)
        for release in releases:  # the migration's frozen copy agrees with the service's recorder
            partnership = session.get(Partnership, release.partnership_id)
            assert partnership is not None
            snapshot = partnership_snapshot(session.connection(), partnership, release.snapshot["awarded_at"])
            assert snapshot == release.snapshot
            assert release.content_hash == snapshot_hash(snapshot)
        page = service.partnership_releases(
            session=session, publication=PUBLICATION, since=None, until=None, offset=0, limit=10
        )
    assert [release["tag"] for release in page.releases] == [["tender", "award"], ["tender", "award"]]
    package = release_package(
        page.releases, uri="http://innomatch.test/", next_uri=None, publication=PUBLICATION
    )
    assert package_errors(package) == []

    with sessions.begin() as session:  # written again unchanged: no second release
        partnership = session.scalars(select(Partnership).where(Partnership.title == "Pilot")).one()
        partnership.title = "Pilot"
        partnership.candidate_assessment = [{"solution_id": solution_id}]
    with sessions() as session:
        assert (
            session.scalar(select(PartnershipRelease.id).where(PartnershipRelease.id > releases[-1].id))
            is None
        )
    engine.dispose()
    command.downgrade(alembic_config(url), "0016")
    upgrade_to_head(url)
