"""Match scores cut into strong, moderate and weak, with nothing below the floor."""

import pytest

from service.demand.match_bands import match_band


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1.3, "strong"),  # a score with a shared KPI may exceed 1
        (0.55, "strong"),
        (0.549, "moderate"),
        (0.40, "moderate"),
        (0.399, "weak"),
        (0.30, "weak"),
        (0.299, None),
        (-0.2, None),
    ],
)
def test_each_band_starts_at_its_floor(score: float, band: str | None) -> None:
    assert match_band(score) == band
