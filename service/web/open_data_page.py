"""Åpne data: the open-data files to download, what each holds and leaves out, and their licence."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from service.open_data.service import DATASETS, FORMATS, LICENCE_NAME, LICENCE_URL
from service.web.i18n import N_
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
FILES_PATH = "/api/v1/open-data"
WHAT_EACH_HOLDS = {
    "needs": N_(
        "The municipalities' needs: text, language, municipality and county, KPIs, CPV codes, the procurement"
        " notice a need carries, and the evidence of needs generated from KPI gaps."
    ),
    "solutions": N_(
        "The published solutions: text, language, the supplier's name, organisation number and website,"
        " KPIs, sustainable development goals, maturity (TRL), CPV codes and the counties served."
    ),
    "kpi-gaps": N_(
        "Where a municipality scores weakly on a U4SSC KPI: the latest value, year, unit and source, the"
        " target and its source, the share of the target, the band, the trend and the need generated from it."
    ),
}
FORMAT_NAMES = {"csv": "CSV", "jsonl": "JSON Lines"}
DATASET_NAMES = {"needs": N_("Needs"), "solutions": N_("Solutions"), "kpi-gaps": N_("KPI gaps")}


@router.get("/apne-data", response_class=HTMLResponse)
def open_data_page(request: Request) -> HTMLResponse:
    """The open-data files, for people: the same files the API serves."""
    files = [
        {
            "name": DATASET_NAMES[name],
            "holds": WHAT_EACH_HOLDS[name],
            "links": [
                (FORMAT_NAMES[file_format], f"{FILES_PATH}/{name}.{file_format}") for file_format in FORMATS
            ],
        }
        for name in DATASETS
    ]
    context = {"files": files, "licence_name": LICENCE_NAME, "licence_url": LICENCE_URL}
    return templates.TemplateResponse(request, "open_data.html", context)
