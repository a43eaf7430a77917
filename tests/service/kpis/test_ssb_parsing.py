"""Reading JSON-stat2 answers and mapping files, without a server or database."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from service.errors import FieldErrors
from service.kpis.ssb import SsbImportError, read_dataset
from service.kpis.ssb_mapping import SsbMapping, SsbMappingError, load_mapping
from service.seeding import SEED_DIR
from tests.service.kpis.conftest import recorded


def mapping(**changes: Any) -> SsbMapping:
    raw: dict[str, Any] = {
        "table": "10540",
        "query": [{"code": "Region", "selection": {"filter": "all", "values": ["*"]}}],
        "source": "SSB table 10540",
        "skip_unknown_regions": True,
        "observations": [
            {"where": {"ContentsCode": "Arbeidsledige2"}, "kpi_code": "EC-P-EM-1C", "unit": "%"}
        ],
    }
    raw.update(changes)
    return SsbMapping.model_validate(raw)


def cube(
    values: list[float | None], *, sexes: tuple[str, ...] = ("0",), years: tuple[str, ...] = ("2023",)
) -> dict[str, Any]:
    """A small dataset shaped like SSB's: Region x Kjonn x ContentsCode x Tid."""
    regions = ("K-0301", "K-4601")
    return {
        "version": "2.0",
        "class": "dataset",
        "id": ["Region", "Kjonn", "ContentsCode", "Tid"],
        "size": [len(regions), len(sexes), 1, len(years)],
        "dimension": {
            "Region": {"label": "region", "category": {"index": {code: i for i, code in enumerate(regions)}}},
            "Kjonn": {"label": "kjønn", "category": {"index": list(sexes)}},
            "ContentsCode": {
                "label": "statistikkvariabel",
                "category": {"label": {"Arbeidsledige2": "prosent"}},
            },
            "Tid": {"label": "år", "category": {"index": {year: i for i, year in enumerate(years)}}},
        },
        "value": values,
    }


def test_the_recorded_answer_reads_as_observations() -> None:
    rows = read_dataset(recorded("10540_unemployment.json"), mapping())
    assert len(rows.observations) == 7
    assert rows.missing_values == 1
    assert rows.skipped_regions == {"0"}
    first = rows.observations[0]
    assert (first.municipality_number, first.kpi_code, first.year, first.value, first.unit) == (
        "0301",
        "EC-P-EM-1C",
        2022,
        2.4,
        "%",
    )
    assert rows.origins[0] == "table 10540, Region K-0301, ContentsCode Arbeidsledige2, Tid 2022"


def test_rules_pick_a_dimension_value_and_scale() -> None:
    rules = [
        {
            "where": {"ContentsCode": "Arbeidsledige2", "Kjonn": "1"},
            "kpi_code": "EC-P-EM-1C",
            "data_point": "men",
            "unit": "%",
        },
        {
            "where": {"ContentsCode": "Arbeidsledige2", "Kjonn": "2"},
            "kpi_code": "EC-P-EM-1C",
            "data_point": "women",
            "unit": "%",
            "scale": 10,
        },
    ]
    found = read_dataset(
        cube([1.0, 0.2, 3.0, 0.4], sexes=("1", "2")), mapping(observations=rules)
    ).observations
    assert [(row.municipality_number, row.data_point, row.value) for row in found] == [
        ("0301", "men", 1.0),
        ("0301", "women", 2.0),
        ("4601", "men", 3.0),
        ("4601", "women", 4.0),
    ]


def test_a_dimension_left_open_is_refused() -> None:
    with pytest.raises(
        SsbImportError, match=r"dimension 'Kjonn' of table 10540 has 2 values \(1, 2\) but observations.0"
    ):
        read_dataset(cube([1.0, 2.0, 3.0, 4.0], sexes=("1", "2")), mapping())


def test_a_code_the_answer_lacks_is_named() -> None:
    rules = [{"where": {"ContentsCode": "Arbeidsledige9"}, "kpi_code": "EC-P-EM-1C", "unit": "%"}]
    with pytest.raises(SsbImportError, match=r"ContentsCode 'Arbeidsledige9', which SSB did not return"):
        read_dataset(cube([1.0, 2.0]), mapping(observations=rules))


def test_months_are_not_years() -> None:
    with pytest.raises(SsbImportError, match=r"time periods 2023M01, 2023M02 in 'Tid'"):
        read_dataset(cube([1.0, 2.0, 3.0, 4.0], years=("2023M01", "2023M02")), mapping())


