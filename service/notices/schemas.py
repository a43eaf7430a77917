"""API shapes of procurement notices."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.notices.importer import NoticeSource, Outcome
from service.notices.parsed import NoticeKind
from service.text_fields import CountyNumber, MunicipalityNumber, SearchText


class NoticeFilters(BaseModel):
    """Which notices a list holds; each filter given narrows it."""

    kind: NoticeKind | None = Field(default=None, description="pin, cn, can, veat or change.")
    buyer: SearchText | None = Field(
        default=None, description="Part of the buyer's name (any case), or its organisation number."
    )
    municipality: MunicipalityNumber | None = Field(
        default=None, description="Notices of this municipality as the buyer."
    )
    county: CountyNumber | None = Field(
        default=None, description="Notices of a buyer, or a place of performance, in this county."
    )
    cpv: str | None = Field(
        default=None,
        pattern=r"^[0-9]{2,8}$",
        description="Notices with a CPV code in this subtree: a code or its first digits, e.g. 4523 or 45230000.",
    )
    open_only: bool = Field(default=False, description="Only active notices whose deadline has not passed.")
    published_since: date | None = Field(default=None, description="Published on this day or later.")


class NoticeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    notice_id: str = Field(description="The eForms notice id (a UUID), without its version.")
    version: str
    kind: NoticeKind
    notice_type: str
    subtype: str
    publication_date: date
    buyer_name: str
    buyer_organisation_number: str | None
    municipality_number: str | None = Field(description="Set when the buyer is a municipality.")
    county_number: str | None = Field(
        description="The buyer municipality's county, else that of the first Norwegian place."
    )
    languages: list[str]
    titles: dict[str, str] = Field(description="By ISO 639-1 language code.")
    descriptions: dict[str, str]
    main_cpv: list[str]
    additional_cpv: list[str]
    nuts: list[str] = Field(description="NUTS 3 codes of the places of performance.")
    procedure_type: str | None
    estimated_value: Decimal | None
    currency: str | None
    tender_deadline: datetime | None
    lots: list[dict[str, Any]]
    awards: list[dict[str, Any]]
    status: Literal["active", "voided"]
    source: NoticeSource
    need_id: int | None = Field(description="The need that carries the notice into matching.")
    link: str = Field(description="The notice at its publisher (Doffin) when known, else here.")
    created_at: datetime
    updated_at: datetime


class DocumentOutcomeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str = Field(description="The file's name.")
    outcome: Outcome
    notice_id: str | None
    message: str
    field: str | None = Field(description="A refused document: the field at fault.")


class ImportReportRead(BaseModel):
    documents: list[DocumentOutcomeRead]
    summary: str
