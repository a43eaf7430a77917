"""U4SSC benchmarking arithmetic: % of target, band, trend and a severity that compares KPIs.

U4SSC scores a city by % of target: 0-33 % is band 1, 33-66 % band 2, 66-95 % band 3, >= 95 % band 4.
For a lower-is-better KPI the ratio is inverted (a water loss of 30 % against a 10 % target is 33 %).
"""

from dataclasses import dataclass

BAND_LIMITS = (33.0, 66.0, 95.0)
STABLE_CHANGE = 0.01  # a change under 1 % of the earlier value is no trend


def percent_of_target(value: float, target: float, direction: str) -> float:
    if direction == "+":
        return 100.0 if target <= 0 else max(value, 0.0) / target * 100.0
    if direction == "-":
        return 100.0 if value <= target else target / value * 100.0
    raise ValueError(f"no % of target for direction '{direction}'")


def band_of(percent: float) -> int:
    return 1 + sum(percent >= limit for limit in BAND_LIMITS)


def gap_severity(percent: float) -> float:
    """0 at or beyond the target, 1 at the farthest; comparable across KPIs and units."""
    return round(1.0 - min(max(percent, 0.0), 100.0) / 100.0, 3)


@dataclass(frozen=True)
class Trend:
    direction: str  # improving | worsening | stable
    change: float  # latest minus the earlier value, in the KPI's unit
    from_year: int


def trend_of(history: list[tuple[int, float]], direction: str) -> Trend | None:
    """From (year, value) pairs, oldest first: the latest against the one before."""
    if len(history) < 2 or direction not in "+-":
        return None
    (from_year, earlier), (_year, latest) = history[-2], history[-1]
    change = latest - earlier
    if abs(change) <= abs(earlier) * STABLE_CHANGE:
        return Trend("stable", round(change, 4), from_year)
    better = change > 0 if direction == "+" else change < 0
    return Trend("improving" if better else "worsening", round(change, 4), from_year)


def direction_for(kpi_direction: str, direction_note: str | None, data_point: str) -> str:
    """The direction of one data point; split KPIs spell theirs out, e.g. 'split: private -, public/walk/cycle +'."""
    if kpi_direction in ("+", "-") or not direction_note or not direction_note.startswith("split:"):
        return kpi_direction
    for part in direction_note.removeprefix("split:").split(","):
        names, _, sign = part.strip().rpartition(" ")
        if data_point and data_point.lower() in {name.strip().lower() for name in names.split("/")}:
            return sign if sign in ("+", "-") else "~"
    return "~"
