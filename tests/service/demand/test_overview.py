"""The demand overview counts the open needs by U4SSC theme on a real database: each need once under
each theme of its KPIs, else under its best suggested KPI's theme (marked), else under no KPI; and a
theme's needs with KPI codes are exactly those the start page lists for the theme."""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from service.access import ANONYMOUS
from service.db import make_engine, make_session_factory
from service.demand.overview import DemandFilters, demand_overview
from service.models import Need
from service.needs import service as needs
from service.needs.schemas import NeedFilters

WATER_LOSS = "EC-I-WS-3C"  # Economy / Infrastructure
BUILDINGS = "EC-I-B-1A"  # Economy / Infrastructure too
BROADBAND = "EC-ICT-ICT-2C"  # Economy / ICT
AIR_QUALITY = "EN-EN-AQ-1C"  # Environment / Environment
STAVANGER, BERGEN, OSLO = "1103", "4601", "0301"
VESTLAND = "46"


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as opened:
        yield opened
    engine.dispose()


def _need(session: Session, title: str, **fields: Any) -> None:
    defaults: dict[str, Any] = {"description": title, "language": "en", "kpi_codes": [], "status": "open"}
    session.add(Need(title=title, **{**defaults, **fields}))
    session.commit()


@pytest.fixture
def seeded(session: Session) -> Session:
    _need(
        session,
        "Leaks and slow broadband",
        municipality_number=STAVANGER,
        kpi_codes=[WATER_LOSS, BUILDINGS, BROADBAND],
    )
    _need(session, "Leaks", municipality_number=BERGEN, kpi_codes=[WATER_LOSS])
    _need(session, "Leaks, solved", municipality_number=BERGEN, kpi_codes=[WATER_LOSS], status="closed")
    _need(
        session,
        "Dirty air",
        municipality_number=STAVANGER,
        suggested_kpis=[{"code": AIR_QUALITY, "confidence": 0.7}, {"code": WATER_LOSS, "confidence": 0.2}],
    )
    _need(session, "Something vague", suggested_kpis=[])
    _need(
        session,
        "Slow broadband (demo)",
        municipality_number=OSLO,
        kpi_codes=[BROADBAND],
        demo=True,
        origin="kpi_gap",
        evidence={"synthetic": True},
    )
    return session


def test_open_needs_count_under_each_theme_of_their_kpis_or_their_suggestion(seeded: Session) -> None:
    overview = demand_overview(session=seeded, filters=DemandFilters())
    themes = {theme.theme: theme for theme in overview.themes}
    assert list(overview.by_dimension()) == ["Economy", "Environment", "Society and Culture"]
    infrastructure, ict, environment = themes["Infrastructure"], themes["ICT"], themes["Environment"]
    # two KPIs of one theme: the need counts once in the theme, and under each KPI
    assert (infrastructure.needs, infrastructure.suggested, len(infrastructure.municipalities)) == (2, 0, 2)
    assert [(row.kpi.code, row.needs) for row in infrastructure.top_kpis(overview.catalogue)] == [
        (WATER_LOSS, 2),
        (BUILDINGS, 1),
    ]
    assert (ict.needs, len(ict.municipalities)) == (2, 2)
    assert (environment.needs, environment.suggested, environment.tagged) == (1, 1, 0)
    assert [(row.kpi.code, row.suggested) for row in environment.top_kpis(overview.catalogue)] == [
        (AIR_QUALITY, 1)
    ]
    assert themes["Energy"].needs == 0
    assert overview.open_needs == 5  # the closed need never counts; the two-theme need counts once here
    assert len(overview.municipalities) == 3
    assert overview.without_kpi == 1
    assert overview.untagged_total == 2
    assert [
        (need.title, need.suggested_kpi.code if need.suggested_kpi else None) for need in overview.untagged
    ] == [
        ("Dirty air", AIR_QUALITY),
        ("Something vague", None),
    ]
    assert (overview.demo_needs, overview.synthetic_needs) == (1, 1)
    assert overview.most_needs == 2


