"""The demand for one solution: its matching needs and the KPI gaps it answers, by municipality,
county and KPI, with the population they cover.

Matching needs: needs not closed whose hybrid match score (matching.ranker.rank_needs_for_solution) reaches
the weak band (match_bands.MATCH_FLOOR), at most the best DEMAND_LIMIT. KPI gaps: municipalities in a
weak U4SSC band (gap analysis) on a KPI the solution is tagged with, whether or not a need was
generated from the gap. A municipality counts once in a population however many needs or gaps it has.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from service.access import Principal
from service.audit.service import record_view
from service.demand.match_bands import BAND_FLOORS, MATCH_FLOOR, match_band
from service.demand.repository import Place, places
from service.demand.schemas import (
    BandCounts,
    CountyDemand,
    DemandNeed,
    DemandTotals,
    KpiDemandOfSolution,
    KpiGap,
    KpiName,
    MunicipalityDemand,
    SolutionDemand,
)
from service.indexing import Indexes
from service.kpis.gaps import GapAnalysis, gap_key, is_gap
from service.matching.ranker import rank_needs_for_solution
from service.matching.schemas import NeedMatch
from service.models import Solution
from service.needs.repository import need_ids_by_gap_key
from service.solutions import service as solutions_service

DEMAND_LIMIT = 200  # needs considered per solution: bounds the cost of scoring and explaining them
MATCHING_RULE = (
    f"Needs not closed whose match score with the solution is at least {MATCH_FLOOR} (the weak band), "
    f"the best {DEMAND_LIMIT} by score; closed needs never count."
)


@dataclass
class _Tally:
    """Counts for one group (a municipality, a county or a KPI)."""

    needs: int = 0
    open_needs: int = 0
    bands: Counter[str] = field(default_factory=Counter)
    best_score: float | None = None
    municipalities: set[str] = field(default_factory=set)
    weak_municipalities: set[str] = field(default_factory=set)
    weak_kpis: set[str] = field(default_factory=set)

    def add_need(self, need: DemandNeed) -> None:
        self.needs += 1
        self.open_needs += need.status == "open"
        self.bands[need.band] += 1
        self.best_score = need.score if self.best_score is None else max(self.best_score, need.score)
        if need.municipality_number:
            self.municipalities.add(need.municipality_number)

    def add_gap(self, gap: KpiGap) -> None:
        self.municipalities.add(gap.municipality_number)
        self.weak_municipalities.add(gap.municipality_number)
        self.weak_kpis.add(gap.kpi_code)

    def band_counts(self) -> BandCounts:
        return BandCounts(**{band: self.bands[band] for band in BAND_FLOORS})

    def population(self, place_of: dict[str, Place]) -> int:
        return sum(place_of[number].population for number in self.municipalities if number in place_of)


def solution_demand(
    *, session: Session, indexes: Indexes, solution_id: int, max_band: int, caller: Principal
) -> SolutionDemand:
    """The demand for a solution `caller` may see; the view is in the audit trail with the needs it
    showed, so that equal treatment of suppliers can be shown from it."""
    demand = _solution_demand(
        session,
        indexes,
        solutions_service.get_visible(session=session, solution_id=solution_id, caller=caller),
        max_band,
    )
    record_view(
        session,
        viewer=caller,
        subject_kind="solution_demand",
        subject_id=solution_id,
        detail={"need_ids": [need.id for need in demand.needs]},
    )
    return demand


def _solution_demand(session: Session, indexes: Indexes, solution: Solution, max_band: int) -> SolutionDemand:
    matches = rank_needs_for_solution(
        session=session, indexes=indexes, solution_id=solution.id, limit=DEMAND_LIMIT
    )
    matching = [match for match in matches if match.score >= MATCH_FLOOR]
    gaps = _weak_gaps(session, solution.kpi_codes, max_band)
    place_of = places(
        session,
        [m.need.municipality_number for m in matching if m.need.municipality_number]
        + [gap.municipality_number for gap in gaps],
    )
    needs = [_demand_need(match, place_of) for match in matching]

    by_municipality: dict[str, _Tally] = {}
    by_county: dict[str, _Tally] = {}
    by_kpi: dict[str, _Tally] = {code: _Tally() for code in solution.kpi_codes}
    everything = _Tally()
    for need in needs:
        everything.add_need(need)
        for code in need.kpi_codes:
            by_kpi.setdefault(code, _Tally()).add_need(need)
        if need.municipality_number in place_of:
            by_municipality.setdefault(need.municipality_number, _Tally()).add_need(need)
            by_county.setdefault(place_of[need.municipality_number].county_number, _Tally()).add_need(need)
    for gap in gaps:
        everything.add_gap(gap)
        by_kpi[gap.kpi_code].add_gap(gap)
        if gap.municipality_number in place_of:
            by_municipality.setdefault(gap.municipality_number, _Tally()).add_gap(gap)
            by_county.setdefault(place_of[gap.municipality_number].county_number, _Tally()).add_gap(gap)

    counties = {place_of[number].county_number for number in everything.municipalities if number in place_of}
    return SolutionDemand(
        solution_id=solution.id,
        solution_title=solution.title,
        kpi_codes=solution.kpi_codes,
        matching_rule=MATCHING_RULE,
        band_floors=dict(BAND_FLOORS),
        totals=DemandTotals(
            needs=everything.needs,
            open_needs=everything.open_needs,
            in_progress_needs=sum(need.status == "in_progress" for need in needs),
            needs_without_municipality=sum(need.municipality_number is None for need in needs),
            bands=everything.band_counts(),
            municipalities=len(everything.municipalities),
            counties=len(counties),
            population=everything.population(place_of),
        ),
        by_municipality=_municipalities(by_municipality, place_of),
        by_county=_counties(by_county, place_of),
        by_kpi=_kpis(indexes.kpi_names, by_kpi, place_of),
        needs=needs,
        more_needs_beyond_limit=len(matches) == DEMAND_LIMIT and matches[-1].score >= MATCH_FLOOR,
        kpi_gaps=gaps,
    )


def _demand_need(match: NeedMatch, place_of: dict[str, Place]) -> DemandNeed:
    need = match.need
    place = place_of.get(need.municipality_number or "")
    band = match_band(match.score)
    assert band is not None  # only matches above the floor get here
    return DemandNeed(
        id=need.id,
        title=need.title,
        municipality_number=need.municipality_number,
        municipality_name=place.name if place else None,
        county_number=place.county_number if place else None,
        kpi_codes=need.kpi_codes,
        status=need.status,
        origin=need.origin,
        language=need.language,
        score=match.score,
        band=band,
    )


def _weak_gaps(session: Session, kpi_codes: Iterable[str], max_band: int) -> list[KpiGap]:
    """Weak standings on the KPIs, by KPI then municipality, each with the need generated from it."""
    analysis = GapAnalysis(session)
    weak = [
        standing
        for code in sorted(set(kpi_codes))
        if code in analysis.kpis
        for standing in analysis.standings_of_kpi(code)
        if is_gap(standing, max_band)
    ]
    keys = [gap_key(s.latest.municipality_number, s.kpi.code, s.data_point) for s in weak]
    need_ids = need_ids_by_gap_key(session, keys)
    return [
        KpiGap(
            municipality_number=standing.latest.municipality_number,
            kpi_code=standing.kpi.code,
            data_point=standing.data_point,
            band=standing.band or 0,
            severity=standing.severity,
            need_id=need_ids.get(key),
        )
        for standing, key in zip(weak, keys, strict=True)
    ]


def _municipalities(tallies: dict[str, _Tally], place_of: dict[str, Place]) -> list[MunicipalityDemand]:
    rows = [
        MunicipalityDemand(
            number=number,
            name=place_of[number].name,
            county_number=place_of[number].county_number,
            population=place_of[number].population,
            needs=tally.needs,
            open_needs=tally.open_needs,
            bands=tally.band_counts(),
            best_score=tally.best_score,
            weak_kpis=sorted(tally.weak_kpis),
        )
        for number, tally in tallies.items()
    ]
    return sorted(rows, key=lambda row: (-row.needs, -row.population, row.number))


def _counties(tallies: dict[str, _Tally], place_of: dict[str, Place]) -> list[CountyDemand]:
    county_names = {place.county_number: place.county_name for place in place_of.values()}
    rows = [
        CountyDemand(
            number=number,
            name=county_names[number],
            municipalities=len(tally.municipalities),
            population=tally.population(place_of),
            needs=tally.needs,
            open_needs=tally.open_needs,
            bands=tally.band_counts(),
            best_score=tally.best_score,
        )
        for number, tally in tallies.items()
    ]
    return sorted(rows, key=lambda row: (-row.needs, -row.population, row.number))


def _kpis(
    names: Mapping[str, tuple[str, str]], tallies: dict[str, _Tally], place_of: dict[str, Place]
) -> list[KpiDemandOfSolution]:
    rows = [
        KpiDemandOfSolution(
            kpi=KpiName(code=code, name_no=names[code][0], name_en=names[code][1]),
            needs=tally.needs,
            open_needs=tally.open_needs,
            weak_municipalities=len(tally.weak_municipalities),
            municipalities=len(tally.municipalities),
            population=tally.population(place_of),
        )
        for code, tally in tallies.items()
        if code in names
    ]
    return sorted(rows, key=lambda row: (-row.needs, -row.municipalities, row.kpi.code))
