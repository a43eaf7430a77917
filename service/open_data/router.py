"""HTTP layer of the open-data files: streamed, with their licence (NLOD 2.0) in a Link header."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, StreamingResponse

from service.deps import SettingsDep
from service.open_data import service
from service.open_data.catalogue import dcat_catalogue
from service.openapi_errors import error_responses

router = APIRouter(prefix="/api/v1/open-data", tags=["open data"])
FileName = Annotated[
    str, Path(max_length=40, description="needs, solutions or kpi-gaps, then .csv or .jsonl")
]


@router.get("", response_class=JSONResponse, responses={200: {"content": {"application/ld+json": {}}}})
def open_data_catalogue(settings: SettingsDep) -> JSONResponse:
    """The open-data files as a DCAT-AP-NO catalogue (JSON-LD), for data.norge.no and other harvesters."""
    return JSONResponse(dcat_catalogue(settings.public_base_url), media_type="application/ld+json")


@router.get(
    "/{name}",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/csv": {}, "application/jsonl": {}},
            "headers": {
                "Link": {"description": 'The licence: <https://data.norge.no/nlod/no/2.0>; rel="license"'}
            },
        },
        **error_responses(404),
    },
)
def open_data_file(request: Request, settings: SettingsDep, name: FileName) -> StreamingResponse:
    """One open-data file: needs, solutions or kpi-gaps, as .csv or .jsonl (e.g. needs.csv), under NLOD 2.0.

    Only public data: published needs without their contact person, published solutions, the KPI gap
    analysis; demo records are marked synthetic. docs/open_data.md lists every field."""
    opened = service.open_file(
        sessions=request.app.state.session_factory,
        name=name,
        base_url=settings.public_base_url,
        gap_max_band=settings.gap_max_band,
    )
    headers = {
        "Content-Disposition": f'attachment; filename="{opened.filename}"',
        "Link": f'<{service.LICENCE_URL}>; rel="license"',
    }
    return StreamingResponse(opened.chunks, media_type=opened.media_type, headers=headers)
