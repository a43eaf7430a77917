"""Hard filters on matches and searches, turned into the set of ids the index may return.

Filtering happens inside the FAISS search (an id selector), so a filtered query still returns the full
limit when enough records pass. Scalar fields are filtered in SQL, list fields (KPIs, CPV codes,
regions, SDGs) in Python over the rows SQL let through.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from service.errors import FieldError, FieldErrors
from service.identifiers import compact_kpi_code
from service.kpis.repository import kpi_codes_of_dimension
from service.kpis.schemas import Dimension
from service.models import Municipality, Need, Solution
from service.needs.demand_now import counts_as_demand, notice_deadline_passed
from service.text_fields import (
    CPV_PREFIX_PATTERN,
    CountyNumber,
    LanguageField,
    MunicipalityNumber,
    NoControlCharacters,
)


class MatchFilters(BaseModel):
    county: CountyNumber | None = Field(
        default=None,
        description="Solutions serving the county (or all of Norway); needs of its municipalities.",
    )
    municipality: MunicipalityNumber | None = Field(
        default=None, description="Needs of the municipality; solutions already in use there."
    )
    cpv: Annotated[str, Field(pattern=CPV_PREFIX_PATTERN)] | None = Field(
        default=None, description="Solutions with a CPV code in this subtree (a code prefix)."
    )
    trl_min: Annotated[int, Field(ge=1, le=9)] | None = Field(
        default=None, description="Solutions at least this mature."
    )
    trl_max: Annotated[int, Field(ge=1, le=9)] | None = None
    kpi: Annotated[str, NoControlCharacters] | None = Field(
        default=None, max_length=30, description="Records tagged with this U4SSC KPI."
    )
    dimension: Dimension | None = Field(
        default=None, description="Records tagged with a KPI of this U4SSC dimension."
    )
    sdg: Annotated[int, Field(ge=1, le=17)] | None = Field(
        default=None, description="Solutions contributing to this SDG."
    )
    language: LanguageField | None = Field(
        default=None, description="Records in this language: an ISO 639-1 code, e.g. 'no' or 'en'."
    )
    status: Annotated[str, NoControlCharacters] | None = Field(
        default=None,
        max_length=20,
        description="Default: published solutions; needs not closed whose notice's deadline, if any, has "
        "not passed. 'any': needs of every status.",
    )
    origin: Literal["manual", "kpi_gap", "notice"] | None = Field(
        default=None,
        description="Needs written by hand, generated from a KPI gap, or carrying a procurement notice.",
    )

    @field_validator("kpi")
    @classmethod
    def _compact(cls, code: str | None) -> str | None:
        return compact_kpi_code(code) if code else None


def _kpis_of_dimension(session: Session, dimension: str | None) -> set[str] | None:
    return None if dimension is None else kpi_codes_of_dimension(session, dimension)


def _refuse(problems: dict[str, str]) -> None:
    """Refuse every filter in `problems` (field: why) at once, if any."""
    if problems:
        raise FieldErrors(
            [FieldError((field,), message, "filter_error") for field, message in problems.items()]
        )


MAX_EXCLUDED = 1000  # beyond this many ids to leave out, listing the allowed ones is cheaper


@dataclass(frozen=True)
class IdRestriction:
    """The ids a search may return: only `allowed` when it is given, and never one in `excluded`.

    Without filters the allowed list would be every published solution, read from SQL on each match
    (most of a dense match's time at 100k solutions: docs/matching.md, "Matches without filters"); the
    few ids to leave out are cheaper, and a search that asks for `len(excluded)` more hits still returns
    the full limit.
    """

    allowed: list[int] | None
    excluded: frozenset[int] = frozenset()


def _only_default(filters: MatchFilters) -> bool:
    return not filters.model_dump(exclude_none=True)


def solution_restriction(session: Session, filters: MatchFilters, rejected: set[int]) -> IdRestriction:
    if _only_default(filters):
        # Unpublished solutions by the status index (IN, not !=, so that the index is used).
        unpublished = select(Solution.id).where(Solution.status.in_(("draft", "archived")))
        excluded = frozenset(session.scalars(unpublished.limit(MAX_EXCLUDED + 1))) | rejected
        if len(excluded) <= MAX_EXCLUDED:
            return IdRestriction(None, excluded)
    return IdRestriction([i for i in allowed_solution_ids(session, filters) if i not in rejected])


def need_restriction(session: Session, filters: MatchFilters) -> IdRestriction:
    if _only_default(filters):
        # Closed, or closed in fact: a notice's deadline passed (service.needs.demand_now).
        not_demand = or_(Need.status == "closed", notice_deadline_passed(datetime.now(UTC)))
        closed = select(Need.id).where(not_demand).limit(MAX_EXCLUDED + 1)
        excluded = frozenset(session.scalars(closed))
        if len(excluded) <= MAX_EXCLUDED:
            return IdRestriction(None, excluded)
    return IdRestriction(allowed_need_ids(session, filters))


def allowed_solution_ids(session: Session, filters: MatchFilters) -> list[int]:
    problems = {}
    if filters.status and filters.status not in ("published", "draft", "archived"):
        problems["status"] = "must be published, draft or archived (the statuses of a solution)"
    if filters.origin is not None:
        problems["origin"] = "the origin filter applies to needs, not solutions"
    _refuse(problems)
    statement = select(Solution).where(Solution.status == (filters.status or "published"))
    if filters.language:
        statement = statement.where(Solution.language == filters.language)
    if filters.trl_min is not None:
        statement = statement.where(Solution.trl >= filters.trl_min)
    if filters.trl_max is not None:
        statement = statement.where(Solution.trl <= filters.trl_max)
    if not any(
        (filters.county, filters.municipality, filters.cpv, filters.kpi, filters.dimension, filters.sdg)
    ):
        # Only column filters: the ids come straight from SQL without loading the list fields.
        return list(session.scalars(statement.with_only_columns(Solution.id)))
    dimension_kpis = _kpis_of_dimension(session, filters.dimension)
    allowed = []
    for solution in session.scalars(statement):
        if filters.county and solution.regions_served and filters.county not in solution.regions_served:
            continue
        if filters.municipality and filters.municipality not in solution.reference_municipalities:
            continue
        if filters.cpv and not any(code.startswith(filters.cpv) for code in solution.cpv_codes):
            continue
        if filters.kpi and filters.kpi not in solution.kpi_codes:
            continue
        if dimension_kpis is not None and not dimension_kpis.intersection(solution.kpi_codes):
            continue
        if filters.sdg and filters.sdg not in solution.sdgs:
            continue
        allowed.append(solution.id)
    return allowed


def allowed_need_ids(session: Session, filters: MatchFilters) -> list[int]:
    problems = {
        field: f"the {field} filter applies to solutions, not needs"
        for field in ("cpv", "trl_min", "trl_max", "sdg")
        if getattr(filters, field) is not None
    }
    if filters.status and filters.status not in ("open", "in_progress", "closed", "any"):
        problems["status"] = "must be open, in_progress, closed or any (the statuses of a need)"
    _refuse(problems)
    statement = select(Need.id, Need.kpi_codes)
    now = datetime.now(UTC)
    if filters.status is None:
        statement = statement.where(counts_as_demand(now))
    elif filters.status in ("open", "in_progress"):
        statement = statement.where(Need.status == filters.status, ~notice_deadline_passed(now))
    elif filters.status == "closed":
        statement = statement.where(Need.status == "closed")
    if filters.origin:
        statement = statement.where(Need.origin == filters.origin)
    if filters.language:
        statement = statement.where(Need.language == filters.language)
    if filters.municipality:
        statement = statement.where(Need.municipality_number == filters.municipality)
    if filters.county:
        statement = statement.join(Municipality, Municipality.number == Need.municipality_number).where(
            Municipality.county_number == filters.county
        )
    dimension_kpis = _kpis_of_dimension(session, filters.dimension)
    return [
        need_id
        for need_id, kpi_codes in session.execute(statement)
        if (not filters.kpi or filters.kpi in kpi_codes)
        and (dimension_kpis is None or dimension_kpis.intersection(kpi_codes))
    ]
