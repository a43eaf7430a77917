"""Mapping files that say which cells of a Statistics Norway (SSB) table become which KPI observations."""

import json
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from service.identifiers import compact_kpi_code

_Code = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]


class SsbMappingError(ValueError):
    """A mapping file that cannot be read or does not describe a usable import."""


class Selection(BaseModel):
    """One variable's selection in a PxWebApi v0 query, e.g. {"filter": "item", "values": ["0301"]}."""

    model_config = ConfigDict(extra="forbid")

    filter: _Code = Field(description="item, all, top, vs:<value set> or agg:<grouping>.")
    values: list[str]


class QueryVariable(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: _Code
    selection: Selection


class ObservationRule(BaseModel):
    """Cells whose dimensions match `where` become observations of `kpi_code`, their value times `scale`."""

    model_config = ConfigDict(extra="forbid")

    where: dict[_Code, _Code] = Field(
        default_factory=dict, description="Dimension id -> category code, e.g. {'ContentsCode': 'X'}."
    )
    kpi_code: Annotated[str, StringConstraints(min_length=1, max_length=30)]
    data_point: Annotated[str, StringConstraints(max_length=50, strip_whitespace=True)] = ""
    unit: Annotated[str, StringConstraints(min_length=1, max_length=50, strip_whitespace=True)]
    scale: float = Field(default=1.0, allow_inf_nan=False, description="Multiplies SSB's value.")

    @model_validator(mode="after")
    def _compact_code(self) -> "ObservationRule":
        self.kpi_code = compact_kpi_code(self.kpi_code)
        if self.scale == 0:
            raise ValueError("scale 0 would turn every value into 0")
        return self


class SsbMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    table: Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")] = Field(
        description="SSB table number, five digits, e.g. '10540'."
    )
    query: list[QueryVariable] = Field(min_length=1, description="The PxWebApi v0 'query' list.")
    region_dimension: _Code = "Region"
    time_dimension: _Code = "Tid"
    source: Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)]
    skip_unknown_regions: bool = Field(
        default=False,
        description="Skip the country, counties and numbers not in the municipality catalogue instead of "
        "refusing the batch.",
    )
    observations: list[ObservationRule] = Field(min_length=1)
    note: str | None = Field(default=None, description="Free text for people: what was checked, what not.")

    @model_validator(mode="after")
    def _rules_leave_region_and_time_free(self) -> "SsbMapping":
        for number, rule in enumerate(self.observations):
            fixed = {self.region_dimension, self.time_dimension} & set(rule.where)
            if fixed:
                raise ValueError(
                    f"observations.{number}.where may not fix {', '.join(sorted(fixed))}: "
                    "every region and year of the answer becomes an observation"
                )
        return self

    def request_body(self) -> dict[str, Any]:
        """The POST body for PxWebApi v0, always asking for JSON-stat2."""
        return {
            "query": [variable.model_dump() for variable in self.query],
            "response": {"format": "json-stat2"},
        }


def load_mapping(path: Path) -> SsbMapping:
    """Read and check a mapping file; SsbMappingError says which field is wrong."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SsbMappingError(f"cannot read mapping file {path}: {error.strerror or error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SsbMappingError(f"mapping file {path} is not valid JSON: {error}") from error
    try:
        return SsbMapping.model_validate(raw)
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(part) for part in item['loc']) or '(top level)'}: {item['msg']}"
            for item in error.errors()
        ]
        raise SsbMappingError(f"mapping file {path} is not usable:\n" + "\n".join(problems)) from error
