"""SSB mapping files: what a mapping must say, and how a bad one is named (tests/kpis/test_ssb_parsing.py
reads the example files)."""

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from service.kpis.ssb_mapping import SsbMapping, SsbMappingError, load_mapping


def mapping(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "table": "10540",
        "query": [{"code": "Region", "selection": {"filter": "all", "values": ["*"]}}],
        "source": "SSB table 10540",
        "observations": [{"where": {"ContentsCode": "Arbledige"}, "kpi_code": "ec: p: em: 1c", "unit": "%"}],
    }
    return {**raw, **changes}


def test_a_rule_compacts_its_kpi_code_and_defaults_to_no_data_point_and_scale_one() -> None:
    [rule] = SsbMapping.model_validate(mapping()).observations
    assert (rule.kpi_code, rule.data_point, rule.scale) == ("EC-P-EM-1C", "", 1.0)


def test_the_request_body_is_the_query_asking_for_json_stat2() -> None:
    assert SsbMapping.model_validate(mapping()).request_body() == {
        "query": [{"code": "Region", "selection": {"filter": "all", "values": ["*"]}}],
        "response": {"format": "json-stat2"},
    }


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"table": "1054"}, "String should match pattern"),
        ({"query": []}, "List should have at least 1 item"),
        ({"observations": []}, "List should have at least 1 item"),
        (
            {"observations": [{"kpi_code": "EC-P-EM-1C", "unit": "%", "scale": 0}]},
            "scale 0 would turn every value into 0",
        ),
        ({"observations": [{"kpi_code": "EC-P-EM-1C", "unit": "%", "scale": "inf"}]}, "finite number"),
    ],
)
def test_an_unusable_mapping_is_refused(changes: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        SsbMapping.model_validate(mapping(**changes))


def test_a_rule_may_not_fix_the_dimensions_named_as_region_and_time() -> None:
    rule = {"where": {"Kommune": "0301", "Aar": "2023"}, "kpi_code": "EC-P-EM-1C", "unit": "%"}
    with pytest.raises(ValidationError, match=r"observations\.0\.where may not fix Aar, Kommune"):
        SsbMapping.model_validate(
            mapping(region_dimension="Kommune", time_dimension="Aar", observations=[rule])
        )
    # Under the default names, "Kommune" and "Aar" are ordinary dimensions.
    SsbMapping.model_validate(mapping(observations=[rule]))


def test_a_file_that_is_not_an_object_is_named_at_the_top_level(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps([mapping()]), encoding="utf-8")
    with pytest.raises(SsbMappingError) as raised:
        load_mapping(path)
    assert str(raised.value).startswith(f"mapping file {path} is not usable:\n(top level): ")


def test_a_file_that_is_not_utf8_is_not_valid_json(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_bytes('{"source": "Statistisk sentralbyrå"}'.encode("latin-1"))
    with pytest.raises(SsbMappingError, match="is not valid JSON"):
        load_mapping(path)
