"""The Alembic migrations create exactly the schema the ORM models describe."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

import service.models  # noqa: F401  (registers every table on Base.metadata)
from embeddings import Encoder
from service.db import Base, make_engine, make_session_factory
from service.indexing import Indexes
from service.migrations import alembic_config, upgrade_to_head
from service.seeding import run_seed
from tests.support.databases import no_encoder, scratch_postgres_database


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    upgrade_to_head(database_url)  # already at head: a no-op that must not fail
    engine = make_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_sqlite_keeps_autoincrement_through_every_migration(tmp_path: Path) -> None:
    """SQLite must never hand out a deleted id again, also after a migration rebuilt a table."""
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        definitions = dict(
            connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all()
        )
    engine.dispose()
    for table in (
        "need",
        "solution",
        "supplier",
        "index_change",
        "partnership",
        "partnership_outcome",
        "audit_event",
        "user_account",
        "api_token",
        "saved_search",
        "procurement_notice",
    ):
        assert "AUTOINCREMENT" in definitions[table], table
    assert "one_owner" in definitions["saved_search"], "0012 rebuilt saved_search without its owner check"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables yet, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    with scratch_postgres_database("innomatch_migration") as url:
        yield url


def test_duplicate_outcomes_keep_the_newest_and_the_others_are_audited(empty_database_url: str) -> None:
    """Before 0006 a second value for the same year was stored beside the first; the migration keeps
    the newest (the value the KPI observation holds), removes the others with an audit event each,
    and then the database refuses a duplicate."""
    url = empty_database_url
    command.upgrade(alembic_config(url), "0005")
    engine = make_engine(url)
    run_seed(make_session_factory(engine), demo=False, encoder_factory=no_encoder)
    now = datetime.now(UTC)
    partnership = {
        "title": "Lekkasjer",
        "status": "pilot",
        "need_ids": "[]",
        "solution_ids": "[]",
        "lead_rule": "none",
        "lead_reason": "",
        "route": "market_dialogue",
        "route_rule": "no_candidate",
        "route_reasons": "[]",
        "candidate_assessment": "[]",
        "created_by": "test",
        "created_at": now,
        "updated_at": now,
        "status_changed_at": now,
    }
    measured = {"municipality_number": "1804", "kpi_code": "EC-I-WS-3C", "data_point": "", "unit": "%"}
    with engine.begin() as connection:
        columns = ", ".join(partnership)
        connection.execute(
            text(
                f"INSERT INTO partnership ({columns}) VALUES ({', '.join(':' + name for name in partnership)})"
            ),
            partnership,
        )
        for year, value in ((2025, 21.5), (2025, 20.0), (2024, 30.0), (2025, 19.0)):
            connection.execute(
                text(
                    "INSERT INTO partnership_outcome (partnership_id, municipality_number, kpi_code, data_point,"
                    " year, value, unit, recorded_by, recorded_at) VALUES (1, :municipality_number, :kpi_code,"
                    " :data_point, :year, :value, :unit, 'Ola Staff', :at)"
                ),
                {**measured, "year": year, "value": value, "at": now},
            )

    upgrade_to_head(url)
    with engine.begin() as connection:
        kept = connection.execute(text("SELECT id, year, value FROM partnership_outcome ORDER BY id")).all()
        events = connection.execute(
            text("SELECT actor, action, subject_id, detail FROM audit_event ORDER BY id")
        ).all()
        with pytest.raises(IntegrityError):
            connection.execute(
                text(
                    "INSERT INTO partnership_outcome (partnership_id, municipality_number, kpi_code, data_point,"
                    " year, value, unit, recorded_by, recorded_at) VALUES (1, '1804', 'EC-I-WS-3C', '', 2025,"
                    " 18.0, '%', 'Ola Staff', :at)"
                ),
                {"at": now},
            )
    engine.dispose()
    assert [tuple(row) for row in kept] == [(3, 2024, 30.0), (4, 2025, 19.0)]
    removed = [
        (actor, action, subject, json.loads(detail) if isinstance(detail, str) else detail)
        for actor, action, subject, detail in events
    ]
    assert [(actor, action, subject) for actor, action, subject, _ in removed] == [
        ("migration 0006", "partnership_outcome_removed", "1")
    ] * 2
    assert {(detail["outcome_id"], detail["value"], detail["kept_outcome_id"]) for *_, detail in removed} == {
        (1, 21.5, 4),
        (2, 20.0, 4),
    }


def test_records_stored_before_kpi_suggestions_get_them_at_start_up(
    empty_database_url: str, encoder: Encoder, tmp_path: Path
) -> None:
    """0007 adds suggested_kpis as null to the needs already stored; the first start derives them (and
    the KPI texts' vectors), and the migration goes down and up again."""
    url = empty_database_url
    command.upgrade(alembic_config(url), "0006")
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    run_seed(sessions, demo=False, encoder_factory=no_encoder)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO need (title, description, language, origin, kpi_codes, status, demo,"
                " created_at, updated_at) VALUES ('Vanntap', :description, 'no', 'manual', '[]', 'open',"
                " false, :now, :now)"
            ),
            {
                "description": "Vi mister en tredjedel av drikkevannet i lekkasjer fra gamle vannledninger.",
                "now": now,
            },
        )

    upgrade_to_head(url)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT suggested_kpis FROM need")) is None
        assert connection.scalar(text("SELECT count(*) FROM kpi_text_vector")) == 0
    lines = Indexes.create(encoder=encoder, index_dir=tmp_path / "index", session_factory=sessions).open()
    assert "KPI suggestions derived for 1 records stored without them" in lines
    with engine.connect() as connection:
        stored = connection.scalar(text("SELECT suggested_kpis FROM need"))
        kpi_texts = connection.scalar(text("SELECT count(*) FROM kpi_text_vector"))
    suggested = json.loads(stored) if isinstance(stored, str) else stored
    assert len(suggested) == 3 and "EC-I-WS-3C" in [item["code"] for item in suggested]
    assert kpi_texts > 91 * 2  # names in both languages, and more

    engine.dispose()
    command.downgrade(alembic_config(url), "0006")
    engine = make_engine(url)
    with engine.connect() as connection:
        columns = {column["name"] for column in inspect(connection).get_columns("need")}
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert "suggested_kpis" not in columns and "kpi_text_vector" not in tables
    upgrade_to_head(url)
