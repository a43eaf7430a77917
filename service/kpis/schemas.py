"""API shapes of the KPI catalogue."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from service.identifiers import compact_kpi_code


class KpiRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    official_code: str
    name_en: str
    name_no: str
    dimension: str
    subdimension: str
    category: str
    core: bool
    unit_kind: str
    definition: str | None
    direction: str
    direction_note: str | None
    sdgs: list[int]


class ObservationIn(BaseModel):
    """One observed KPI value; re-importing the same (municipality, KPI, data point, year) updates it."""

    municipality_number: Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
    kpi_code: Annotated[str, StringConstraints(min_length=1, max_length=30)]
    data_point: Annotated[str, StringConstraints(max_length=50, strip_whitespace=True)] = Field(
        default="",
        description="For KPIs with several data points (e.g. 'private' in mode share); empty otherwise.",
    )
    year: int = Field(ge=1990, description="1990 up to next year.")
    value: float = Field(allow_inf_nan=False)
    unit: Annotated[str, StringConstraints(min_length=1, max_length=50, strip_whitespace=True)]
    source: Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)]
    synthetic: bool = Field(default=False, description="True for generated values that were not measured.")

    @field_validator("kpi_code")
    @classmethod
    def _compact(cls, code: str) -> str:
        return compact_kpi_code(code)

    @field_validator("year")
    @classmethod
    def _not_in_the_future(cls, year: int) -> int:
        latest = datetime.now(UTC).year + 1
        if year > latest:
            raise ValueError(f"year must be between 1990 and {latest}")
        return year


class ObservationBatch(BaseModel):
    observations: list[ObservationIn] = Field(min_length=1, max_length=50_000)


class ObservationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    municipality_number: str
    kpi_code: str
    data_point: str
    year: int
    value: float
    unit: str
    source: str
    synthetic: bool


class ImportResult(BaseModel):
    created: int
    updated: int
    unchanged: int
