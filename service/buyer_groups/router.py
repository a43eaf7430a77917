"""HTTP layer for buyer groups."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from service.buyer_groups import service
from service.buyer_groups.schemas import BuyerGroup, BuyerGroupPage
from service.deps import IndexesDep, SessionDep
from service.exports import XLSX_MEDIA_TYPE, ExportFormat, export_response
from service.openapi_errors import error_responses

router = APIRouter(prefix="/api/v1/buyer-groups", tags=["buyer groups"])
MAX_GROUPS_PER_PAGE = 50  # each group on a page has its solutions scored


@router.get("", response_model=BuyerGroupPage)
def buyer_groups(
    session: SessionDep,
    indexes: IndexesDep,
    offset: Annotated[int, Query(ge=0, le=100_000, description="How many groups to skip.")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_GROUPS_PER_PAGE, description="Page size.")] = 10,
) -> BuyerGroupPage:
    """Open needs from two or more municipalities that describe the same problem, largest groups first."""
    return service.buyer_groups(session=session, indexes=indexes, offset=offset, limit=limit)


EXPORT_HEADER = (
    "group key",
    "theme",
    "municipalities",
    "counties",
    "population",
    "needs",
    "need ids",
    "shared KPIs",
    "best solutions",
)


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, XLSX_MEDIA_TYPE: {}}}},
)
def export_buyer_groups(
    session: SessionDep,
    indexes: IndexesDep,
    format: Annotated[ExportFormat, Query(description="csv (UTF-8 with BOM) or xlsx.")] = "csv",
) -> Response:
    """Every buyer group, a row each, for staff reports."""
    groups: list[BuyerGroup] = []
    while True:
        page = service.buyer_groups(
            session=session, indexes=indexes, offset=len(groups), limit=MAX_GROUPS_PER_PAGE
        )
        groups += page.items
        if not page.items or len(groups) >= page.total:
            break
    rows = [
        (
            group.key,
            group.theme,
            [f"{m.name} ({m.number})" for m in group.municipalities],
            sorted({m.county_number for m in group.municipalities}),
            group.population,
            len(group.needs),
            [need.id for need in group.needs],
            [shared.kpi.code for shared in group.shared_kpis],
            [f"{solution.title} ({solution.average_score:.2f})" for solution in group.best_solutions],
        )
        for group in groups
    ]
    return export_response(
        EXPORT_HEADER, rows, export_format=format, filename_stem="buyer-groups", sheet_title="Buyer groups"
    )


GroupKey = Annotated[str, Path(pattern=r"^bg-[0-9a-f]{12}$", description="A key from the list of groups.")]


@router.get("/{key}", response_model=BuyerGroup, responses=error_responses(404))
def buyer_group(session: SessionDep, indexes: IndexesDep, key: GroupKey) -> BuyerGroup:
    """One group by its key, with its best solutions; 404 once its members have changed (the key is made of them)."""
    return service.buyer_group(session=session, indexes=indexes, key=key)
