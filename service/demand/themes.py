"""The demand for a KPI or a U4SSC dimension (the theme): where it is weak, which solutions answer it,
and where none does.

- Weak: municipalities in a weak U4SSC band on the KPI (kpis.gaps), at most one row per municipality
  (its worst data point); optionally only in one county.
- Answering solutions: published solutions tagged with the KPI, and solutions whose match score on
  the KPI's needs (needs not closed tagged with it) reaches the weak band. Scoring a need costs a
  full match, so at most NEEDS_SCORED_PER_KPI needs per KPI are scored: officers' own needs first
  (they vary most), then generated ones (one generated need stands for the rest, their texts differ
  only in the figures).
- A gap in the market (MARKET_GAP_RULE): there is demand, and no solution reaches the moderate band on
  the KPI's needs; where there are no needs to score, no published solution is tagged with the KPI.
  On the evaluation set nearly every right answer scores at least moderate (docs/matching.md, "Match
  bands"), so a best score below it says the right solution is very likely not registered: worth a
  market dialogue.
"""

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.access import Principal
from service.audit.service import record_view
from service.demand.match_bands import MATCH_FLOOR, MODERATE_SCORE, match_band
from service.demand.repository import (
    Place,
    county_name,
    needs_not_closed_with_kpis,
    places,
    published_solutions_with_kpis,
)
from service.demand.schemas import (
    AddressingSolution,
    KpiDemand,
    KpiName,
    ThemeDemand,
    ThemeQuery,
    WeakMunicipality,
)
from service.errors import FieldError, FieldErrors, UncheckedRequest
from service.identifiers import compact_kpi_code
from service.indexing import Indexes
from service.kpis.gaps import GapAnalysis, KpiStanding, gap_key, is_gap
from service.matching.filters import MatchFilters
from service.matching.ranker import rank_solutions_for_need
from service.models import Kpi, Need, Solution
from service.needs.repository import need_ids_by_gap_key
from service.well_formed import well_formed

NEEDS_SCORED_PER_KPI = 3
SOLUTIONS_PER_NEED = 10
SOLUTIONS_SHOWN = 10
MARKET_GAP_RULE = (
    f"Demand (a weak municipality or a need not closed) and no solution scoring at least {MODERATE_SCORE} "
    "(the moderate band) on the KPI's needs; without needs to score, no published solution tagged with "
    "the KPI."
)


def theme_demand(
    *,
    session: Session,
    indexes: Indexes,
    kpi: str | None,
    dimension: str | None,
    county: str | None,
    max_band: int,
    caller: Principal,
) -> ThemeDemand:
    """The demand for a KPI or a dimension; the view is in the audit trail."""
    demand = _theme_demand(session, indexes, kpi=kpi, dimension=dimension, county=county, max_band=max_band)
    record_view(
        session,
        viewer=caller,
        subject_kind="kpi_demand",
        subject_id=kpi or dimension or "",
        detail={"kpi": kpi, "dimension": dimension, "county": county},
    )
    return demand


