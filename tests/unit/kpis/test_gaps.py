"""Gap analysis: the pure helpers, and target choice and peer benchmarks over an in-memory SQLite database."""

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from service.db import Base
from service.kpis.bands import Trend
from service.kpis.gaps import GapAnalysis, KpiStanding, Target, gap_key, is_gap, population_class
from service.models import Kpi, KpiObservation, KpiTarget, MunicipalityPopulation

WATER_LOSS = "EC-I-WS-3C"  # lower is better
METERS = "EC-I-WS-1C"  # higher is better
MODE_SHARE = "EN-E-TR-1C"  # split direction


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        for code, direction in ((WATER_LOSS, "-"), (METERS, "+"), (MODE_SHARE, "~")):
            session.add(
                Kpi(
                    code=code,
                    official_code=code.replace("-", ": "),
                    name_en=code,
                    name_no=code,
                    dimension="Environment",
                    subdimension="Infrastructure",
                    category="Water",
                    core=True,
                    unit_kind="%",
                    direction=direction,
                    sdgs=[6],
                )
            )
        yield session
    engine.dispose()


def observe(session: Session, number: str, code: str, value: float, year: int = 2023) -> None:
    session.add(
        KpiObservation(
            municipality_number=number, kpi_code=code, year=year, value=value, unit="%", source="test"
        )
    )


def target(
    session: Session, kind: str, value: float, year: int | None, direction: str = "-", source: str = "law"
) -> None:
    session.add(
        KpiTarget(
            kpi_code=WATER_LOSS,
            target=value,
            unit="%",
            direction=direction,
            kind=kind,
            year=year,
            source=source,
        )
    )


def standing_of(session: Session, number: str, code: str) -> KpiStanding:
    session.flush()
    [standing] = [s for s in GapAnalysis(session).standings_of_municipality(number) if s.kpi.code == code]
    return standing


def test_a_gap_key_names_municipality_kpi_and_data_point() -> None:
    assert gap_key("5001", WATER_LOSS, "") == "5001:EC-I-WS-3C:"
    assert gap_key("0301", MODE_SHARE, "private") == "0301:EN-E-TR-1C:private"


@pytest.mark.parametrize(
    ("population", "population_class_"),
    [(None, None), (0, 0), (4_999, 0), (5_000, 1), (19_999, 1), (20_000, 2), (49_999, 2), (50_000, 3)],
)
def test_population_classes_start_at_5k_20k_and_50k(
    population: int | None, population_class_: int | None
) -> None:
    assert population_class(population) == population_class_


def test_a_gap_is_a_band_at_or_below_the_limit_and_a_standing_without_band_is_none(session: Session) -> None:
    observe(session, "5001", WATER_LOSS, 30.0)
    target(session, "u4ssc", 10.0, None)
    standing = standing_of(session, "5001", WATER_LOSS)
    assert standing.band == 2
    assert (is_gap(standing, 1), is_gap(standing, 2)) == (False, True)
    observe(session, "5001", MODE_SHARE, 40.0)
    assert not is_gap(standing_of(session, "5001", MODE_SHARE), 4)


def test_a_u4ssc_target_comes_before_a_national_one_and_sets_band_and_severity(session: Session) -> None:
    observe(session, "5001", WATER_LOSS, 30.0)
    target(session, "national", 20.0, 2030)
    target(session, "u4ssc", 10.0, None, source="U4SSC KPI list")
    standing = standing_of(session, "5001", WATER_LOSS)
    assert standing.target == Target(10.0, "-", "u4ssc", "u4ssc target 10 %: U4SSC KPI list")
    # 10 / 30 = 33.3 % of the target: band 2, severity 1 - 0.333.
    assert (standing.percent_of_target, standing.band, standing.severity) == (33.3, 2, 0.667)


