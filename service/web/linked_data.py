"""The JSON-LD of a need's or a solution's page: looks up the places, KPI names and supplier that
service/web/structured_data.py puts into it, from the record as the page shows it."""

from fastapi import Request
from markupsafe import Markup
from sqlalchemy.orm import Session

from service.kpis.repository import kpis_by_code
from service.municipalities.repository import counties_by_number, get_municipality
from service.needs.schemas import NeedRead
from service.solutions.schemas import SolutionRead
from service.suppliers import repository as suppliers
from service.web.structured_data import (
    Area,
    Provider,
    need_demand,
    place,
    script_json,
    solution_service,
)


def _page_url(request: Request, path: str) -> str:
    """The page's canonical address: where people open the pages, not the host this request came to."""
    base: str = request.app.state.settings.public_base_url
    return base.rstrip("/") + path


def _kpi_names(session: Session, codes: list[str], language: str) -> dict[str, str]:
    found = kpis_by_code(session, codes)
    return {
        code: (found[code].name_no if language == "no" else found[code].name_en)
        for code in codes
        if code in found
    }


def need_json_ld(request: Request, session: Session, need: NeedRead) -> Markup:
    municipality = get_municipality(session, need.municipality_number) if need.municipality_number else None
    area_served = place(
        Area(municipality.number, municipality.name) if municipality else None,
        Area(municipality.county.number, municipality.county.name) if municipality else None,
    )
    document = need_demand(
        need,
        url=_page_url(request, f"/needs/{need.id}"),
        area_served=area_served,
        kpi_names=_kpi_names(session, need.kpi_codes, need.language),
    )
    return script_json(document)


def solution_json_ld(request: Request, session: Session, solution: SolutionRead) -> Markup | None:
    """None for a draft or archived solution: its page is only its supplier's and staff's, not public."""
    if solution.status != "published":
        return None
    supplier = suppliers.get_supplier(session, solution.supplier_id) if solution.supplier_id else None
    provider = (
        Provider(supplier.name, supplier.organisation_number, supplier.website, supplier.demo)
        if supplier
        else None
    )
    counties = counties_by_number(session, solution.regions_served)
    document = solution_service(
        solution,
        url=_page_url(request, f"/solutions/{solution.id}"),
        provider=provider,
        area_served=[
            place(None, Area(number, counties[number].name))
            for number in solution.regions_served
            if number in counties
        ],
        kpi_names=_kpi_names(session, solution.kpi_codes, solution.language),
    )
    return script_json(document)
