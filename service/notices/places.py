"""Norway's NUTS 3 regions (as notices name places of performance and buyers' addresses) to the county
numbers of 1 January 2024 that seed_data/municipalities.json uses; seed_data/nuts_no_counties.json says
where the mapping comes from."""

import json
from functools import lru_cache
from pathlib import Path

NUTS_COUNTIES_FILE = Path(__file__).resolve().parent.parent.parent / "seed_data" / "nuts_no_counties.json"


@lru_cache(maxsize=1)
def _counties() -> dict[str, str | None]:
    counties: dict[str, str | None] = json.loads(NUTS_COUNTIES_FILE.read_text(encoding="utf-8"))["counties"]
    return counties


def county_for_nuts(code: str) -> str | None:
    """The county number ("46") of a Norwegian NUTS 3 code ("NO0A2", any case); None for a code of
    another country, an unknown one, and Svalbard, Jan Mayen and Extra-Regio, which are in no county."""
    return _counties().get(code.strip().upper())


def first_county(nuts_codes: tuple[str, ...]) -> str | None:
    """The county of the first of `nuts_codes` that lies in one, as a notice's places are listed."""
    return next((county for code in nuts_codes if (county := county_for_nuts(code)) is not None), None)
