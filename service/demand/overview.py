"""Where the demand is: the open needs counted by U4SSC theme (a KPI's subdimension), under their dimension.

A need counts once under each theme of its KPI codes. A need without KPI codes counts under the theme
of its best suggested KPI (derived from its text), marked as suggested; without either it counts as
having no KPI. The needs are the start page's open needs (service.needs), so a theme's tagged count is
what the start page lists for the theme. The same needs are counted by county (of their municipality).

The filters narrow the KPIs counted (a dimension, one KPI, the KPIs of an SDG: a need counts only under
the themes of its KPIs that pass, and not at all if none pass) and the places (a county, municipalities
of a size band by their latest population).

Procurement notices are needs too (origin "notice", open until their deadline): each theme and county
also says how many of its needs are notices ("kunngjøringer"), a signal beside KPI gaps and needs; a
notice whose buyer is no municipality counts in the county of the notice.

The needs are counted here, in one pass over their KPI columns: about 20 µs a need on this machine
(docs/database.md, "Counting demand"), linear in the open needs.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Final, Literal

from sqlalchemy.orm import Session

from service.kpis import repository as kpis
from service.models import Kpi
from service.municipalities import repository as municipalities
from service.needs import repository as needs
from service.needs.repository import CountedNeed

TOP_KPIS = 3  # the KPIs shown per theme, most needs first
UNTAGGED_SHOWN = 50  # needs without KPI codes listed by title; the rest are counted
_CATALOGUE_SIZE = 1000  # more than the U4SSC KPIs and Norway's municipalities
# Municipality sizes by residents: the least (inclusive) and the most (exclusive, None: no limit).
SizeBand = Literal["under-5000", "5000-20000", "20000-100000", "over-100000"]
SIZE_BANDS: Final[dict[SizeBand, tuple[int, int | None]]] = {
    "under-5000": (0, 5_000),
    "5000-20000": (5_000, 20_000),
    "20000-100000": (20_000, 100_000),
    "over-100000": (100_000, None),
}


@dataclass(frozen=True)
class DemandFilters:
    """Which open needs are counted; each filter given narrows them."""

    county: str | None = None
    dimension: str | None = None
    kpi: str | None = None  # a compact KPI code
    sdg: int | None = None  # 1 to 17
    size: SizeBand | None = None

    def counts_kpi(self, kpi: Kpi) -> bool:
        return (
            (self.dimension is None or kpi.dimension == self.dimension)
            and (self.kpi is None or kpi.code == self.kpi)
            and (self.sdg is None or self.sdg in kpi.sdgs)
        )

    @property
    def narrows_kpis(self) -> bool:
        return self.dimension is not None or self.kpi is not None or self.sdg is not None


@dataclass(frozen=True)
class KpiCount:
    kpi: Kpi
    needs: int
    suggested: int  # of which counted from a suggested KPI


@dataclass
class ThemeDemand:
    """The open needs of one theme."""

    theme: str
    dimension: str
    needs: int = 0
    suggested: int = 0  # of which counted from a suggested KPI: the start page lists only the others
    notices: int = 0  # of which procurement notices (kunngjøringer)
    municipalities: set[str] = field(default_factory=set)
    kpi_needs: Counter[str] = field(default_factory=Counter)
    kpi_suggested: Counter[str] = field(default_factory=Counter)

    @property
    def tagged(self) -> int:
        return self.needs - self.suggested

    def top_kpis(self, catalogue: dict[str, Kpi], limit: int = TOP_KPIS) -> list[KpiCount]:
        ranked = sorted(self.kpi_needs.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [KpiCount(catalogue[code], count, self.kpi_suggested[code]) for code, count in ranked]


@dataclass(frozen=True)
class UntaggedNeed:
    """An open need without KPI codes, with the KPI suggested from its text if any."""

    id: int
    title: str
    language: str
    municipality_name: str | None
    suggested_kpi: Kpi | None


@dataclass
class CountyDemand:
    """The open needs of the municipalities of one county."""

    number: str
    name: str
    needs: int = 0
    notices: int = 0  # of which procurement notices (kunngjøringer)
    municipalities: set[str] = field(default_factory=set)


@dataclass
class DemandOverview:
    themes: list[ThemeDemand]  # the catalogue's themes (of the chosen KPIs), in its order
    catalogue: dict[str, Kpi]
    counties: list[CountyDemand] = field(default_factory=list)  # every county, by number
    without_county: int = 0  # counted needs of no municipality
    open_needs: int = 0  # distinct needs counted (a need with KPIs of two themes counts in both themes)
    notices: int = 0  # of which procurement notices
    municipalities: set[str] = field(default_factory=set)
    without_kpi: int = 0  # neither KPI codes nor a suggestion
    untagged: list[UntaggedNeed] = field(default_factory=list)  # the first UNTAGGED_SHOWN without codes
    untagged_total: int = 0
    demo_needs: int = 0  # fictional demo needs among those counted
    synthetic_needs: int = 0  # of which generated from a synthetic KPI value

    def by_dimension(self) -> dict[str, list[ThemeDemand]]:
        grouped: dict[str, list[ThemeDemand]] = {}
        for theme in self.themes:
            grouped.setdefault(theme.dimension, []).append(theme)
        return grouped

    @property
    def most_needs(self) -> int:
        return max((theme.needs for theme in self.themes), default=0)

    @property
    def most_county_needs(self) -> int:
        return max((county.needs for county in self.counties), default=0)


def _kpi_codes_counted(need: CountedNeed) -> tuple[list[str], bool]:
    """The need's KPI codes, else its best suggested KPI (True: suggested), else none."""
    if need.kpi_codes:
        return list(need.kpi_codes), False
    if need.suggested_kpis:
        return [need.suggested_kpis[0]["code"]], True
    return [], False


