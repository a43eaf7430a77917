"""API shapes of partnerships and their outcomes."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from service.kpis.schemas import Measurement, Unit
from service.partnerships.lead import LeadRule
from service.partnerships.lifecycle import PartnershipStatus
from service.partnerships.procurement_route import Route
from service.text_fields import MunicipalityNumber, NoControlCharacters, RecordId, Title

MAX_NEEDS = 50
MAX_CANDIDATES = 30
BuyerGroupKey = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NoControlCharacters
]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), NoControlCharacters]


class PartnershipCreate(BaseModel):
    need_ids: list[RecordId] = Field(
        min_length=1, max_length=MAX_NEEDS, description="One need, or the needs of a buyer group."
    )
    solution_ids: list[RecordId] = Field(
        default_factory=list, max_length=MAX_CANDIDATES, description="Candidate solutions; may be empty."
    )
    lead_municipality_number: MunicipalityNumber | None = Field(
        default=None, description="Leave out to get a suggestion, with the rule that chose it."
    )
    buyer_group_key: BuyerGroupKey | None = Field(
        default=None, description="The buyer group's key (GET /api/v1/buyer-groups), kept for reference."
    )
    title: Title | None = Field(default=None, description="Default: from the first need's title.")


class PartnershipUpdate(BaseModel):
    status: PartnershipStatus | None = Field(
        default=None, description="proposed -> in_dialogue -> pilot -> scaled; stopped from any status."
    )
    lead_municipality_number: MunicipalityNumber | None = None
    note: Note | None = Field(
        default=None, description="Why, kept in the audit trail (e.g. why the partnership stopped)."
    )


class CandidateAssessmentRead(BaseModel):
    solution_id: int
    title: str
    trl: int | None
    supplier_id: int | None
    match_score: float | None = Field(
        description="Hybrid match score for the need it ranks best for, at proposal time; null when the "
        "solution was not among the needs' matches (not published, marked not useful, or too far down)."
    )
    match_rank: int | None = Field(description="Its best position in the needs' match lists, 1 = first.")
    best_need_id: int | None
    matches_well: bool
    reference_municipalities: list[str]


class OutcomeCreate(Measurement):
    """A KPI value measured after the pilot, as in KPI observations; stored as one, with the partnership as source."""

    solution_id: RecordId | None = Field(
        default=None, description="The candidate piloted; needed when the partnership has several."
    )


class OutcomeCorrection(BaseModel):
    """A recorded outcome's value or unit corrected (a typo); where, which KPI and which year stay."""

    value: float | None = Field(default=None, allow_inf_nan=False)
    unit: Unit | None = None
    note: Note | None = Field(default=None, description="Why, kept in the audit trail.")

    @model_validator(mode="after")
    def _corrects_something(self) -> "OutcomeCorrection":
        if self.value is None and self.unit is None:
            raise ValueError("send the corrected value, the corrected unit or both")
        return self


class _OutcomeFacts(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    partnership_id: int
    solution_id: int | None
    municipality_number: str
    kpi_code: str
    data_point: str
    year: int
    value: float
    unit: str
    baseline_year: int | None = Field(description="Year of the latest earlier value: the 'before'.")
    baseline_value: float | None
    recorded_at: datetime


class OutcomeRead(_OutcomeFacts):
    """An outcome as programme staff see it, with who recorded it."""

    recorded_by: str


class SolutionOutcomeRead(_OutcomeFacts):
    """An outcome as evidence for the solution piloted: where, what changed, in which partnership."""

    recorded_by: str | None = Field(
        description="Who recorded it: shown to programme staff and admins, null for everyone else."
    )
    municipality_name: str
    kpi_name_en: str
    kpi_name_no: str
    direction: str = Field(description="+ higher is better, - lower is better, ~ depends.")
    change: float | None = Field(description="value - baseline_value, in the KPI's unit.")
    partnership_status: PartnershipStatus


class PartnershipRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    status: PartnershipStatus
    next_statuses: list[PartnershipStatus] = Field(description="Where the status may move from here.")
    need_ids: list[int]
    solution_ids: list[int]
    buyer_group_key: str | None
    lead_municipality_number: str | None
    lead_municipality_name: str | None
    lead_rule: LeadRule = Field(
        description="given, reference_use, worst_gap, reference_elsewhere, first_need or none."
    )
    lead_reason: str
    route: Route = Field(
        description="market_dialogue, pre_commercial_procurement, innovation_partnership or ordinary_competition."
    )
    route_rule: str
    route_reasons: list[str]
    candidates: list[CandidateAssessmentRead]
    outcomes: list[OutcomeRead]
    created_by: str
    created_at: datetime
    updated_at: datetime
    status_changed_at: datetime
