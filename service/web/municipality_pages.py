"""A municipality's page for its procurement officers: where it stands on each U4SSC KPI (a chart of value
against target, coloured by band, with the gap to the target), and the gaps that have become needs.

The numbers are the API's (/api/v1/municipalities/{n}/kpis and /gaps: service.kpis.gaps), the needs those
of service.needs seen by the signed-in person, each of the municipality's needs with a marker of its
open needs-quality findings (service.needs.quality, the check of a need's own page). The page is an officer's working view, so it asks for a
sign-in: an officer sees their own municipality at /my/municipality, staff and admins any at
/municipalities/{number}.
"""

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service.access import Principal
from service.auth import signed_in
from service.deps import SessionDep, SettingsDep
from service.errors import NotFoundError
from service.kpis.gaps import GapAnalysis, KpiStanding, gap_key, is_gap
from service.municipalities.repository import get_municipality
from service.needs import quality
from service.needs import service as needs
from service.needs.schemas import NeedFilters, NeedRead
from service.text_fields import MunicipalityNumber
from service.web.browser_cookies import no_store
from service.web.errors import error_page
from service.web.i18n import N_, page_locale
from service.web.quality_labels import RULE_NAMES
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
MY_MUNICIPALITY = "/my/municipality"
READERS_OF_ANY = ("admin", "staff")
NEEDS_SHOWN = 50  # the newest; the start page lists the rest (its municipality filter)
CHART_CEILING = 150.0  # % of target at the bar's full length: the target marker sits at two thirds
NOT_AN_OFFICER = N_(
    "This page shows a procurement officer's own municipality. Programme staff and administrators open"
    " a municipality at /municipalities/ followed by its number."
)
NOT_YOURS = N_(
    "Only the municipality's procurement officers, programme staff and administrators see this page."
)


@dataclass(frozen=True)
class KpiRow:
    """One KPI data point as the chart and its table show it."""

    standing: KpiStanding
    gap: float | None  # how far the value is from its target, in the KPI's unit; 0 when met
    bar: float | None  # the bar's share of the chart's width, 0-1; None without a % of target
    need: NeedRead | None  # the need generated from this gap, if it has become one

    @property
    def band_class(self) -> str:
        return f"band-{self.standing.band}" if self.standing.band else "band-none"


def gap_to_target(standing: KpiStanding) -> float | None:
    """The distance to the target in the KPI's unit (never negative): what is missing, or what is too much."""
    if standing.target is None or standing.direction not in ("+", "-"):
        return None
    value, target = standing.latest.value, standing.target.value
    missing = target - value if standing.direction == "+" else value - target
    return max(missing, 0.0)


def bar_share(percent: float | None) -> float | None:
    """The bar's length as a share of the chart's: % of target, capped at CHART_CEILING."""
    if percent is None:
        return None
    return min(max(percent, 0.0), CHART_CEILING) / CHART_CEILING


def kpi_rows(standings: list[KpiStanding], gap_needs: dict[str, NeedRead]) -> list[KpiRow]:
    """The weakest first (lowest band, then farthest from target), then those without a target, by code."""
    rows = [
        KpiRow(
            standing=standing,
            gap=gap_to_target(standing),
            bar=bar_share(standing.percent_of_target),
            need=gap_needs.get(
                gap_key(standing.latest.municipality_number, standing.kpi.code, standing.data_point)
            ),
        )
        for standing in standings
    ]
    return sorted(
        rows,
        key=lambda row: (
            row.standing.band is None,
            row.standing.band or 0,
            -(row.standing.severity or 0.0),
            row.standing.kpi.code,
            row.standing.data_point,
        ),
    )


def _municipality_page(
    request: Request, session: SessionDep, caller: Principal, max_band: int, number: str
) -> Response:
    municipality = get_municipality(session, number)
    if municipality is None:
        raise NotFoundError("Municipality", number)
    standings = GapAnalysis(session).standings_of_municipality(number)
    keys = [gap_key(number, s.kpi.code, s.data_point) for s in standings if is_gap(s, max_band)]
    rows = kpi_rows(standings, needs.by_gap_keys(session=session, keys=keys, caller=caller))
    own_needs, needs_total = needs.list_needs(
        session=session,
        caller=caller,
        offset=0,
        limit=NEEDS_SHOWN,
        filters=NeedFilters(municipality=number),
        newest_first=True,
    )
    context: dict[str, Any] = {
        "needs": own_needs,
        "needs_total": needs_total,
        "rules_failed": quality.rules_failed(session, own_needs),
        "rule_names": RULE_NAMES,
        "municipality": municipality,
        "rows": rows,
        "gap_rows": [row for row in rows if row.need is not None],
        "chart_target_at": 100.0 / CHART_CEILING,
        "synthetic_count": sum(1 for row in rows if row.standing.latest.synthetic),
    }
    return no_store(templates.TemplateResponse(request, "municipality.html", context))


def _refused(request: Request, reason: str) -> Response:
    return error_page(request, 403, detail=page_locale(request).gettext(reason))


@router.get(MY_MUNICIPALITY, response_class=HTMLResponse)
def my_municipality(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The signed-in officer's municipality."""
    person = signed_in(request, session)
    if person is None:
        return RedirectResponse(f"/login?next={MY_MUNICIPALITY}", status_code=303)
    number = person.principal.municipality_number
    if person.principal.role != "officer" or number is None:
        return _refused(request, NOT_AN_OFFICER)
    return _municipality_page(request, session, person.principal, settings.gap_max_band, number)


@router.get("/municipalities/{number}", response_class=HTMLResponse)
def municipality(
    request: Request, session: SessionDep, settings: SettingsDep, number: MunicipalityNumber
) -> Response:
    """Any municipality, for staff and admins; an officer's own (the address of /my/municipality)."""
    person = signed_in(request, session)
    if person is None:
        return RedirectResponse(f"/login?next=/municipalities/{number}", status_code=303)
    principal = person.principal
    own = principal.role == "officer" and principal.municipality_number == number
    if principal.role not in READERS_OF_ANY and not own:
        return _refused(request, NOT_YOURS)
    return _municipality_page(request, session, person.principal, settings.gap_max_band, number)
