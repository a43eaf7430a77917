"""API shapes of solutions."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.kpis.schemas import SuggestedKpis
from service.response_warnings import ResponseWarning
from service.text_fields import (
    CountyNumber,
    CpvCodes,
    Description,
    KpiCodes,
    LanguageField,
    MunicipalityNumber,
    RecordId,
    Sdgs,
    Title,
    Trl,
)

SolutionStatus = Literal["published", "draft", "archived"]


class SolutionCreate(BaseModel):
    title: Title
    description: Description
    language: LanguageField | None = Field(
        default=None,
        description="ISO 639-1 code: 'no' (Norwegian, Bokmål or Nynorsk; 'nb' and 'nn' are read as 'no') or "
        "'en' (English), which Innomatch matches, or another language's, e.g. 'sv'; detected when absent.",
    )
    supplier_id: RecordId | None = None
    kpi_codes: KpiCodes = Field(default_factory=list, description="U4SSC KPI codes, e.g. EC-I-WS-3C.")
    sdgs: Sdgs = Field(default_factory=list, description="UN Sustainable Development Goals, 1-17.")
    trl: Trl | None = None
    cpv_codes: CpvCodes = Field(default_factory=list, description="CPV 2008 codes, eight digits.")
    regions_served: list[CountyNumber] = Field(
        default_factory=list, max_length=20, description="County numbers; empty means the whole country."
    )
    reference_municipalities: list[MunicipalityNumber] = Field(
        default_factory=list, max_length=400, description="Municipalities already using the solution."
    )
    status: SolutionStatus = "published"


class SolutionUpdate(BaseModel):
    title: Title | None = None
    description: Description | None = None
    language: LanguageField | None = Field(
        default=None,
        description="ISO 639-1 code, as on create; re-detected when the text changes without it.",
    )
    supplier_id: RecordId | None = None
    kpi_codes: KpiCodes | None = None
    sdgs: Sdgs | None = None
    trl: Trl | None = None
    cpv_codes: CpvCodes | None = None
    regions_served: list[CountyNumber] | None = Field(default=None, max_length=20)
    reference_municipalities: list[MunicipalityNumber] | None = Field(default=None, max_length=400)
    status: SolutionStatus | None = None


MAX_BATCH = 500  # solutions per batch: one transaction, and well inside the 16 MiB request limit


class SolutionBatchCreate(BaseModel):
    items: list[SolutionCreate] = Field(min_length=1, max_length=MAX_BATCH)


class SolutionBatchUpdateItem(SolutionUpdate):
    id: RecordId = Field(description="The solution to change.")


class SolutionBatchUpdate(BaseModel):
    items: list[SolutionBatchUpdateItem] = Field(min_length=1, max_length=MAX_BATCH)


class SolutionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    description: str
    language: str = Field(
        description="ISO 639-1 code: 'no' (Norwegian) or 'en' (English), which Innomatch matches, or another "
        "language's, e.g. 'sv'."
    )
    supplier_id: int | None
    kpi_codes: list[str]
    suggested_kpis: SuggestedKpis
    sdgs: list[int]
    trl: int | None
    cpv_codes: list[str]
    regions_served: list[str]
    reference_municipalities: list[str]
    status: SolutionStatus
    demo: bool = Field(description="True for fictional demo records.")
    created_at: datetime
    updated_at: datetime


class SolutionWritten(SolutionRead):
    """A solution as a create or an update stored it, with what the writer should know about it."""

    warnings: list[ResponseWarning] = Field(
        description="E.g. that the text is in a language Innomatch does not match well; empty when all is well."
    )
