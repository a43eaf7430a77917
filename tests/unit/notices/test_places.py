"""Norway's NUTS 3 codes to the county numbers of 2024, as seed_data/nuts_no_counties.json maps them."""

import json
from pathlib import Path

from service.notices.places import NUTS_COUNTIES_FILE, county_for_nuts, first_county

MUNICIPALITIES = Path(__file__).resolve().parents[3] / "seed_data" / "municipalities.json"


def test_counties_named_in_the_code_list() -> None:
    assert county_for_nuts("NO081") == "03"  # Oslo
    assert county_for_nuts("NO0A1") == "11"  # Rogaland
    assert county_for_nuts("NO0A2") == "46"  # Vestland
    assert county_for_nuts("NO020") == "34"  # Innlandet
    assert county_for_nuts("NO060") == "50"  # Trøndelag/Trööndelage
    assert county_for_nuts("NO071") == "18"  # Nordland/Nordlánnda
    assert county_for_nuts("NO072") == "55"  # Troms/Romsa/Tromssa
    assert county_for_nuts("NO073") == "56"  # Finnmark/Finnmárku/Finmarkku
    assert county_for_nuts("no0a3") == "15"  # Møre og Romsdal, any case


def test_places_in_no_county() -> None:
    assert county_for_nuts("NO0B1") is None  # Jan Mayen
    assert county_for_nuts("NO0B2") is None  # Svalbard
    assert county_for_nuts("NOZZZ") is None
    assert county_for_nuts("SE110") is None
    assert county_for_nuts("NO999") is None


def test_every_county_has_exactly_one_region_whose_label_names_it() -> None:
    document = json.loads(NUTS_COUNTIES_FILE.read_text(encoding="utf-8"))
    counties = {c["number"]: c["name"] for c in json.loads(MUNICIPALITIES.read_text("utf-8"))["counties"]}
    mapped = {code: number for code, number in document["counties"].items() if number is not None}
    assert sorted(mapped.values()) == sorted(counties)
    for code, number in mapped.items():
        assert document["nuts_labels"][code].split("/")[0] == counties[number]
    assert "CC BY 4.0" in document["source"]


def test_first_county_of_a_notices_places() -> None:
    assert first_county(("LU000", "NO0B2", "NO084", "NO081")) == "32"  # Akershus
    assert first_county(("FRD22",)) is None
    assert first_county(()) is None
