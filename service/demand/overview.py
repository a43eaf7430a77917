"""Where the demand is: the open needs counted by U4SSC theme (a KPI's subdimension), under their dimension.

A need counts once under each theme of its KPI codes. A need without KPI codes counts under the theme
of its best suggested KPI (derived from its text), marked as suggested; without either it counts as
having no KPI. The needs are the start page's open needs (service.needs), so a theme's tagged count is
what the start page lists for the theme.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from service.kpis import repository as kpis
from service.models import Kpi, Need
from service.needs import repository as needs

TOP_KPIS = 3  # the KPIs shown per theme, most needs first
UNTAGGED_SHOWN = 50  # needs without KPI codes listed by title; the rest are counted
_PAGE = 1000  # needs read at a time
_CATALOGUE_SIZE = 1000  # more than the U4SSC KPIs


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
class DemandOverview:
    themes: list[ThemeDemand]  # the catalogue's themes (of the chosen dimension), in its order
    catalogue: dict[str, Kpi]
    open_needs: int = 0  # distinct needs counted (a need with KPIs of two themes counts in both themes)
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


def open_needs(session: Session, *, county: str | None) -> Iterator[Need]:
    """The start page's open needs (optionally of one county), oldest first, read a page at a time."""
    offset = 0
    while True:
        page, total = needs.list_needs(
            session, offset=offset, limit=_PAGE, county_number=county, status="open"
        )
        yield from page
        offset += _PAGE
        if offset >= total or not page:
            return


def _kpi_codes_counted(need: Need) -> tuple[list[str], bool]:
    """The need's KPI codes, else its best suggested KPI (True: suggested), else none."""
    if need.kpi_codes:
        return list(need.kpi_codes), False
    if need.suggested_kpis:
        return [need.suggested_kpis[0]["code"]], True
    return [], False


def demand_overview(*, session: Session, county: str | None, dimension: str | None) -> DemandOverview:
    """The open needs (of a county, if given) by theme; only the themes of `dimension`, if given."""
    catalogue_kpis, _ = kpis.list_kpis(session, offset=0, limit=_CATALOGUE_SIZE)
    catalogue = {kpi.code: kpi for kpi in catalogue_kpis}
    themes: dict[str, ThemeDemand] = {}
    for kpi in catalogue_kpis:
        if dimension is None or kpi.dimension == dimension:
            themes.setdefault(kpi.subdimension, ThemeDemand(kpi.subdimension, kpi.dimension))
    overview = DemandOverview(list(themes.values()), catalogue)
    for need in open_needs(session, county=county):
        codes, suggested = _kpi_codes_counted(need)
        known = [code for code in codes if code in catalogue]
        if known:
            counted = _count(need, [catalogue[code] for code in known], suggested, themes)
        else:
            counted = dimension is None  # under "No KPI", which belongs to no dimension
            overview.without_kpi += counted
        if not counted:
            continue
        overview.open_needs += 1
        if need.municipality_number:
            overview.municipalities.add(need.municipality_number)
        overview.demo_needs += need.demo
        overview.synthetic_needs += bool(need.evidence and need.evidence.get("synthetic"))
        if not need.kpi_codes:
            overview.untagged_total += 1
            if len(overview.untagged) < UNTAGGED_SHOWN:
                suggestion = catalogue[known[0]] if known else None
                overview.untagged.append(
                    UntaggedNeed(need.id, need.title, need.language, need.municipality_name, suggestion)
                )
    return overview


def _count(need: Need, counted_kpis: list[Kpi], suggested: bool, themes: dict[str, ThemeDemand]) -> bool:
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
            if need.municipality_number:
                theme.municipalities.add(need.municipality_number)
    return bool(counted)