def test_a_county_and_a_dimension_narrow_the_counts(seeded: Session) -> None:
    in_vestland = demand_overview(session=seeded, filters=DemandFilters(county=VESTLAND, dimension=None))
    assert {theme.theme: theme.needs for theme in in_vestland.themes if theme.needs} == {"Infrastructure": 1}
    assert (in_vestland.open_needs, in_vestland.without_kpi, in_vestland.demo_needs) == (1, 0, 0)

    environment = demand_overview(session=seeded, filters=DemandFilters(county=None, dimension="Environment"))
    assert [theme.theme for theme in environment.themes] == [
        "Energy",
        "Environment",
    ]  # by KPI code, as the catalogue lists them
    assert environment.open_needs == 1  # the suggested one; no need without a KPI belongs to a dimension
    assert environment.without_kpi == 0
    assert [need.title for need in environment.untagged] == ["Dirty air"]


def test_a_themes_tagged_needs_are_the_start_pages_list_for_the_theme(seeded: Session) -> None:
    overview = demand_overview(session=seeded, filters=DemandFilters())
    for theme in overview.themes:
        filters = NeedFilters(theme=theme.theme, status="open")
        _, listed = needs.list_needs(session=seeded, caller=ANONYMOUS, offset=0, limit=1, filters=filters)
        assert listed == theme.tagged, theme.theme
    economy_ict = NeedFilters(theme="ICT", dimension="Environment", status="open")
    _, none = needs.list_needs(session=seeded, caller=ANONYMOUS, offset=0, limit=1, filters=economy_ict)
    assert none == 0


def test_the_same_needs_are_counted_by_county(seeded: Session) -> None:
    overview = demand_overview(session=seeded, filters=DemandFilters())
    counties = {county.number: county for county in overview.counties}
    assert len(counties) == 15
    rogaland, vestland, oslo = counties["11"], counties["46"], counties["03"]
    assert (rogaland.needs, len(rogaland.municipalities)) == (2, 1)  # Stavanger: tagged and suggested
    assert (vestland.needs, oslo.needs, counties["50"].needs) == (1, 1, 0)
    assert overview.without_county == 1  # "Something vague" has no municipality
    assert sum(county.needs for county in overview.counties) + overview.without_county == overview.open_needs
    assert overview.most_county_needs == 2


def test_a_kpi_an_sdg_and_a_size_narrow_both_counts(seeded: Session) -> None:
    broadband = demand_overview(session=seeded, filters=DemandFilters(kpi=BROADBAND))
    assert [(theme.theme, theme.needs) for theme in broadband.themes] == [("ICT", 2)]
    assert {county.number: county.needs for county in broadband.counties if county.needs} == {
        "11": 1,
        "03": 1,
    }
    assert broadband.without_kpi == 0 and broadband.without_county == 0

    water = demand_overview(session=seeded, filters=DemandFilters(sdg=6))  # water loss only
    assert {theme.theme: theme.needs for theme in water.themes if theme.needs} == {"Infrastructure": 2}
    assert {county.number: county.needs for county in water.counties if county.needs} == {"11": 1, "46": 1}
    infrastructure = next(theme for theme in water.themes if theme.theme == "Infrastructure")
    assert [row.kpi.code for row in infrastructure.top_kpis(water.catalogue)] == [WATER_LOSS]

    # Stavanger (149 048), Bergen (291 940) and Oslo (717 710) are all over 100 000 residents.
    cities = demand_overview(session=seeded, filters=DemandFilters(size="over-100000"))
    assert cities.open_needs == 4 and cities.without_county == 0
    small = demand_overview(session=seeded, filters=DemandFilters(size="under-5000"))
    assert small.open_needs == 0 and all(county.needs == 0 for county in small.counties)
