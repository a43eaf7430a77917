"""API shapes of the KPI catalogue."""

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from service.response_warnings import ResponseWarning
from service.text_fields import MUNICIPALITY_PATTERN, Description, KpiCode, NoControlCharacters

Dimension = Literal["Economy", "Environment", "Society and Culture"]  # the three U4SSC dimensions
# A U4SSC theme: a subdimension of the catalogue, e.g. "Energy" (one name, "Environment", is also a dimension's).
Theme = Annotated[
    str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True), NoControlCharacters
]
Unit = Annotated[
    str, StringConstraints(min_length=1, max_length=50, strip_whitespace=True), NoControlCharacters
]


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


CONFIDENCE_DESCRIPTION = (
    "How likely the text is about this KPI, 0..1 (a softmax over all 91 KPIs: the three shown may sum to "
    "less than 1)."
)


class SuggestedKpiRead(BaseModel):
    """A KPI suggested from a record's text (not chosen by whoever wrote it)."""

    code: str
    confidence: float = Field(description=CONFIDENCE_DESCRIPTION)


SUGGESTED_KPIS_DESCRIPTION = (
    "The U4SSC KPIs the text most likely moves, best first (at most 3): suggested by Innomatch from the "
    "text, not chosen by whoever wrote it (those are kpi_codes). Matching uses them only where a record "
    "has no KPI codes of its own. Empty until derived."
)
SuggestedKpis = Annotated[
    list[SuggestedKpiRead],
    BeforeValidator(lambda value: value or []),  # null: not derived yet (a record stored before)
    Field(description=SUGGESTED_KPIS_DESCRIPTION),
]


class KpiSuggestionRequest(BaseModel):
    text: Description = Field(
        description="A need or a query in Norwegian or English, with words (letters); another language is "
        "read with a warning."
    )


class KpiSuggestion(BaseModel):
    code: str
    name: str = Field(description="The KPI's name in English.")
    name_no: str = Field(description="The KPI's name in Norwegian.")
    confidence: float = Field(description=CONFIDENCE_DESCRIPTION)


class KpiSuggestions(BaseModel):
    items: list[KpiSuggestion] = Field(
        description="The three KPIs the text most likely moves, most likely first."
    )
    warnings: list[ResponseWarning] = Field(
        description="E.g. that the text is in a language Innomatch does not read well; empty when all is well."
    )


def _not_in_the_future(year: int) -> int:
    latest = datetime.now(UTC).year + 1
    if year > latest:
        raise ValueError(f"year must be between 1990 and {latest}")
    return year


class Measurement(BaseModel):
    """A KPI value measured in a municipality: the part an observation and a pilot outcome share.

    Each field's rules are in its type (no field_validator), so that a field can be checked alone.
    """

    municipality_number: Annotated[str, StringConstraints(pattern=MUNICIPALITY_PATTERN)]
    kpi_code: KpiCode
    data_point: Annotated[
        str, StringConstraints(max_length=50, strip_whitespace=True), NoControlCharacters
    ] = Field(
        default="",
        description="For KPIs with several data points (e.g. 'private' in mode share); empty otherwise.",
    )
    year: Annotated[int, AfterValidator(_not_in_the_future)] = Field(
        ge=1990, description="1990 up to next year."
    )
    value: float = Field(allow_inf_nan=False)
    unit: Unit


class ObservationIn(Measurement):
    """One observed KPI value; re-importing the same (municipality, KPI, data point, year) updates it."""

    source: Annotated[
        str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True), NoControlCharacters
    ]
    synthetic: bool = Field(default=False, description="True for generated values that were not measured.")


MAX_OBSERVATIONS = 50_000  # per request


class ObservationBatch(BaseModel):
    observations: list[ObservationIn] = Field(min_length=1, max_length=MAX_OBSERVATIONS)


class ImportResult(BaseModel):
    created: int
    updated: int
    unchanged: int


class TrendRead(BaseModel):
    direction: str = Field(description="improving, worsening or stable, judged by the KPI's direction.")
    change: float = Field(description="Latest value minus the one of from_year, in the KPI's unit.")
    from_year: int


class KpiStandingRead(BaseModel):
    """A municipality's latest value on one KPI (or data point) against its target."""

    municipality_number: str
    kpi_code: str
    name_en: str
    name_no: str
    data_point: str
    value: float | None
    unit: str | None
    year: int | None
    source: str | None
    synthetic: bool | None = Field(description="True when the value is generated demo data, not measured.")
    direction: str
    target: float | None
    target_kind: str | None = Field(description="u4ssc, national, eu, sdg or peer (best quartile of peers).")
    target_source: str | None
    percent_of_target: float | None
    band: int | None = Field(description="U4SSC band: 1 (<33 % of target), 2 (<66 %), 3 (<95 %), 4.")
    severity: float | None = Field(description="0 at the target, 1 farthest from it; comparable across KPIs.")
    trend: TrendRead | None
    need_id: int | None = Field(default=None, description="The need generated from this gap, if any.")
