"""Seeding loads real catalogues and marked demo data, and a second run changes nothing."""

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from embeddings import Encoder
from service.db import make_engine, make_session_factory
from service.indexing import Indexes
from service.kpis.gaps import GapAnalysis, gap_key
from service.models import County, IndexChange, Kpi, Municipality, Need, Solution, StoredVector, Supplier
from service.needs.repository import needs_by_gap_key
from service.seeding import SEED_DIR, generate_demo_needs, run_seed

pytestmark = pytest.mark.slow


def _count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model))


def test_seeding_twice_creates_everything_once(
    tmp_path: Path, sqlite_template: Path, encoder: Encoder
) -> None:
    shutil.copy(sqlite_template, tmp_path / "db.sqlite3")
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    sessions = make_session_factory(engine)
    first = run_seed(sessions, demo=True, encoder_factory=lambda: encoder)
    assert first.created["demo solutions"] >= 120
    with sessions() as session:
        counts = {
            model.__name__: _count(session, model)
            for model in (Kpi, County, Municipality, Supplier, Solution, Need, StoredVector, IndexChange)
        }
    second = run_seed(sessions, demo=True, encoder_factory=lambda: encoder)
    assert second.created == {} and second.updated == {}
    with sessions() as session:
        assert {
            model.__name__: _count(session, model)
            for model in (Kpi, County, Municipality, Supplier, Solution, Need, StoredVector, IndexChange)
        } == counts
        assert counts["Kpi"] == 91
        assert counts["Municipality"] == 357
        assert counts["County"] == 15
        assert counts["StoredVector"] == counts["Solution"] + counts["Need"]
        assert all(session.scalars(select(Solution.demo)))
        assert all(session.scalars(select(Need.demo)))
        assert all(session.scalars(select(Supplier.demo)))
    engine.dispose()


def _items(name: str) -> list[dict]:  # type: ignore[type-arg]
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))["items"]


def test_demo_data_covers_what_the_product_promises() -> None:
    kpis = {item["code"]: item for item in _items("u4ssc_kpis.json")}
    solutions = _items("demo_solutions.json")
    needs = _items("demo_needs.json")
    assert len(solutions) >= 120
    assert 0.35 <= Counter(item["language"] for item in solutions)["no"] / len(solutions) <= 0.5
    assert len(needs) >= 40
    assert set(Counter(item["language"] for item in needs)) == {"no", "en"}
    assert len({item["municipality_number"] for item in needs}) >= 15
    used = {code for item in solutions for code in item["kpi_codes"]}
    assert used <= set(kpis)
    covered_areas = {
        (kpis[code]["dimension"], kpis[code]["subdimension"], kpis[code]["category"]) for code in used
    }
    all_areas = {(kpi["dimension"], kpi["subdimension"], kpi["category"]) for kpi in kpis.values()}
    assert covered_areas == all_areas


def test_every_seed_file_says_where_it_came_from() -> None:
    for path in SEED_DIR.glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document.get("source"), f"{path.name} does not name its source"
    for name in ("demo_suppliers.json", "demo_solutions.json", "demo_needs.json"):
        assert json.loads((SEED_DIR / name).read_text(encoding="utf-8"))["demo"] is True


def test_seeded_gaps_each_have_exactly_one_bilingual_need(
    tmp_path: Path, sqlite_template: Path, encoder: Encoder
) -> None:
    shutil.copy(sqlite_template, tmp_path / "db.sqlite3")
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    sessions = make_session_factory(engine)
    report = run_seed(sessions, demo=True, encoder_factory=lambda: encoder)
    assert len(report.municipalities_with_values) >= 30
    indexes = Indexes.create(encoder=encoder, index_dir=tmp_path / "index", session_factory=sessions)
    indexes.open()
    sample = ["5001", "1103", "1833"]  # Trondheim, Stavanger (public values), Rana
    assert generate_demo_needs(sessions, indexes, sample) > 0
    with sessions() as session:
        analysis = GapAnalysis(session)
        for number in sample:
            weak = [s for s in analysis.standings_of_municipality(number) if s.band in (1, 2)]
            needs = needs_by_gap_key(session, [gap_key(number, s.kpi.code, s.data_point) for s in weak])
            assert len(needs) == len(weak)
            for need in needs.values():
                assert need.origin == "kpi_gap" and need.language == "no"
                assert need.translations["en"]["description"] and need.evidence
    assert generate_demo_needs(sessions, indexes, sample) == 0
    engine.dispose()