def _theme_demand(
    session: Session,
    indexes: Indexes,
    *,
    kpi: str | None,
    dimension: str | None,
    county: str | None,
    max_band: int,
) -> ThemeDemand:
    problems: list[FieldError] = []
    if kpi is None and dimension is None:
        problems.append(_problem("kpi", "give either kpi (a U4SSC KPI code) or dimension"))
    elif kpi is not None and dimension is not None:
        problems.append(_problem("kpi", "give either kpi or dimension, not both"))
    kpis = _theme_kpis(session, kpi, dimension, problems)
    county_label = _county(session, county, problems)
    if problems:
        raise FieldErrors(problems)
    analysis = GapAnalysis(session)
    weak_by_kpi = {code: _worst_per_municipality(analysis, code, max_band) for code in kpis}
    place_of = places(session, {s.latest.municipality_number for w in weak_by_kpi.values() for s in w})
    if county:
        weak_by_kpi = {
            code: [s for s in weak if _county_of(place_of, s) == county] for code, weak in weak_by_kpi.items()
        }
    needs = needs_not_closed_with_kpis(session, kpis, county)
    tagged = published_solutions_with_kpis(session, kpis, county)
    need_ids = need_ids_by_gap_key(
        session,
        [
            gap_key(s.latest.municipality_number, s.kpi.code, s.data_point)
            for w in weak_by_kpi.values()
            for s in w
        ],
    )
    rows = []
    for code, kpi_row in kpis.items():
        kpi_needs = [need for need in needs if code in need.kpi_codes]
        weak = weak_by_kpi[code]
        if dimension is not None and not weak and not kpi_needs:
            continue  # a dimension lists only the KPIs with demand
        scored = _needs_to_score(kpi_needs)
        solutions, best = _answering_solutions(
            session, indexes, scored, [s for s in tagged if code in s.kpi_codes], county
        )
        weak_rows = _weak_municipalities(weak, place_of, need_ids)
        rows.append(_kpi_demand(kpi_row, weak_rows, kpi_needs, len(scored), solutions, best))
    rows.sort(key=lambda row: (-row.population, -row.municipalities, -row.needs, row.kpi.code))
    weak_numbers = {row.number for kpi_demand in rows for row in kpi_demand.weak_municipalities}
    return ThemeDemand(
        kpi=next(iter(kpis)) if kpi else None,
        dimension=dimension,
        county_number=county,
        county_name=county_label,
        market_gap_rule=MARKET_GAP_RULE,
        municipalities=len(weak_numbers),
        population=sum(place_of[number].population for number in weak_numbers),
        market_gaps=[row.kpi.code for row in rows if row.market_gap],
        kpis=rows,
    )


def _problem(parameter: str, message: str) -> FieldError:
    return FieldError((parameter,), message, source="query")


def _theme_kpis(
    session: Session, kpi: str | None, dimension: str | None, problems: list[FieldError]
) -> dict[str, Kpi]:
    """The KPIs of the theme by code, named by kpi or else by dimension; empty, with a problem, when
    the parameter names nothing."""
    if kpi is not None:
        found = session.get(Kpi, compact_kpi_code(kpi))
        if found is None:
            problems.append(_problem("kpi", f"unknown U4SSC KPI code '{kpi}' (see GET /api/v1/kpis)"))
            return {}
        return {found.code: found}
    if dimension is None:
        return {}
    of_dimension = list(session.scalars(select(Kpi).where(Kpi.dimension == dimension).order_by(Kpi.code)))
    if not of_dimension:
        known = sorted(set(session.scalars(select(Kpi.dimension))))
        problems.append(
            _problem("dimension", f"unknown U4SSC dimension '{dimension}'; known: {', '.join(known)}")
        )
    return {item.code: item for item in of_dimension}


def _county(session: Session, county: str | None, problems: list[FieldError]) -> str | None:
    if county is None:
        return None
    name = county_name(session, county)
    if name is None:
        problems.append(
            _problem(
                "county",
                f"unknown county number '{county}' (see county_number in GET /api/v1/municipalities)",
            )
        )
    return name


def unchecked_query_errors(session: Session, request: UncheckedRequest) -> list[FieldError]:
    """What the well-formed parameters of a query that failed its shape check name that does not exist."""
    query = well_formed(ThemeQuery, dict(request.query))
    problems: list[FieldError] = []
    _theme_kpis(session, query.get("kpi"), query.get("dimension"), problems)
    _county(session, query.get("county"), problems)
    return problems


def _county_of(place_of: dict[str, Place], standing: KpiStanding) -> str | None:
    place = place_of.get(standing.latest.municipality_number)
    return place.county_number if place else None