def municipalities_of_size(session: Session, band: SizeBand) -> set[str]:
    """The municipalities whose latest population lies in the size band."""
    least, most = SIZE_BANDS[band]
    return {
        number
        for number, population in municipalities.latest_populations(session).items()
        if population >= least and (most is None or population < most)
    }


def demand_overview(*, session: Session, filters: DemandFilters) -> DemandOverview:
    """The open needs that pass the filters, by theme (only the themes of the chosen KPIs) and by county."""
    catalogue_kpis, _ = kpis.list_kpis(session, offset=0, limit=_CATALOGUE_SIZE)
    catalogue = {kpi.code: kpi for kpi in catalogue_kpis}
    themes: dict[str, ThemeDemand] = {}
    for kpi in catalogue_kpis:
        if filters.counts_kpi(kpi):
            themes.setdefault(kpi.subdimension, ThemeDemand(kpi.subdimension, kpi.dimension))
    places, _ = municipalities.list_municipalities(session, offset=0, limit=_CATALOGUE_SIZE)
    county_of = {place.number: place.county_number for place in places}
    name_of = {place.number: place.name for place in places}
    counties = {
        place.county_number: CountyDemand(place.county_number, place.county.name)
        for place in sorted(places, key=lambda place: place.county_number)
    }
    of_size = municipalities_of_size(session, filters.size) if filters.size else None
    overview = DemandOverview(list(themes.values()), catalogue, list(counties.values()))
    for need in needs.open_needs_to_count(session, county_number=filters.county):
        if of_size is not None and need.municipality_number not in of_size:
            continue
        codes, suggested = _kpi_codes_counted(need)
        known = [code for code in codes if code in catalogue and filters.counts_kpi(catalogue[code])]
        if known:
            counted = _count(need, [catalogue[code] for code in known], suggested, themes)
        elif codes and any(code in catalogue for code in codes):
            counted = False  # its KPIs are all outside the chosen ones
        else:
            counted = not filters.narrows_kpis  # under "No KPI", which no KPI filter chooses
            overview.without_kpi += counted
        if not counted:
            continue
        overview.open_needs += 1
        is_notice = need.origin == "notice"
        overview.notices += is_notice
        county = county_of.get(need.municipality_number or "") or need.notice_county
        place = counties.get(county or "")
        if place is not None:
            place.needs += 1
            place.notices += is_notice
        if need.municipality_number:
            overview.municipalities.add(need.municipality_number)
            if place is not None:
                place.municipalities.add(need.municipality_number)
        elif place is None:
            overview.without_county += 1
        overview.demo_needs += need.demo
        overview.synthetic_needs += bool(need.evidence and need.evidence.get("synthetic"))
        if not need.kpi_codes:
            overview.untagged_total += 1
            if len(overview.untagged) < UNTAGGED_SHOWN:
                suggestion = catalogue[known[0]] if known else None
                overview.untagged.append(
                    UntaggedNeed(
                        need.id,
                        need.title,
                        need.language,
                        name_of.get(need.municipality_number or ""),
                        suggestion,
                    )
                )
    return overview


def _count(
    need: CountedNeed, counted_kpis: list[Kpi], suggested: bool, themes: dict[str, ThemeDemand]
) -> bool:
    """Adds the need to each theme of its KPIs (themes outside the chosen dimension are absent);
    whether it counted in any."""
    counted: set[str] = set()
    for kpi in counted_kpis:
        theme = themes.get(kpi.subdimension)
        if theme is None:
            continue
        theme.kpi_needs[kpi.code] += 1
        theme.kpi_suggested[kpi.code] += suggested
        if theme.theme not in counted:
            counted.add(theme.theme)
            theme.needs += 1
            theme.suggested += suggested
            theme.notices += need.origin == "notice"
            if need.municipality_number:
                theme.municipalities.add(need.municipality_number)
    return bool(counted)
