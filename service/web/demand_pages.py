"""Where the demand is: the open needs by U4SSC theme, as a chart and a table, for suppliers first and
readable by anyone (open needs are public on the start page).

The counts are service.demand.overview's; every bar and row links to the start page filtered to the
needs behind it (by theme, KPI or dimension, keeping the chosen county). Room is left for more charts
of the same needs (by county, say) beside the one by theme.
"""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from service.auth import identify
from service.demand.overview import demand_overview
from service.deps import SessionDep
from service.needs.schemas import NeedFilters
from service.web.need_list import chosen, filter_choices, form_filters
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
PAGE_FILTERS = ("county", "dimension")  # the form's fields; the other filters of the start page are ignored


def needs_address(county: str | None, **narrower: str) -> str:
    """The start page listing the open needs of `county` (if any) narrowed by a theme, KPI or dimension."""
    parameters = {"county": county, **narrower} if county else narrower
    return f"/?{urlencode(parameters)}"


# Asks who is calling (identify) although anyone may read it: the header then shows the signed-in person.
@router.get("/demand", response_class=HTMLResponse, dependencies=[Depends(identify)])
def demand_page(
    request: Request, session: SessionDep, filters: Annotated[NeedFilters, Depends(form_filters)]
) -> HTMLResponse:
    """The open needs counted by U4SSC theme, under their dimension, optionally of one county."""
    overview = demand_overview(session=session, county=filters.county, dimension=filters.dimension)
    context: dict[str, Any] = {
        "overview": overview,
        "chosen": {name: value for name, value in chosen(filters).items() if name in PAGE_FILTERS},
        "choices": filter_choices(session),
        "county": filters.county,
        "needs_address": needs_address,
    }
    return templates.TemplateResponse(request, "demand.html", context)
