"""Choosing the shipped SSB mapping for an uploaded JSON-stat2 file, and recognising such a file."""

import json
from pathlib import Path
from typing import Any

import pytest

from service.kpis.csv_import import read_observations, write_observations
from service.kpis.schemas import ObservationIn
from service.kpis.ssb_files import (
    MappingChoiceError,
    NotJsonStat,
    ShippedMapping,
    choose_mapping,
    dataset_table,
    json_stat_dataset,
    shipped_mappings,
)
from service.kpis.ssb_mapping import SsbMapping

FIXTURE = Path(__file__).parents[2] / "service" / "kpis" / "fixtures" / "10540_unemployment.json"


def answer(**changes: Any) -> dict[str, Any]:
    """SSB's answer for table 10540 (extension.px.tableid "10540", label "10540: ...")."""
    recorded: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return {key: value for key, value in {**recorded, **changes}.items() if value is not None}


def shipped(name: str, table: str, source: str = "SSB") -> ShippedMapping:
    return ShippedMapping(
        name,
        SsbMapping.model_validate(
            {
                "table": table,
                "query": [{"code": "Region", "selection": {"filter": "all", "values": ["*"]}}],
                "source": source,
                "observations": [{"kpi_code": "EC-P-EM-1C", "unit": "%"}],
            }
        ),
    )


MAPPINGS = [shipped("unemployment", "10540"), shipped("population", "07459")]


def test_the_table_is_ssbs_table_id_else_the_number_leading_the_label() -> None:
    assert dataset_table(answer()) == "10540"
    assert dataset_table(answer(extension=None)) == "10540"
    assert dataset_table(answer(extension={"px": {"tableid": "07459"}}, label="Folkemengde")) == "07459"
    assert dataset_table(answer(extension=None, label="Registrerte arbeidsledige")) is None
    assert dataset_table(answer(extension={"px": {"tableid": "abc"}}, label=None)) is None


def test_the_mapping_for_the_files_table_is_chosen() -> None:
    assert choose_mapping(answer(), MAPPINGS).name == "unemployment"
    assert choose_mapping(answer(), MAPPINGS, "unemployment").name == "unemployment"


def test_a_file_without_a_table_takes_the_chosen_mapping_or_asks_for_one() -> None:
    untabled = answer(extension=None, label="Registrerte arbeidsledige")
    assert choose_mapping(untabled, MAPPINGS, "population").name == "population"
    with pytest.raises(MappingChoiceError) as raised:
        choose_mapping(untabled, MAPPINGS)
    assert (raised.value.problem, raised.value.table) == ("no_table", None)


@pytest.mark.parametrize(
    ("mappings", "chosen", "problem"),
    [
        ([shipped("population", "07459")], "", "unknown_table"),
        ([*MAPPINGS, shipped("unemployment_men", "10540")], "", "several"),
        (MAPPINGS, "gone", "unknown_mapping"),
        (MAPPINGS, "population", "other_table"),
    ],
)
def test_no_fitting_mapping_says_why(mappings: list[ShippedMapping], chosen: str, problem: str) -> None:
    with pytest.raises(MappingChoiceError) as raised:
        choose_mapping(answer(), mappings, chosen)
    assert (raised.value.problem, raised.value.table) == (problem, "10540")


def test_the_shipped_mappings_are_listed_by_file_name_with_their_table_and_source(tmp_path: Path) -> None:
    [unemployment] = [item for item in shipped_mappings() if item.name == "unemployment_10540"]
    assert unemployment.mapping.table == "10540"
    assert unemployment.label.startswith("SSB table 10540: Registered unemployed")
    assert shipped("p", "07459", "Population").label == "07459: Population"
    assert shipped_mappings(tmp_path) == []


def test_a_json_stat_dataset_is_known_by_its_content() -> None:
    assert json_stat_dataset(json.dumps(answer())) == answer()
    assert json_stat_dataset("municipality_number,kpi_code\n") is None
    for text in ('{"class": "collection"}', "[]", '{"class": "dataset",'):
        with pytest.raises(NotJsonStat):
            json_stat_dataset(text)


def test_observations_written_as_csv_read_back_the_same() -> None:
    rows = [
        ObservationIn(
            municipality_number="0301",
            kpi_code="EC-P-EM-1C",
            year=2023,
            value=0.1 + 0.2,
            unit="%",
            source='SSB table 10540: "Registered", unemployed; 15-74',
        ),
        ObservationIn(
            municipality_number="1103",
            kpi_code="EN-ENV-AQ-1C",
            data_point="PM2.5",
            year=2022,
            value=1e-05,
            unit="µg/m³",
            source="x",
            synthetic=True,
        ),
    ]
    assert read_observations(write_observations(rows)) == rows
