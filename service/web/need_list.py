"""The start page's list of open needs: the choices of its filter form and the addresses of its pages."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import get_args
from urllib.parse import urlencode

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.orm import Session

from service.kpis import repository as kpis
from service.kpis.schemas import Dimension
from service.models import Kpi
from service.municipalities import repository as municipalities
from service.needs.schemas import NeedFilters
from service.pagination import DEFAULT_PAGE_SIZE

CATALOGUE_SIZE = 1000  # more than Norway's municipalities and the U4SSC KPIs: the form lists them all
DIMENSIONS: tuple[str, ...] = get_args(Dimension)


@dataclass(frozen=True)
class Place:
    number: str
    name: str


@dataclass
class County:
    number: str
    name: str
    municipalities: list[Place] = field(default_factory=list)


@dataclass(frozen=True)
class FilterChoices:
    counties: list[County]
    kpis_by_dimension: dict[str, list[Kpi]]
    dimensions: tuple[str, ...] = DIMENSIONS

    @property
    def themes_by_dimension(self) -> dict[str, list[str]]:
        """The U4SSC themes (subdimensions) of each dimension, in the catalogue's order."""
        return {
            dimension: list(dict.fromkeys(kpi.subdimension for kpi in kpis))
            for dimension, kpis in self.kpis_by_dimension.items()
        }


def filter_choices(session: Session) -> FilterChoices:
    """Every county with its municipalities, and every KPI by dimension, from the catalogues."""
    places, _ = municipalities.list_municipalities(session, offset=0, limit=CATALOGUE_SIZE)
    counties: dict[str, County] = {}
    for place in places:
        county = counties.setdefault(place.county_number, County(place.county_number, place.county.name))
        county.municipalities.append(Place(place.number, place.name))
    catalogue, _ = kpis.list_kpis(session, offset=0, limit=CATALOGUE_SIZE)
    by_dimension: dict[str, list[Kpi]] = {dimension: [] for dimension in DIMENSIONS}
    for kpi in catalogue:
        by_dimension.setdefault(kpi.dimension, []).append(kpi)
    return FilterChoices(sorted(counties.values(), key=lambda county: county.number), by_dimension)


def filters_from_form(fields: Mapping[str, str]) -> NeedFilters:
    """The filters of the start page's GET form, which sends its unchosen fields empty ("county=")."""
    given = {
        name: value for name, value in fields.items() if value != "" and name in NeedFilters.model_fields
    }
    try:
        return NeedFilters.model_validate(given)
    except ValidationError as error:
        raise RequestValidationError(
            [{**item, "loc": ("query", *item["loc"])} for item in error.errors(include_url=False)]
        ) from None


def form_filters(request: Request) -> NeedFilters:
    return filters_from_form(request.query_params)


def chosen(filters: NeedFilters) -> dict[str, str]:
    """The filters a person chose (the start page always lists open needs)."""
    return {
        name: str(value) for name, value in filters.model_dump(exclude={"status"}, exclude_none=True).items()
    }


def page_address(filters: NeedFilters, *, offset: int, limit: int) -> str:
    """The start page with the same filters and page size, at `offset`."""
    parameters: dict[str, str | int] = dict(chosen(filters))
    if limit != DEFAULT_PAGE_SIZE:
        parameters["limit"] = limit
    if offset:
        parameters["offset"] = offset
    return f"/?{urlencode(parameters)}" if parameters else "/"
