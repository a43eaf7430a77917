"""The arithmetic of the municipality chart: the gap to a target in the KPI's unit and a bar's length."""

from types import SimpleNamespace
from typing import Any

import pytest

from service.kpis.gaps import Target
from service.web.municipality_pages import CHART_CEILING, bar_share, gap_to_target, kpi_rows


def _standing(value: float, target: float | None, direction: str, **more: Any) -> Any:
    """The fields of a KpiStanding the chart reads."""
    fields = {"band": None, "severity": None, "percent_of_target": None, "data_point": "", **more}
    return SimpleNamespace(
        latest=SimpleNamespace(value=value, municipality_number="1103"),
        target=Target(target, direction, "u4ssc", "test") if target is not None else None,
        direction=direction,
        kpi=SimpleNamespace(code=more.get("code", "EC-I-WS-1C")),
        **{name: fields[name] for name in ("band", "severity", "percent_of_target", "data_point")},
    )


@pytest.mark.parametrize(
    ("value", "target", "direction", "gap"),
    [
        (40.0, 100.0, "+", 60.0),  # higher is better: what is missing
        (120.0, 100.0, "+", 0.0),  # beyond the target: met
        (30.0, 10.0, "-", 20.0),  # lower is better: what is too much
        (5.0, 10.0, "-", 0.0),
    ],
)
def test_the_gap_is_the_distance_to_the_target_in_the_kpis_unit(
    value: float, target: float, direction: str, gap: float
) -> None:
    assert gap_to_target(_standing(value, target, direction)) == pytest.approx(gap)


def test_no_target_or_no_direction_has_no_gap() -> None:
    assert gap_to_target(_standing(4.0, None, "+")) is None
    assert gap_to_target(_standing(4.0, 10.0, "~")) is None


def test_a_bar_is_its_share_of_the_target_capped_at_the_charts_end() -> None:
    assert bar_share(None) is None
    assert bar_share(0.0) == 0.0
    assert bar_share(100.0) == pytest.approx(100.0 / CHART_CEILING)
    assert bar_share(CHART_CEILING * 3) == 1.0


def test_rows_are_weakest_first_and_those_without_a_target_last() -> None:
    no_target = _standing(1.0, None, "~", code="A")
    strong = _standing(99.0, 100.0, "+", band=4, severity=0.01, percent_of_target=99.0, code="B")
    weakest = _standing(10.0, 100.0, "+", band=1, severity=0.9, percent_of_target=10.0, code="C")
    weak = _standing(20.0, 100.0, "+", band=1, severity=0.8, percent_of_target=20.0, code="D")
    rows = kpi_rows([no_target, strong, weak, weakest], {})
    assert [row.standing.kpi.code for row in rows] == ["C", "D", "B", "A"]
    assert [row.band_class for row in rows] == ["band-1", "band-1", "band-4", "band-none"]
