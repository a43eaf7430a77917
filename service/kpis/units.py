"""Which units an observation may carry for a KPI's unit kind, and what values they allow."""

import re

from service.reasons import Reason

_PERCENT = {"%", "percent", "prosent", "pct"}
_PER_100K = {"per 100 000", "per 100000", "per 100 000 inh.", "per 100 000 inhabitants", "per 100k"}
_RATIO = {"ratio", "index"}
_YES_NO = {"yes/no", "boolean", "0/1"}


def _normal(unit: str) -> str:
    return re.sub(r"\s+", " ", unit.strip().lower())


def unit_problem(unit_kind: str, unit: str, value: float) -> str | None:
    """Why `unit` (with `value`) contradicts a KPI measured in `unit_kind`, or None when it fits."""
    mismatch = unit_mismatch(unit_kind, unit, value)
    return mismatch[0] if mismatch else None


def unit_mismatch(unit_kind: str, unit: str, value: float) -> tuple[str, Reason] | None:
    """Why `unit` (with `value`) contradicts a KPI measured in `unit_kind` (in English, and as data for a
    page to word), or None when it fits."""
    unit = _normal(unit)
    kind = _normal(unit_kind)
    if kind == "%":
        if unit not in _PERCENT:
            return f"this KPI is a percentage: the unit must be '%', not '{unit}'", Reason(
                "unit_not_percent", {"unit": unit}
            )
        if not 0 <= value <= 100:
            return f"a percentage must be between 0 and 100, got {value}", Reason(
                "percent_out_of_range", {"value": value}
            )
    elif kind == "per 100 000 inh.":
        if unit not in _PER_100K:
            return (
                f"this KPI is counted per 100 000 inhabitants: the unit must be 'per 100 000', not '{unit}'",
                Reason("unit_not_per_100k", {"unit": unit}),
            )
        if value < 0:
            return "a rate per 100 000 cannot be negative", Reason("negative_rate")
    elif kind == "ratio":
        if unit not in _RATIO:
            return f"this KPI is a ratio: the unit must be 'ratio', not '{unit}'", Reason(
                "unit_not_ratio", {"unit": unit}
            )
    elif kind.startswith("yes/no"):
        if unit not in _YES_NO or value not in (0, 1):
            return "this KPI is yes/no: the unit must be 'yes/no' and the value 0 or 1", Reason("not_yes_no")
    elif unit in _PERCENT and kind.startswith("count"):
        return "this KPI is a count, not a percentage", Reason("count_not_percent")
    return None
