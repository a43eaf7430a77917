"""The catalogue's names the needs-quality check knows: gathered from the database, kept while the
catalogue is unchanged, gathered again after a change."""

from pathlib import Path

from service.db import make_engine, make_session_factory
from service.models import Solution, Supplier
from service.needs import quality
from tests.support.databases import catalogue_database


def test_known_names_follow_the_catalogue(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{catalogue_database(tmp_path / 'names.sqlite3')}")
    with make_session_factory(engine)() as session:
        session.add(Supplier(name="Lekkasjelosen AS", organisation_number="974760673"))
        session.add(
            Solution(
                title="Slukvakt: varsling av tette sluk",
                description="Sensorer i sluk.",
                language="no",
                kpi_codes=[],
                sdgs=[],
                cpv_codes=[],
                regions_served=[],
                reference_municipalities=[],
            )
        )
        session.commit()
        assert {"Lekkasjelosen", "Slukvakt"} <= quality.known_names(session)

        kept = quality.known_names(session)
        assert quality.known_names(session) is kept, "the same catalogue is not gathered again"

        session.add(Supplier(name="Overvannsvakta AS", organisation_number="986105174"))
        session.commit()
        assert "Overvannsvakta" in quality.known_names(session)
    engine.dispose()