def _worst_per_municipality(analysis: GapAnalysis, code: str, max_band: int) -> list[KpiStanding]:
    """Each weak municipality's worst data point of the KPI, worst first."""
    worst: dict[str, KpiStanding] = {}
    for standing in analysis.standings_of_kpi(code):
        number = standing.latest.municipality_number
        if not is_gap(standing, max_band):
            continue
        if number not in worst or (standing.severity or 0.0) > (worst[number].severity or 0.0):
            worst[number] = standing
    return sorted(worst.values(), key=lambda s: (-(s.severity or 0.0), s.latest.municipality_number))


def _weak_municipalities(
    weak: Sequence[KpiStanding], place_of: dict[str, Place], need_ids: dict[str, int]
) -> list[WeakMunicipality]:
    return [
        WeakMunicipality(
            number=number,
            name=place_of[number].name,
            county_number=place_of[number].county_number,
            population=place_of[number].population,
            band=standing.band or 0,
            severity=standing.severity,
            data_point=standing.data_point,
            need_id=need_ids.get(gap_key(number, standing.kpi.code, standing.data_point)),
        )
        for standing in weak
        if (number := standing.latest.municipality_number) in place_of
    ]


def _needs_to_score(needs: Sequence[Need]) -> list[Need]:
    return sorted(needs, key=lambda need: (need.origin != "manual", need.id))[:NEEDS_SCORED_PER_KPI]


def _answering_solutions(
    session: Session,
    indexes: Indexes,
    scored_needs: Sequence[Need],
    tagged: Sequence[Solution],
    county: str | None,
) -> tuple[list[AddressingSolution], float | None]:
    """The solutions shown (tagged, or matching a need at least weakly) and the best score of any."""
    scores: dict[int, list[float]] = defaultdict(list)
    titles = {solution.id: solution.title for solution in tagged}
    for need in scored_needs:
        for match in rank_solutions_for_need(
            session=session,
            indexes=indexes,
            need_id=need.id,
            limit=SOLUTIONS_PER_NEED,
            filters=MatchFilters(county=county),
        ):
            scores[match.solution.id].append(match.score)
            titles[match.solution.id] = match.solution.title
    tagged_ids = {solution.id for solution in tagged}
    shown = tagged_ids | {owner_id for owner_id, values in scores.items() if max(values) >= MATCH_FLOOR}
    rows = [
        AddressingSolution(
            id=owner_id,
            title=titles[owner_id],
            tagged=owner_id in tagged_ids,
            best_score=max(scores[owner_id]) if scores.get(owner_id) else None,
            band=match_band(max(scores[owner_id])) if scores.get(owner_id) else None,
            needs_matched=sum(score >= MATCH_FLOOR for score in scores.get(owner_id, [])),
        )
        for owner_id in shown
    ]
    rows.sort(key=lambda row: (row.best_score is None, -(row.best_score or 0.0), not row.tagged, row.id))
    best = max((max(values) for values in scores.values()), default=None)
    return rows, best


def _kpi_demand(
    kpi: Kpi,
    weak: list[WeakMunicipality],
    needs: Sequence[Need],
    needs_scored: int,
    solutions: list[AddressingSolution],
    best: float | None,
) -> KpiDemand:
    reason = None
    if weak or needs:
        if needs_scored and (best is None or best < MODERATE_SCORE):
            reason = (
                f"the best solution scores {best:.2f} on the KPI's needs, below the moderate band ({MODERATE_SCORE})"
                if best is not None
                else "no published solution to score against the KPI's needs"
            )
        elif not needs_scored and not any(row.tagged for row in solutions):
            reason = "no needs to score, and no published solution is tagged with the KPI"
    return KpiDemand(
        kpi=KpiName(code=kpi.code, name_en=kpi.name_en, name_no=kpi.name_no),
        dimension=kpi.dimension,
        weak_municipalities=weak,
        municipalities=len(weak),
        population=sum(row.population for row in weak),
        needs=len(needs),
        open_needs=sum(need.status == "open" for need in needs),
        needs_scored=needs_scored,
        solutions=solutions[:SOLUTIONS_SHOWN],
        best_score=best,
        market_gap=reason is not None,
        market_gap_reason=reason,
    )
