"""The county map the app ships has a shape for each of the 15 counties of seed_data/municipalities.json
(2024 numbering), no other, says where it comes from, and stays small; its colour steps cover every count."""

import json
import re
from pathlib import Path

from service.demand.county_map import COUNTY_MAP, county_map, legend, level_of

MUNICIPALITIES = Path(__file__).resolve().parents[3] / "seed_data" / "municipalities.json"


def test_the_map_has_the_fifteen_counties_of_the_municipality_catalogue() -> None:
    counties = {county["number"] for county in json.loads(MUNICIPALITIES.read_text("utf-8"))["counties"]}
    assert len(counties) == 15
    shapes = county_map()
    assert set(shapes.paths) == counties
    assert all(re.fullmatch(r"(M[\d. L-]+Z)+", path) for path in shapes.paths.values())
    document = json.loads(COUNTY_MAP.read_text("utf-8"))
    assert "Natural Earth" in document["source"] and "public domain" in document["licence"].lower()
    assert COUNTY_MAP.stat().st_size < 150_000


def test_each_count_has_the_colour_step_its_legend_gives() -> None:
    for most in (0, 1, 3, 7, 40):
        steps = legend(most)
        for needs in range(most + 1):
            (step,) = [step for step in steps if step.least <= needs <= step.most]
            assert level_of(needs, most) == step.level
