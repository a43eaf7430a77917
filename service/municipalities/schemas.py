"""API shapes of counties and municipalities."""

from pydantic import BaseModel, ConfigDict


class MunicipalityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: str
    name: str
    county_number: str
    county_name: str
    organisation_number: str | None
