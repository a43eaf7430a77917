"""API shapes of suppliers."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, StringConstraints

from service.identifiers import is_valid_organisation_number
from service.text_fields import NoControlCharacters


def _organisation_number(value: str) -> str:
    digits = value.replace(" ", "")
    if not is_valid_organisation_number(digits):
        raise ValueError(
            "must be a Norwegian organisation number: nine digits, the last of them a mod-11 check digit"
        )
    return digits


OrganisationNumber = Annotated[
    str, StringConstraints(max_length=20), NoControlCharacters, AfterValidator(_organisation_number)
]
SupplierName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NoControlCharacters
]


class SupplierCreate(BaseModel):
    name: SupplierName
    organisation_number: OrganisationNumber
    website: HttpUrl | None = None


class SupplierUpdate(BaseModel):
    name: SupplierName | None = None
    organisation_number: OrganisationNumber | None = None
    website: HttpUrl | None = None


class ContractWon(BaseModel):
    """An award notice naming the supplier (by organisation number) among the winners: evidence."""

    notice_id: int = Field(description="The notice's id here: GET /api/v1/notices/{id}.")
    buyer_name: str
    year: int = Field(description="The award notice's year of publication.")
    title: str
    link: str = Field(description="The notice at its publisher (Doffin) when known, else here.")


class SupplierRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    organisation_number: str
    website: str | None
    demo: bool = Field(description="True for fictional demo records.")
    contracts_won: list[ContractWon] = Field(
        default_factory=list,
        description="One supplier's answer: award notices naming it a winner, newest first (empty in lists).",
    )
    created_at: datetime
    updated_at: datetime
