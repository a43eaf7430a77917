"""API shapes of needs."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
)

from service.identifiers import compact_kpi_code
from service.kpis.schemas import Dimension, SuggestedKpis, Theme
from service.models import ProcurementNotice
from service.needs.notice_brief import NeedNotice, brief
from service.response_warnings import ResponseWarning
from service.text_fields import (
    CountyNumber,
    CpvCodes,
    Description,
    KpiCodes,
    KpiCodeText,
    LanguageField,
    MunicipalityNumber,
    NoControlCharacters,
    Title,
    Trl,
)

ContactName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NoControlCharacters
]
NeedStatus = Literal["open", "in_progress", "closed"]
NeedOrigin = Literal["manual", "kpi_gap", "notice"]
QualityRule = Literal[
    "problem-not-solution", "brand-name", "measurable-outcome", "context", "too-short", "personal-data"
]


class NeedCreate(BaseModel):
    title: Title
    description: Description
    language: LanguageField | None = Field(
        default=None,
        description="ISO 639-1 code: 'no' (Norwegian, Bokmål or Nynorsk; 'nb' and 'nn' are read as 'no') or "
        "'en' (English), which Innomatch matches, or another language's, e.g. 'sv'; detected when absent.",
    )
    municipality_number: MunicipalityNumber | None = None
    kpi_codes: KpiCodes = Field(default_factory=list, description="U4SSC KPI codes, e.g. EC-I-WS-3C.")
    cpv_codes: CpvCodes = Field(
        default_factory=list,
        description="CPV 2008 codes of what would be bought; a solution in their subtree fits.",
    )
    trl_min: Trl | None = Field(
        default=None, description="The least mature solution (TRL) the buyer would try."
    )
    status: NeedStatus = "open"
    contact_name: ContactName | None = Field(
        default=None, description="Who answers questions about the need."
    )
    contact_email: EmailStr | None = None


class NeedUpdate(BaseModel):
    title: Title | None = None
    description: Description | None = None
    language: LanguageField | None = Field(
        default=None,
        description="ISO 639-1 code, as on create; re-detected when the text changes without it.",
    )
    municipality_number: MunicipalityNumber | None = None
    kpi_codes: KpiCodes | None = None
    cpv_codes: CpvCodes | None = None
    trl_min: Trl | None = None
    status: NeedStatus | None = None
    contact_name: ContactName | None = None
    contact_email: EmailStr | None = None


class NeedFilters(BaseModel):
    """Which needs a list holds; each filter given narrows it. The API's and the start page's."""

    municipality: MunicipalityNumber | None = Field(default=None, description="Needs of this municipality.")
    county: CountyNumber | None = Field(
        default=None, description="Needs of the municipalities of this county."
    )
    kpi: KpiCodeText | None = Field(
        default=None, description="Needs tagged with this U4SSC KPI, e.g. EC-I-WS-3C."
    )
    dimension: Dimension | None = Field(
        default=None, description="Needs tagged with a KPI of this U4SSC dimension."
    )
    theme: Theme | None = Field(
        default=None,
        description="Needs tagged with a KPI of this U4SSC theme (the subdimension), e.g. Energy.",
    )
    language: LanguageField | None = Field(
        default=None, description="Needs in this language: an ISO 639-1 code, e.g. 'no' or 'en'."
    )
    status: NeedStatus | None = None
    origin: NeedOrigin | None = Field(
        default=None,
        description="manual, kpi_gap (generated from a KPI gap) or notice (a procurement notice).",
    )

    @field_validator("kpi")
    @classmethod
    def _compact(cls, code: str | None) -> str | None:
        return compact_kpi_code(code) if code else None


class NeedCheck(BaseModel):
    """A need's text to check before (or without) saving it."""

    title: Title
    description: Description
    language: LanguageField | None = Field(
        default=None, description="ISO 639-1 code, 'no' or 'en'; detected when absent."
    )


class QualityFinding(BaseModel):
    """One observation of the needs-quality check (docs/needs_quality.md)."""

    model_config = ConfigDict(from_attributes=True)

    rule: QualityRule = Field(description="The rule's id; stable, integrations key on it.")
    severity: Literal["warning", "info"]
    field: Literal["title", "description"] = Field(description="The text the span points into.")
    start: int = Field(description="Character offset of the span's start in `field`'s stored text.")
    end: int = Field(
        description="Character offset just after the span; a rule about the whole text spans the whole description."
    )
    message_en: str
    message_no: str
    suggestion_en: str
    suggestion_no: str


class NeedQuality(BaseModel):
    """The needs-quality check of a need's text: findings, and per rule whether the text passes it."""

    language: str = Field(description="The language the text was read as (given or detected).")
    findings: list[QualityFinding]
    checklist: dict[QualityRule, bool] = Field(description="Every rule id, true when the text passes it.")


class NeedRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    description: str
    language: str = Field(
        description="ISO 639-1 code: 'no' (Norwegian) or 'en' (English), which Innomatch matches, or another "
        "language's, e.g. 'sv'."
    )
    municipality_number: str | None
    municipality_name: str | None
    origin: NeedOrigin
    kpi_codes: list[str]
    suggested_kpis: SuggestedKpis
    cpv_codes: list[str]
    trl_min: int | None
    status: NeedStatus
    contact_name: str | None = Field(description="Left out (null) for callers without a token.")
    contact_email: str | None = Field(description="Left out (null) for callers without a token.")
    translations: dict[str, dict[str, str]] = Field(
        description="The need in other languages, e.g. {'en': {'title', 'description'}} for generated needs."
    )
    evidence: dict[str, Any] | None = Field(
        description="For needs generated from a KPI gap: the value, target, band, year and source behind it."
    )
    demo: bool = Field(description="True for fictional demo records.")
    notice: NeedNotice | None = Field(
        default=None, description="Needs of origin notice: the procurement notice (kunngjøring) it carries."
    )
    created_at: datetime
    updated_at: datetime

    @field_validator("notice", mode="before")
    @classmethod
    def _notice_brief(cls, notice: object) -> object:
        return brief(notice) if isinstance(notice, ProcurementNotice) else notice

    def without_contact(self) -> "NeedRead":
        """The need without its contact person: personal data, kept from callers without a token."""
        return self.model_copy(update={"contact_name": None, "contact_email": None})


class NeedDetail(NeedRead):
    """One need with the needs-quality check of its text (computed when read, never blocking a save)."""

    quality: NeedQuality


class NeedWritten(NeedDetail):
    """A need as a create or an update stored it, with what the writer should know about it."""

    warnings: list[ResponseWarning] = Field(
        description="E.g. that the text is in a language Innomatch does not match well; empty when all is well."
    )


class LeftAloneRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    need_id: int
    reason: str


class GenerationReportRead(BaseModel):
    """What a generation run did: needs created, rewritten with new values, unchanged, left as an officer left them."""

    model_config = ConfigDict(from_attributes=True)

    created: list[int]
    updated: list[int]
    unchanged: list[int]
    left_alone: list[LeftAloneRead]
