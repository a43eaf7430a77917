"""HTTP layer for needs."""

from fastapi import APIRouter, status

from service.auth import WriterDep
from service.deps import IndexesDep, SessionDep, SettingsDep
from service.needs import repository, service
from service.needs.from_gaps import generate_gap_needs
from service.needs.schemas import GenerationReportRead, NeedCreate, NeedRead, NeedStatus, NeedUpdate
from service.pagination import Page, PageDep

router = APIRouter(prefix="/api/v1/needs", tags=["needs"])


@router.post("", response_model=NeedRead, status_code=status.HTTP_201_CREATED)
def create_need(
    session: SessionDep, indexes: IndexesDep, _writer: WriterDep, need_in: NeedCreate
) -> NeedRead:
    """Register a need written as a problem; searchable as soon as this returns."""
    return NeedRead.model_validate(service.create(session=session, indexes=indexes, need_in=need_in))


@router.get("", response_model=Page[NeedRead])
def list_needs(
    session: SessionDep, page: PageDep, municipality: str | None = None, status: NeedStatus | None = None
) -> Page[NeedRead]:
    """Needs, oldest first, filtered by municipality number or status."""
    items, total = repository.list_needs(
        session, offset=page.offset, limit=page.limit, municipality_number=municipality, status=status
    )
    return Page(
        items=[NeedRead.model_validate(item) for item in items],
        total=total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/{need_id}", response_model=NeedRead)
def get_need(session: SessionDep, need_id: int) -> NeedRead:
    """One need."""
    return NeedRead.model_validate(service.get(session=session, need_id=need_id))


@router.patch("/{need_id}", response_model=NeedRead)
def update_need(
    session: SessionDep, indexes: IndexesDep, _writer: WriterDep, need_id: int, need_in: NeedUpdate
) -> NeedRead:
    """Change a need; a changed text is re-encoded, an unchanged one is not."""
    return NeedRead.model_validate(
        service.update(session=session, indexes=indexes, need_id=need_id, need_in=need_in)
    )


@router.delete("/{need_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_need(session: SessionDep, indexes: IndexesDep, _writer: WriterDep, need_id: int) -> None:
    """Remove a need, its vector and its feedback."""
    service.delete(session=session, indexes=indexes, need_id=need_id)


generation_router = APIRouter(prefix="/api/v1/municipalities", tags=["needs"])


@generation_router.post("/{number}/needs/generate", response_model=GenerationReportRead)
def generate_needs(
    session: SessionDep, indexes: IndexesDep, settings: SettingsDep, _writer: WriterDep, number: str
) -> GenerationReportRead:
    """Create or update one need per KPI in band 1 or 2 (configurable); needs an officer closed or edited are left alone."""
    report = generate_gap_needs(
        session=session, indexes=indexes, municipality_number=number, max_band=settings.gap_max_band
    )
    return GenerationReportRead.model_validate(report)
