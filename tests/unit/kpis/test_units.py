"""Which units an observation may carry for each KPI unit kind, and the words of a refusal."""

import pytest

from service.kpis.units import unit_problem


@pytest.mark.parametrize(
    ("unit_kind", "unit", "value"),
    [
        ("%", "%", 0.0),
        ("%", " Prosent ", 100.0),  # case and surrounding space do not matter
        ("%", "PCT", 42.0),
        ("per 100 000 inh.", "per  100   000", 0.0),  # runs of spaces count as one
        ("per 100 000 inh.", "per 100k", 350.0),
        ("ratio", "Index", -0.4),  # a ratio may be negative
        ("yes/no per sub-item", "boolean", 1.0),
        ("yes/no per sub-item", "0/1", 0.0),
        ("count/absolute", "persons", 12.0),
        ("see definition", "%", 250.0),  # kinds without a rule accept anything
    ],
)
def test_units_that_fit_the_kpi(unit_kind: str, unit: str, value: float) -> None:
    assert unit_problem(unit_kind, unit, value) is None


@pytest.mark.parametrize(
    ("unit_kind", "unit", "value", "problem"),
    [
        ("%", "Per 100 000", 5.0, "this KPI is a percentage: the unit must be '%', not 'per 100 000'"),
        ("%", "%", 100.5, "a percentage must be between 0 and 100, got 100.5"),
        ("%", "%", -1.0, "a percentage must be between 0 and 100, got -1.0"),
        (
            "per 100 000 inh.",
            "per 1000",
            5.0,
            "this KPI is counted per 100 000 inhabitants: the unit must be 'per 100 000', not 'per 1000'",
        ),
        ("per 100 000 inh.", "per 100 000", -0.1, "a rate per 100 000 cannot be negative"),
        ("ratio", "%", 0.5, "this KPI is a ratio: the unit must be 'ratio', not '%'"),
        (
            "yes/no per sub-item",
            "yes/no",
            0.5,
            "this KPI is yes/no: the unit must be 'yes/no' and the value 0 or 1",
        ),
        (
            "yes/no per sub-item",
            "%",
            1.0,
            "this KPI is yes/no: the unit must be 'yes/no' and the value 0 or 1",
        ),
        ("count/absolute", "prosent", 12.0, "this KPI is a count, not a percentage"),
    ],
)
def test_units_that_contradict_the_kpi_are_named(
    unit_kind: str, unit: str, value: float, problem: str
) -> None:
    assert unit_problem(unit_kind, unit, value) == problem
