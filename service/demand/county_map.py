"""The counties' shapes for the demand page's map: an SVG path per county (2024 numbering) in a fixed
projection, from seed_data/county_map.json (built by scripts/dev/build_county_map.py from Natural Earth,
public domain). Read once; the app ships the file, so the map needs no other host."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

COUNTY_MAP = Path(__file__).resolve().parents[2] / "seed_data" / "county_map.json"
LEVELS = 4  # colour steps for counties with open needs; 0 is the colour of none


@dataclass(frozen=True)
class CountyMap:
    view_box: str
    paths: dict[str, str]  # county number -> SVG path data


@cache
def county_map() -> CountyMap:
    document = json.loads(COUNTY_MAP.read_text(encoding="utf-8"))
    return CountyMap(
        document["view_box"], {number: item["path"] for number, item in document["counties"].items()}
    )


@dataclass(frozen=True)
class Level:
    level: int
    least: int
    most: int


def level_of(needs: int, most_needs: int) -> int:
    """The colour step of a count: 0 for none, else 1 to LEVELS in equal steps up to the largest count."""
    if needs <= 0 or most_needs <= 0:
        return 0
    return max(1, -(-needs * LEVELS // most_needs))  # rounded up


def legend(most_needs: int) -> list[Level]:
    """The counts each colour step stands for (steps no count can reach are left out)."""
    levels = [Level(0, 0, 0)]
    least = 1
    for level in range(1, LEVELS + 1):
        most = most_needs * level // LEVELS
        if most >= least:
            levels.append(Level(level, least, most))
            least = most + 1
    return levels
