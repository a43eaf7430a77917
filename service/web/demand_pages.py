"""Where the demand is: the open needs by U4SSC theme and by county, as charts, a county map and tables,
for suppliers and programme staff, readable by anyone (open needs are public on the start page).

The counts are service.demand.overview's; every bar, county and row links to the start page filtered to
the needs behind it, keeping the chosen filters the start page knows (county, dimension, KPI); it knows
no SDG or municipality size, which the page says. "Last ned" gives the two tables as CSV or XLSX.
"""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, ValidationError

from service.auth import identify
from service.demand.county_map import county_map, legend, level_of
from service.demand.overview import DemandFilters, DemandOverview, SizeBand, demand_overview
from service.deps import SessionDep
from service.exports import ExportFormat, export_response
from service.kpis.schemas import Dimension
from service.municipalities import repository as municipalities
from service.text_fields import CountyNumber, KpiCode
from service.web.i18n import N_, PageLocale, page_locale
from service.web.need_list import filter_choices
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
SDGS = range(1, 18)
START_PAGE_FILTERS = ("county", "dimension", "kpi")  # the page's filters the start page filters by too
SIZE_NAMES: dict[SizeBand, str] = {  # the bands of service.demand.overview.SIZE_BANDS
    "under-5000": N_("Under 5,000 residents"),
    "5000-20000": N_("5,000 to 20,000 residents"),
    "20000-100000": N_("20,000 to 100,000 residents"),
    "over-100000": N_("Over 100,000 residents"),
}
EXPORT_HEADER = (
    N_("Table"),
    N_("Dimension"),
    N_("Theme"),
    N_("County number"),
    N_("County"),
    N_("Open needs"),
    N_("Of which from suggested KPIs"),
    N_("Municipalities"),
)


class DemandForm(BaseModel):
    """The page's GET form; unchosen fields arrive empty and are ignored."""

    county: CountyNumber | None = None
    dimension: Dimension | None = None
    kpi: KpiCode | None = None
    sdg: Annotated[int, Field(ge=1, le=17)] | None = None
    size: SizeBand | None = None


def demand_filters(request: Request) -> DemandFilters:
    given = {
        name: value
        for name, value in request.query_params.items()
        if value != "" and name in DemandForm.model_fields
    }
    try:
        form = DemandForm.model_validate(given)
    except ValidationError as error:
        raise RequestValidationError(
            [{**item, "loc": ("query", *item["loc"])} for item in error.errors(include_url=False)]
        ) from None
    return DemandFilters(**form.model_dump())


def chosen(filters: DemandFilters) -> dict[str, str]:
    """The filters a person chose, as the form sends them."""
    fields = {"county": filters.county, "dimension": filters.dimension, "kpi": filters.kpi}
    fields |= {"sdg": str(filters.sdg) if filters.sdg else None, "size": filters.size}
    return {name: value for name, value in fields.items() if value}


def needs_address(start: dict[str, str], **narrower: str) -> str:
    """The start page listing the open needs of the page's start-page filters narrowed by a theme, KPI,
    dimension or county (which replaces the chosen one)."""
    return f"/?{urlencode({**start, **narrower})}"


def export_rows(overview: DemandOverview, page: PageLocale) -> list[tuple[Any, ...]]:
    """The table by theme, then by county: a row per theme and per county."""
    by_theme = page.gettext("By theme")
    by_county = page.gettext("By county")
    rows: list[tuple[Any, ...]] = [
        (
            by_theme,
            theme.dimension,
            theme.theme,
            None,
            None,
            theme.needs,
            theme.suggested,
            len(theme.municipalities),
        )
        for theme in overview.themes
    ]
    rows += [
        (by_county, None, None, county.number, county.name, county.needs, None, len(county.municipalities))
        for county in overview.counties
    ]
    if overview.without_county:
        rows.append(
            (by_county, None, None, None, page.gettext("No municipality"), overview.without_county, None, 0)
        )
    return rows


# Asks who is calling (identify) although anyone may read it: the header then shows the signed-in person.
@router.get("/demand", response_class=HTMLResponse, dependencies=[Depends(identify)])
def demand_page(
    request: Request, session: SessionDep, filters: Annotated[DemandFilters, Depends(demand_filters)]
) -> HTMLResponse:
    """The open needs counted by U4SSC theme and by county, with the page's filters."""
    overview = demand_overview(session=session, filters=filters)
    picked = chosen(filters)
    most = overview.most_county_needs
    context: dict[str, Any] = {
        "overview": overview,
        "chosen": picked,
        "choices": filter_choices(session),
        "start": {name: value for name, value in picked.items() if name in START_PAGE_FILTERS},
        "needs_address": needs_address,
        "sdgs": SDGS,
        "size_names": SIZE_NAMES,
        "population_year": municipalities.latest_population_year(session),
        "map": county_map(),
        "legend": legend(most),
        "level_of": lambda needs: level_of(needs, most),
        "download_query": urlencode(picked),
    }
    return templates.TemplateResponse(request, "demand.html", context)


@router.get("/demand/download", dependencies=[Depends(identify)])
def demand_download(
    request: Request,
    session: SessionDep,
    filters: Annotated[DemandFilters, Depends(demand_filters)],
    format: Annotated[ExportFormat, Query()] = "csv",
) -> Response:
    """The page's two tables (by theme, by county) with its filters, as CSV or XLSX."""
    overview = demand_overview(session=session, filters=filters)
    page = page_locale(request)
    header = [page.gettext(name) for name in EXPORT_HEADER]
    return export_response(
        header,
        export_rows(overview, page),
        export_format=format,
        filename_stem="demand",
        sheet_title=page.gettext("Demand"),
    )