@pytest.mark.parametrize(("year", "chosen"), [(2023, 15.0), (2025, 15.0), (2026, 10.0), (2031, 10.0)])
def test_the_first_deadline_not_before_the_observation_is_chosen_else_the_latest(
    session: Session, year: int, chosen: float
) -> None:
    observe(session, "5001", WATER_LOSS, 30.0, year=year)
    target(session, "national", 25.0, 2020)
    target(session, "national", 10.0, 2030)
    target(session, "national", 15.0, 2025)
    standing = standing_of(session, "5001", WATER_LOSS)
    assert standing.target is not None and standing.target.value == chosen


def test_the_cited_source_names_the_deadline(session: Session) -> None:
    observe(session, "5001", WATER_LOSS, 30.0)
    target(session, "national", 12.5, 2030, source="Meld. St. 1")
    standing = standing_of(session, "5001", WATER_LOSS)
    assert standing.target is not None
    assert standing.target.source == "national target 12.5 % by 2030: Meld. St. 1"


def test_a_target_measured_the_other_way_round_is_not_used(session: Session) -> None:
    observe(session, "5001", WATER_LOSS, 30.0)
    target(session, "u4ssc", 90.0, None, direction="+")
    target(session, "eu", 20.0, None)
    standing = standing_of(session, "5001", WATER_LOSS)
    assert standing.target is not None and (standing.target.kind, standing.target.value) == ("eu", 20.0)


def test_without_a_published_target_the_best_quartile_of_all_municipalities_is_the_target(
    session: Session,
) -> None:
    for number, value in zip(
        ("0301", "1103", "4601", "5001", "1804", "3907"), (10, 20, 30, 40, 50, 60), strict=True
    ):
        observe(session, number, METERS, float(value))
    standing = standing_of(session, "0301", METERS)
    # Inclusive quartiles of 10..60: 22.5, 35, 47.5; higher is better, so the upper one.
    assert standing.target == Target(
        47.5, "+", "peer", "peer benchmark: best quartile of 6 all municipalities with data"
    )
    assert (standing.percent_of_target, standing.band, standing.severity) == (21.1, 1, 0.789)


def test_peers_of_the_same_population_class_set_the_target_when_there_are_five(session: Session) -> None:
    values = {"0301": 90.0, "1103": 10.0, "4601": 20.0, "5001": 30.0, "1804": 40.0, "3907": 50.0}
    for number, value in values.items():
        observe(session, number, METERS, value)
        session.add(
            MunicipalityPopulation(
                municipality_number=number, year=2024, population=700_000 if number == "0301" else 10_000
            )
        )
    small = standing_of(session, "1103", METERS)
    assert small.target == Target(
        40.0, "+", "peer", "peer benchmark: best quartile of 5 municipalities of the same population class"
    )
    # Oslo alone in its class: every municipality with data is its peer group.
    large = standing_of(session, "0301", METERS)
    assert large.target is not None and large.target.source.endswith("of 6 all municipalities with data")


def test_a_lower_is_better_peer_target_is_the_lower_quartile(session: Session) -> None:
    for number, value in zip(
        ("0301", "1103", "4601", "5001", "1804", "3907"), (10, 20, 30, 40, 50, 60), strict=True
    ):
        observe(session, number, WATER_LOSS, float(value))
    standing = standing_of(session, "3907", WATER_LOSS)
    assert standing.target is not None and standing.target.value == 22.5
    # 22.5 / 60 = 37.5 % of the target.
    assert (standing.percent_of_target, standing.band) == (37.5, 2)


def test_fewer_than_five_municipalities_with_data_give_no_target_but_still_a_trend(session: Session) -> None:
    for number in ("0301", "1103", "4601"):
        observe(session, number, METERS, 50.0)
    observe(session, "5001", METERS, 40.0, year=2021)
    observe(session, "5001", METERS, 30.0, year=2023)
    standing = standing_of(session, "5001", METERS)
    assert (standing.target, standing.percent_of_target, standing.band, standing.severity) == (
        None,
        None,
        None,
        None,
    )
    assert standing.latest.value == 30.0
    assert standing.trend == Trend("worsening", -10.0, 2021)
