"""Migration 0016 gives every need stored before it one release, the same one the service would record,
so that an upgraded database publishes its needs and an untouched need gets no second release."""

import json
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import select, text

from service.db import make_engine, make_session_factory
from service.migrations import alembic_config, upgrade_to_head
from service.models import Need, NeedRelease
from service.models.need_release_recorder import need_snapshot, snapshot_hash
from service.ocds import service
from service.ocds.package import release_package
from service.ocds.validation import package_errors
from service.seeding import run_seed
from tests.service.ocds.support import PUBLICATION
from tests.support.databases import no_encoder


def test_needs_stored_before_0016_get_one_release_each(empty_database_url: str) -> None:
    url = empty_database_url
    command.upgrade(alembic_config(url), "0015")
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    run_seed(sessions, demo=False, encoder_factory=no_encoder)
    changed_at = datetime(2025, 11, 3, 8, 30, tzinfo=UTC)
    evidence = {"kpi_code": "EC-I-WS-3C", "value": 31.5, "unit": "%", "year": 2023, "band": 2}
    with engine.begin() as connection:
        for title, status, number in (("Vanntap", "open", "1804"), ("Avsluttet", "closed", None)):
            connection.execute(
                text(
                    "INSERT INTO need (title, description, language, origin, kpi_codes, cpv_codes, status,"
                    " demo, translations, evidence, municipality_number, contact_email, created_at, updated_at)"
                    " VALUES (:title, 'Vi mister vann i lekkasjer.', 'no', 'kpi_gap', '[\"EC-I-WS-3C\"]',"
                    " '[\"38421100\"]', :status, false, '{}', :evidence, :number, 'ola@bodo.kommune.no', :at, :at)"
                ),
                {
                    "title": title,
                    "status": status,
                    "number": number,
                    "evidence": json.dumps(evidence),
                    "at": changed_at,
                },
            )

    upgrade_to_head(url)
    with sessions() as session:
        releases = list(session.scalars(select(NeedRelease).order_by(NeedRelease.need_id)))
        assert [release.snapshot["title"] for release in releases] == ["Vanntap", "Avsluttet"]
        assert all(release.recorded_at == changed_at for release in releases)
        assert releases[0].snapshot["buyer"]["organisation_number"] == "972418013"
        assert releases[0].snapshot["evidence"] == evidence
        for release in releases:  # the migration's frozen copy agrees with the service's recorder
            need = session.get(Need, release.need_id)
            assert need is not None
            assert release.content_hash == snapshot_hash(need_snapshot(session.connection(), need) or {})
        page = service.need_releases(
            session=session, publication=PUBLICATION, since=None, until=None, offset=0, limit=10
        )
    assert [release["tag"] for release in page.releases] == [["planning"], ["planning"]]
    assert (
        package_errors(
            release_package(
                page.releases, uri="http://innomatch.test/", next_uri=None, publication=PUBLICATION
            )
        )
        == []
    )

    with sessions.begin() as session:  # written again unchanged: no second release
        need = session.scalars(select(Need).where(Need.title == "Vanntap")).one()
        need.title = "Vanntap"
        need.contact_email = "kari@bodo.kommune.no"
    with sessions() as session:
        assert session.scalar(select(NeedRelease.id).where(NeedRelease.id > releases[-1].id)) is None
    engine.dispose()
    command.downgrade(alembic_config(url), "0015")
    upgrade_to_head(url)
