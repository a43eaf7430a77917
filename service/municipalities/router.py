"""HTTP layer for municipalities."""

from fastapi import APIRouter

from service.deps import SessionDep
from service.errors import NotFoundError
from service.models import Municipality
from service.municipalities import repository
from service.municipalities.schemas import MunicipalityRead
from service.pagination import Page, PageDep
from service.text_fields import CountyNumber, MunicipalityNumber, SearchText

router = APIRouter(prefix="/api/v1/municipalities", tags=["municipalities"])


def _read(municipality: Municipality) -> MunicipalityRead:
    return MunicipalityRead(
        number=municipality.number,
        name=municipality.name,
        county_number=municipality.county_number,
        county_name=municipality.county.name,
        organisation_number=municipality.organisation_number,
    )


@router.get("", response_model=Page[MunicipalityRead])
def list_municipalities(
    session: SessionDep,
    page: PageDep,
    county: CountyNumber | None = None,
    name: SearchText | None = None,
) -> Page[MunicipalityRead]:
    """Norway's municipalities (SSB numbering from 2024), filtered by county number or name."""
    items, total = repository.list_municipalities(
        session, offset=page.offset, limit=page.limit, county_number=county, name=name
    )
    return Page(items=[_read(item) for item in items], total=total, offset=page.offset, limit=page.limit)


@router.get("/{number}", response_model=MunicipalityRead)
def get_municipality(session: SessionDep, number: MunicipalityNumber) -> MunicipalityRead:
    """One municipality by its four-digit SSB number."""
    municipality = repository.get_municipality(session, number)
    if municipality is None:
        raise NotFoundError("Municipality", number)
    return _read(municipality)