def test_missing_values_by_null_and_by_status() -> None:
    dataset = cube([None, 2.0])
    assert read_dataset(dataset, mapping()).missing_values == 1
    dataset = cube([1.0, 2.0])
    dataset["status"] = {"1": ":"}  # confidential, though a number came along
    rows = read_dataset(dataset, mapping())
    assert (len(rows.observations), rows.missing_values) == (1, 1)


def test_sparse_values_are_read() -> None:
    dataset = cube([1.0, 2.0])
    dataset["value"] = {"1": 2.0}
    rows = read_dataset(dataset, mapping())
    assert [row.municipality_number for row in rows.observations] == ["4601"]
    assert rows.missing_values == 1


def test_regions_that_are_not_municipalities_become_field_errors_without_skip() -> None:
    with pytest.raises(FieldErrors) as raised:
        read_dataset(recorded("10540_unemployment.json"), mapping(skip_unknown_regions=False))
    assert {error.location[:2] for error in raised.value.errors} == {("cell", 0), ("cell", 1)}


def broken(change: str) -> dict[str, Any]:
    dataset = cube([1.0, 2.0])
    if change == "class":
        dataset["class"] = "collection"
    elif change == "json-stat 1":
        dataset = {"dataset": dataset}
    elif change == "size":
        dataset["size"] = [2, 1, 1]
    elif change == "dimension":
        del dataset["dimension"]["Tid"]
    elif change == "value count":
        dataset["value"] = [1.0]
    elif change == "value type":
        dataset["value"] = [1.0, "2,0"]
    elif change == "positions":
        dataset["dimension"]["Region"]["category"]["index"] = {"K-0301": 0, "K-4601": 5}
    elif change == "superscript cell":
        dataset["value"] = {"¹": 2.0}  # "¹".isdigit() is True, but int("¹") fails
    elif change == "superscript status":
        dataset["status"] = {"¹": ".."}
    return dataset


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("class", "'class' is 'collection', expected 'dataset' (ask for format json-stat2)"),
        ("json-stat 1", "'class' is None, expected 'dataset' (ask for format json-stat2)"),
        ("size", "'id' names 4 dimensions but 'size' gives 3 sizes"),
        ("dimension", "dimension 'Tid' is listed in 'id' but has no 'category'"),
        ("value count", "'value' holds 1 number but 'size' makes 2 cells"),
        ("value type", "cell 1 holds '2,0', not a number or null"),
        ("positions", "dimension 'Region' has category positions other than 0..1"),
        ("superscript cell", "'value' has cell '¹' outside the cube's 2 cells"),
        ("superscript status", "'status' keys must be cell numbers"),
    ],
)
def test_malformed_json_stat_is_named(change: str, problem: str) -> None:
    with pytest.raises(SsbImportError) as raised:
        read_dataset(broken(change), mapping())
    assert str(raised.value) == f"SSB's answer is not a usable JSON-stat2 dataset: {problem}"


def test_the_example_mappings_are_valid() -> None:
    folder = SEED_DIR / "ssb_mappings"
    examples = sorted(folder.glob("*.json"))
    assert examples
    for path in examples:
        loaded = load_mapping(path)
        assert loaded.request_body()["response"] == {"format": "json-stat2"}


def test_a_bad_mapping_names_its_fields(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    raw = json.loads((SEED_DIR / "ssb_mappings" / "unemployment_10540.json").read_text())
    bad = copy.deepcopy(raw)
    bad["observations"][0]["where"]["Tid"] = "2023"
    bad["observations"][0].pop("unit")
    bad["extra"] = 1
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(SsbMappingError) as raised:
        load_mapping(path)
    message = str(raised.value)
    assert "observations.0.unit: Field required" in message
    assert "extra: Extra inputs are not permitted" in message
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(SsbMappingError, match="is not valid JSON"):
        load_mapping(path)
    with pytest.raises(SsbMappingError, match="cannot read mapping file"):
        load_mapping(tmp_path / "missing.json")
    fixed_time = copy.deepcopy(raw)
    fixed_time["observations"][0]["where"]["Tid"] = "2023"
    path.write_text(json.dumps(fixed_time), encoding="utf-8")
    with pytest.raises(SsbMappingError, match=r"observations.0.where may not fix Tid"):
        load_mapping(path)
