"""Loading seed_data/ into the database: real catalogues always, demo records when asked. Idempotent."""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from embeddings import Encoder
from service.identifiers import is_valid_organisation_number
from service.indexing import Indexes, record_text, store_vectors
from service.kpis.schemas import ObservationIn
from service.kpis.service import stage_observations
from service.models import (
    County,
    Kpi,
    KpiTarget,
    Municipality,
    MunicipalityPopulation,
    Need,
    Solution,
    Supplier,
)
from service.needs.from_gaps import generate_gap_needs

log = logging.getLogger(__name__)
SEED_DIR = Path(__file__).resolve().parent.parent / "seed_data"


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    municipalities_with_values: list[str] = field(default_factory=list)

    def count(self, kind: str, *, created: bool, amount: int = 1) -> None:
        bucket = self.created if created else self.updated
        bucket[kind] = bucket.get(kind, 0) + amount

    def __str__(self) -> str:
        created = ", ".join(f"{count} {kind}" for kind, count in self.created.items()) or "nothing"
        updated = ", ".join(f"{count} {kind}" for kind, count in self.updated.items()) or "nothing"
        return f"created {created}; updated {updated}"


def _items(path: Path) -> list[dict[str, Any]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    items: list[dict[str, Any]] = document["items"]
    return items


def catalogue_kpi_names(seed_dir: Path = SEED_DIR) -> dict[str, tuple[str, str]]:
    """Every KPI's (Norwegian, English) name from the catalogue file, for work without a database."""
    return {item["code"]: (item["name_no"], item["name_en"]) for item in _items(seed_dir / "u4ssc_kpis.json")}


def _catalogue_kpi_values(seed_dir: Path) -> list[dict[str, Any]]:
    """Each KPI's column values: the catalogue with its problem statements."""
    problems = {item["kpi_code"]: item for item in _items(seed_dir / "kpi_problem_statements.json")}
    rows = []
    for item in _items(seed_dir / "u4ssc_kpis.json"):
        problem = problems.get(item["code"], {})
        item = {**item, "problem_no": problem.get("problem_no"), "problem_en": problem.get("problem_en")}
        rows.append({name: item[name] for name in Kpi.__table__.columns.keys()})  # noqa: SIM118
    return rows


def catalogue_kpis(seed_dir: Path = SEED_DIR) -> list[Kpi]:
    """The KPIs as the database holds them once seeded (not stored): for work without a database."""
    return [Kpi(**values) for values in _catalogue_kpi_values(seed_dir)]


def seed_catalogues(session: Session, report: SeedReport, seed_dir: Path = SEED_DIR) -> None:
    """The U4SSC KPIs, counties and municipalities: real data, kept equal to the seed files."""
    for values in _catalogue_kpi_values(seed_dir):
        existing = session.get(Kpi, values["code"])
        if existing is None:
            session.add(Kpi(**values))
            report.count("KPIs", created=True)
        elif any(getattr(existing, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(existing, name, value)
            report.count("KPIs", created=False)
    places = json.loads((seed_dir / "municipalities.json").read_text(encoding="utf-8"))
    for county in places["counties"]:
        _upsert(session, report, "counties", County, county["number"], {"name": county["name"]})
    session.flush()
    for municipality in places["municipalities"]:
        _upsert(
            session,
            report,
            "municipalities",
            Municipality,
            municipality["number"],
            {
                "name": municipality["name"],
                "county_number": municipality["county_number"],
                "organisation_number": municipality["organisation_number"],
            },
        )
    session.flush()
    _seed_targets(session, report, seed_dir)
    _seed_population(session, report, seed_dir)


def _seed_targets(session: Session, report: SeedReport, seed_dir: Path) -> None:
    existing = {(t.kpi_code, t.data_point, t.kind, t.year): t for t in session.scalars(select(KpiTarget))}
    for item in _items(seed_dir / "kpi_targets.json"):
        key = (item["kpi_code"], item["data_point"], item["kind"], item["year"])
        values = {name: item[name] for name in ("target", "unit", "direction", "source", "note")}
        target = existing.get(key)
        if target is None:
            session.add(KpiTarget(kpi_code=key[0], data_point=key[1], kind=key[2], year=key[3], **values))
            report.count("KPI targets", created=True)
        elif any(getattr(target, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(target, name, value)
            report.count("KPI targets", created=False)


def _seed_population(session: Session, report: SeedReport, seed_dir: Path) -> None:
    document = json.loads((seed_dir / "municipality_population.json").read_text(encoding="utf-8"))
    year = document["year"]
    existing = {
        row.municipality_number: row
        for row in session.scalars(select(MunicipalityPopulation).where(MunicipalityPopulation.year == year))
    }
    for item in document["items"]:
        row = existing.get(item["number"])
        if row is None:
            session.add(
                MunicipalityPopulation(
                    municipality_number=item["number"], year=year, population=item["population"]
                )
            )
            report.count("population figures", created=True)
        elif row.population != item["population"]:
            row.population = item["population"]
            report.count("population figures", created=False)


def _upsert(
    session: Session,
    report: SeedReport,
    kind: str,
    model: type[County] | type[Municipality],
    key: str,
    values: dict[str, Any],
) -> None:
    existing = session.get(model, key)
    if existing is None:
        session.add(model(number=key, **values))
        report.count(kind, created=True)
    elif any(getattr(existing, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(existing, name, value)
        report.count(kind, created=False)


def seed_demo(session: Session, report: SeedReport, encoder: Encoder, seed_dir: Path = SEED_DIR) -> None:
    """Fictional suppliers, solutions and needs, marked demo; records already seeded are left as they are."""
    supplier_ids = _seed_suppliers(session, report, seed_dir)
    new_solutions = []
    for item in _items(seed_dir / "demo_solutions.json"):
        if session.scalars(select(Solution.id).where(Solution.seed_key == item["key"])).first() is not None:
            continue
        solution = Solution(
            seed_key=item["key"],
            demo=True,
            supplier_id=supplier_ids[item["supplier_key"]],
            title=item["title"],
            description=item["description"],
            language=item["language"],
            kpi_codes=item["kpi_codes"],
            sdgs=item["sdgs"],
            trl=item["trl"],
            cpv_codes=item["cpv_codes"],
            regions_served=item["regions_served"],
            reference_municipalities=item["reference_municipalities"],
        )
        session.add(solution)
        new_solutions.append(solution)
        report.count("demo solutions", created=True)
    new_needs = []
    for item in _items(seed_dir / "demo_needs.json"):
        if session.scalars(select(Need.id).where(Need.seed_key == item["key"])).first() is not None:
            continue
        need = Need(
            seed_key=item["key"],
            demo=True,
            municipality_number=item["municipality_number"],
            title=item["title"],
            description=item["description"],
            language=item["language"],
            kpi_codes=item["kpi_codes"],
            status=item.get("status", "open"),
            origin="manual",
        )
        session.add(need)
        new_needs.append(need)
        report.count("demo needs", created=True)
    session.flush()
    store_vectors(
        session,
        encoder=encoder,
        kind="solution",
        texts=[(s.id, record_text(s.title, s.description)) for s in new_solutions],
    )
    store_vectors(
        session,
        encoder=encoder,
        kind="need",
        texts=[(n.id, record_text(n.title, n.description)) for n in new_needs],
    )


def seed_observations(session: Session, report: SeedReport, seed_dir: Path = SEED_DIR) -> list[str]:
    """KPI values of the demo municipalities (public where found, synthetic elsewhere); their numbers."""
    rows = [ObservationIn.model_validate(item) for item in _items(seed_dir / "kpi_observations.json")]
    result = stage_observations(session=session, observations=rows)
    if result.created:
        report.count("KPI observations", created=True, amount=result.created)
    if result.updated:
        report.count("KPI observations", created=False, amount=result.updated)
    return sorted({row.municipality_number for row in rows})


def _seed_suppliers(session: Session, report: SeedReport, seed_dir: Path) -> dict[str, int]:
    ids = {}
    for item in _items(seed_dir / "demo_suppliers.json"):
        if not is_valid_organisation_number(item["organisation_number"]):
            raise ValueError(f"demo supplier {item['key']} has an invalid organisation number")
        supplier = session.scalars(select(Supplier).where(Supplier.seed_key == item["key"])).first()
        if supplier is None:
            supplier = Supplier(
                seed_key=item["key"],
                demo=True,
                name=item["name"],
                organisation_number=item["organisation_number"],
                website=item.get("website"),
            )
            session.add(supplier)
            session.flush()
            report.count("demo suppliers", created=True)
        ids[item["key"]] = supplier.id
    return ids


def run_seed(
    session_factory: sessionmaker[Session],
    *,
    demo: bool,
    encoder_factory: Callable[[], Encoder],
    seed_dir: Path = SEED_DIR,
) -> SeedReport:
    """Seed in one transaction: a failure leaves the database as it was."""
    report = SeedReport()
    with session_factory.begin() as session:
        seed_catalogues(session, report, seed_dir)
        if demo:
            seed_demo(session, report, encoder_factory(), seed_dir)
            report.municipalities_with_values = seed_observations(session, report, seed_dir)
    return report


def generate_demo_needs(
    session_factory: sessionmaker[Session], indexes: Indexes, numbers: list[str], max_band: int = 2
) -> int:
    """Needs from the demo municipalities' KPI gaps; each need commits on its own and a rerun changes nothing."""
    created = 0
    for number in numbers:
        with session_factory() as session:
            report = generate_gap_needs(
                session=session, indexes=indexes, municipality_number=number, max_band=max_band
            )
            created += len(report.created)
    return created
