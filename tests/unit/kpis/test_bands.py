"""U4SSC arithmetic at its edges: % of target, severity, trend and split directions (tests/service/test_kpi_gaps.py has the common cases)."""

import pytest

from service.kpis.bands import Trend, band_of, direction_for, gap_severity, percent_of_target, trend_of


@pytest.mark.parametrize(
    ("value", "target", "direction", "percent"),
    [
        (5.0, 0.0, "+", 100.0),  # a target of nothing is met by anything
        (-3.0, 50.0, "+", 0.0),  # a negative value counts as none
        (0.0, 0.0, "-", 100.0),  # at the target
        (8.0, 0.0, "-", 0.0),  # any amount against a zero target is as far as it goes
        (25.0, 20.0, "-", 80.0),
    ],
)
def test_percent_of_target_at_zero_and_negative_values(
    value: float, target: float, direction: str, percent: float
) -> None:
    assert percent_of_target(value, target, direction) == pytest.approx(percent)


def test_there_is_no_percent_of_target_without_a_direction() -> None:
    with pytest.raises(ValueError, match="no % of target for direction '~'"):
        percent_of_target(1.0, 2.0, "~")


def test_severity_is_one_below_zero_and_rounded_to_three_decimals() -> None:
    assert gap_severity(-20.0) == 1.0
    assert gap_severity(200 / 3) == 0.333
    assert band_of(-5.0) == 1


def test_a_change_of_exactly_one_percent_is_stable_and_a_little_more_is_a_trend() -> None:
    assert trend_of([(2022, 200.0), (2023, 202.0)], "+") == Trend("stable", 2.0, 2022)
    assert trend_of([(2022, 200.0), (2023, 202.5)], "+") == Trend("improving", 2.5, 2022)
    assert trend_of([(2022, 200.0), (2023, 197.5)], "-") == Trend("improving", -2.5, 2022)


def test_from_zero_any_change_is_a_trend() -> None:
    assert trend_of([(2022, 0.0), (2023, 0.0)], "+") == Trend("stable", 0.0, 2022)
    assert trend_of([(2022, 0.0), (2023, 0.5)], "-") == Trend("worsening", 0.5, 2022)


def test_the_trend_compares_the_last_two_values_only() -> None:
    history = [(2019, 10.0), (2021, 50.0), (2023, 40.0)]
    assert trend_of(history, "+") == Trend("worsening", -10.0, 2021)


def test_a_kpi_without_a_direction_has_no_trend() -> None:
    assert trend_of([(2022, 1.0), (2023, 5.0)], "~") is None
    assert trend_of([], "+") is None


@pytest.mark.parametrize(
    ("kpi_direction", "note", "data_point", "direction"),
    [
        ("-", "split: private -, public +", "public", "-"),  # a KPI with its own direction ignores notes
        ("~", "split: private -, public/walk/cycle +", "Walk", "+"),  # names compared without case
        ("~", "split: private -, public/walk/cycle +", "bus", "~"),  # not named: no direction
        ("~", "split: private -, public +", "", "~"),
        ("~", "depends on the local context", "private", "~"),  # no split note
        ("~", None, "private", "~"),
    ],
)
def test_the_direction_of_a_data_point(
    kpi_direction: str, note: str | None, data_point: str, direction: str
) -> None:
    assert direction_for(kpi_direction, note, data_point) == direction
