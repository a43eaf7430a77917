"""HTTP layer for needs."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from service.auth import CallerDep, NeedWriterDep
from service.deps import IndexesDep, SessionDep, SettingsDep
from service.errors import checks_references
from service.needs import service
from service.needs.schemas import (
    GenerationReportRead,
    NeedCheck,
    NeedCreate,
    NeedDetail,
    NeedFilters,
    NeedQuality,
    NeedRead,
    NeedUpdate,
    NeedWritten,
)
from service.notices.similar import MAX_SIMILAR, SimilarNotice, similar_notices
from service.pagination import Page, PageDep
from service.references import checks_of_record
from service.text_fields import MunicipalityNumber, RecordId

router = APIRouter(prefix="/api/v1/needs", tags=["needs"])


@router.post("", response_model=NeedWritten, status_code=status.HTTP_201_CREATED)
@checks_references(checks_of_record(NeedCreate, service.check_references))
def create_need(
    session: SessionDep, indexes: IndexesDep, writer: NeedWriterDep, need_in: NeedCreate
) -> NeedWritten:
    """Register a need written as a problem; searchable as soon as this returns. An officer's need
    belongs to the officer's municipality. A text in a language other than Norwegian or English is
    stored with its own code and a warning."""
    return service.create(session=session, indexes=indexes, need_in=need_in, caller=writer)


@router.post("/check", response_model=NeedQuality)
def check_need(session: SessionDep, need_in: NeedCheck) -> NeedQuality:
    """Check a need's text against Norwegian procurement guidance before saving it: a problem rather than a
    solution, no brand without "eller tilsvarende", a measurable outcome, context, enough words, no personal
    data. Findings with spans and messages in Norwegian and English, and a checklist of the rules passed.
    Open to anyone: it stores nothing and reads only the public catalogue."""
    return service.check_text(session=session, need_in=need_in)


@router.get("", response_model=Page[NeedRead])
def list_needs(
    session: SessionDep, caller: CallerDep, page: PageDep, filters: Annotated[NeedFilters, Query()]
) -> Page[NeedRead]:
    """Needs, oldest first, filtered by municipality or county, KPI, U4SSC dimension or theme, language and status."""
    items, total = service.list_needs(
        session=session, caller=caller, offset=page.offset, limit=page.limit, filters=filters
    )
    return Page(items=items, total=total, offset=page.offset, limit=page.limit)


@router.get("/{need_id}/similar-notices", response_model=list[SimilarNotice])
def get_similar_notices(
    session: SessionDep,
    indexes: IndexesDep,
    caller: CallerDep,
    need_id: RecordId,
    limit: Annotated[int, Query(ge=1, le=MAX_SIMILAR)] = 5,
) -> list[SimilarNotice]:
    """Procurement notices like this need, from any buyer, open, closed or awarded, best first; for an
    award, who bought it, when and from whom (bought_no, bought_en)."""
    return similar_notices(session=session, indexes=indexes, need_id=need_id, caller=caller, limit=limit)


@router.get("/{need_id}", response_model=NeedDetail)
def get_need(session: SessionDep, caller: CallerDep, need_id: RecordId) -> NeedDetail:
    """One need with the quality check of its text; its contact person only for callers with a token."""
    return service.read(session=session, need_id=need_id, caller=caller)


@router.patch("/{need_id}", response_model=NeedWritten)
@checks_references(checks_of_record(NeedUpdate, service.check_references))
def update_need(
    session: SessionDep, indexes: IndexesDep, writer: NeedWriterDep, need_id: RecordId, need_in: NeedUpdate
) -> NeedWritten:
    """Change a need; a changed text is re-encoded, an unchanged one is not."""
    return service.update(session=session, indexes=indexes, need_id=need_id, need_in=need_in, caller=writer)


@router.delete("/{need_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_need(session: SessionDep, indexes: IndexesDep, writer: NeedWriterDep, need_id: RecordId) -> None:
    """Remove a need, its vector and its feedback."""
    service.delete(session=session, indexes=indexes, need_id=need_id, caller=writer)


generation_router = APIRouter(prefix="/api/v1/municipalities", tags=["needs"])


@generation_router.post("/{number}/needs/generate", response_model=GenerationReportRead)
def generate_needs(
    session: SessionDep,
    indexes: IndexesDep,
    settings: SettingsDep,
    writer: NeedWriterDep,
    number: MunicipalityNumber,
) -> GenerationReportRead:
    """Create or update one need per KPI in band 1 or 2 (configurable); needs an officer closed or edited are left alone."""
    report = service.generate_from_gaps(
        session=session,
        indexes=indexes,
        municipality_number=number,
        max_band=settings.gap_max_band,
        caller=writer,
    )
    return GenerationReportRead.model_validate(report)
