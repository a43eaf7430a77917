"""API shapes of the KPI catalogue."""

from pydantic import BaseModel, ConfigDict


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
