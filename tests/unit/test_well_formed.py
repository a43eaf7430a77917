"""The well-formed fields of a body that failed its shape check, as the model would read them."""

import pytest
from pydantic import BaseModel, field_validator

from service.kpis.schemas import ObservationIn
from service.solutions.schemas import SolutionCreate, SolutionUpdate
from service.well_formed import well_formed, well_formed_id, well_formed_items


def test_each_field_is_read_alone_and_the_malformed_ones_are_left_out() -> None:
    raw = {"title": "", "trl": 12, "kpi_codes": ["ec: i: ws: 3c", "NOPE"], "regions_served": ["99", "5"]}
    fields = well_formed(SolutionCreate, raw)
    assert "title" not in fields and "trl" not in fields and "regions_served" not in fields
    assert fields["kpi_codes"] == ["EC-I-WS-3C", "NOPE"]  # normalised as the model does


def test_a_field_left_out_takes_its_default_and_a_required_one_stays_out() -> None:
    fields = well_formed(SolutionUpdate, {"sdgs": [6]})
    assert fields["sdgs"] == [6] and fields["kpi_codes"] is None
    assert "description" not in well_formed(SolutionCreate, {})
    assert well_formed(SolutionCreate, {})["regions_served"] == []


def test_an_observation_compacts_its_kpi_code_and_refuses_a_future_year_field_by_field() -> None:
    fields = well_formed(ObservationIn, {"kpi_code": "ec-i-ws-3c", "year": 3000})
    assert fields["kpi_code"] == "EC-I-WS-3C" and "year" not in fields


@pytest.mark.parametrize("raw", [None, "text", ["a"], 5])
def test_what_is_no_object_has_no_fields(raw: object) -> None:
    assert well_formed(SolutionCreate, raw) == {}


def test_the_records_of_a_batch_keep_their_positions_up_to_the_limit() -> None:
    raw = {"items": [{"trl": 3}, "not a record", {"trl": 30}, {"trl": 4}]}
    items = well_formed_items(SolutionUpdate, raw, "items", limit=3)
    assert [item.get("trl") for item in items] == [3, None, None]
    assert items[1] == {}
    assert well_formed_items(SolutionUpdate, {"items": "many"}, "items", limit=3) == []


def test_a_model_with_a_field_validator_is_refused_since_a_field_read_alone_would_skip_it() -> None:
    class Checked(BaseModel):
        code: str

        @field_validator("code")
        @classmethod
        def _upper(cls, code: str) -> str:
            return code.upper()

    with pytest.raises(TypeError, match="not in a field_validator"):
        well_formed(Checked, {"code": "x"})


@pytest.mark.parametrize(
    ("raw", "read"), [("12", 12), ("0", None), ("abc", None), ("1e3", None), (None, None)]
)
def test_an_id_of_the_path_is_read_as_the_route_reads_it(raw: object, read: int | None) -> None:
    assert well_formed_id(raw) == read
