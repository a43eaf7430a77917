"""Buyer groups: open needs from two or more municipalities that describe the same problem.

The open needs (with a municipality and a vector) are clustered (clustering.py); a cluster whose
needs come from fewer than two municipalities is no group. Cost is bounded: at most
MAX_CLUSTERED_NEEDS needs are clustered (the newest; the answer says how many were left out), and
solutions are scored only for the groups on the requested page, against each group's
NEEDS_SCORED_PER_GROUP most central needs. Nothing is stored: the same open needs give the same
groups, keys and order.
"""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from service.buyer_groups.clustering import (
    DISTANCE_THRESHOLD,
    KPI_WEIGHT,
    NeedPoint,
    clusters,
    problem_distances,
)
from service.buyer_groups.repository import groupable_needs, notice_kpi_codes, supplier_numbers_of
from service.buyer_groups.schemas import (
    BuyerGroup,
    BuyerGroupPage,
    GroupMunicipality,
    GroupNeed,
    GroupSolution,
    SharedKpi,
)
from service.demand.match_bands import MATCH_FLOOR
from service.demand.repository import Place, places
from service.demand.schemas import KpiName
from service.errors import NotFoundError
from service.indexing import Indexes
from service.matching.ranker import rank_solutions_for_need
from service.models import Need
from service.notices.contracts import contracts_won_by_organisation

# Average linkage needs the full distance matrix, quadratic in the needs: this bounds its memory and time
# (docs/buyer-groups.md, "The cost bound").
MAX_CLUSTERED_NEEDS = 3000
NEEDS_SCORED_PER_GROUP = 3
SOLUTIONS_PER_NEED = 10
BEST_SOLUTIONS = 3
METHOD = (
    "Open needs clustered by average linkage on 1 - cosine of the language-centred vectors "
    f"- {KPI_WEIGHT} x shared-KPI share (Jaccard), cut at {DISTANCE_THRESHOLD}; two needs generated from "
    "KPI gaps count as the same problem exactly when they come from the same KPI data point. A group "
    f"needs two or more municipalities. At most {MAX_CLUSTERED_NEEDS} needs, the newest, are clustered."
)


@dataclass(frozen=True)
class _Group:
    key: str
    members: list[Need]  # most central first
    municipalities: list[str]  # sorted numbers
    population: int


@dataclass(frozen=True)
class _Clustering:
    groups: list[_Group]  # largest first
    place_of: dict[str, Place]
    needs_considered: int
    needs_left_out: int


def _clustering(session: Session, indexes: Indexes) -> _Clustering:
    needs, open_needs = groupable_needs(session, limit=MAX_CLUSTERED_NEEDS)
    clustered: list[Need] = []
    points: list[NeedPoint] = []
    for need in needs:
        vector = indexes.needs.vector(need.id)
        if vector is not None:  # a need the index has not taken up yet waits for the next call
            clustered.append(need)
            points.append(NeedPoint(need.id, vector, frozenset(need.kpi_codes), _gap_problem(need)))
    place_of = places(session, {need.municipality_number for need in clustered if need.municipality_number})
    groups = _groups(clustered, points, place_of) if len(points) > 1 else []
    groups.sort(key=lambda group: (-len(group.municipalities), -group.population, group.key))
    return _Clustering(groups, place_of, len(clustered), open_needs - len(needs))


def buyer_groups(
    *, session: Session, indexes: Indexes, offset: int, limit: int, with_solutions: bool = True
) -> BuyerGroupPage:
    """A page of the groups, largest first; without solutions (a list that shows none), none are scored."""
    found = _clustering(session, indexes)
    names = indexes.kpi_names
    notices = notice_kpi_codes(session)
    return BuyerGroupPage(
        items=[
            _read(session, indexes, group, found.place_of, names, notices, with_solutions=with_solutions)
            for group in found.groups[offset : offset + limit]
        ],
        total=len(found.groups),
        offset=offset,
        limit=limit,
        needs_considered=found.needs_considered,
        needs_left_out=found.needs_left_out,
        method=METHOD,
    )


def current_groups(*, session: Session, indexes: Indexes) -> list[BuyerGroup]:
    """Every group as it stands now, largest first, without solutions (none scored)."""
    found = _clustering(session, indexes)
    notices = notice_kpi_codes(session)
    return [
        _read(session, indexes, group, found.place_of, indexes.kpi_names, notices, with_solutions=False)
        for group in found.groups
    ]


def buyer_group(*, session: Session, indexes: Indexes, key: str) -> BuyerGroup:
    """The group of `key`, its solutions scored; NotFoundError once its members have changed (a new
    need, a closed one), since the key is made of them."""
    found = _clustering(session, indexes)
    for group in found.groups:
        if group.key == key:
            notices = notice_kpi_codes(session)
            return _read(session, indexes, group, found.place_of, indexes.kpi_names, notices)
    raise NotFoundError("Buyer group", key)


def _gap_problem(need: Need) -> str | None:
    """'KPI:data point' of a need generated from a gap (its gap key without the municipality)."""
    if need.origin != "kpi_gap" or not need.gap_key:
        return None
    return need.gap_key.split(":", 1)[1]


def group_key(need_ids: Sequence[int]) -> str:
    """A key that depends only on the members: sorted need ids, hashed."""
    joined = ",".join(str(need_id) for need_id in sorted(need_ids))
    return "bg-" + hashlib.sha256(joined.encode()).hexdigest()[:12]


def _groups(needs: Sequence[Need], points: Sequence[NeedPoint], place_of: dict[str, Place]) -> list[_Group]:
    distances = problem_distances(points)
    groups = []
    for positions in clusters(points, distances):
        municipalities = sorted({needs[p].municipality_number or "" for p in positions} - {""})
        if len(municipalities) < 2:
            continue
        centrality = distances[np.ix_(positions, positions)].mean(axis=1)
        order = sorted(range(len(positions)), key=lambda i: (float(centrality[i]), needs[positions[i]].id))
        members = [needs[positions[i]] for i in order]
        groups.append(
            _Group(
                key=group_key([need.id for need in members]),
                members=members,
                municipalities=municipalities,
                population=sum(
                    place_of[number].population for number in municipalities if number in place_of
                ),
            )
        )
    return groups


def _read(
    session: Session,
    indexes: Indexes,
    group: _Group,
    place_of: dict[str, Place],
    names: dict[str, tuple[str, str]],
    notice_kpis: Sequence[frozenset[str]],
    *,
    with_solutions: bool = True,
) -> BuyerGroup:
    counts = Counter(code for need in group.members for code in need.kpi_codes if code in names)
    shared = sorted(
        ((code, count) for code, count in counts.items() if count > 1), key=lambda i: (-i[1], i[0])
    )
    theme_codes = {code for code, _ in shared} or set(counts)
    shared_kpis = [SharedKpi(kpi=_kpi_name(code, names), needs=count) for code, count in shared]
    theme_kpi = shared_kpis[0].kpi if shared_kpis else None
    central = group.members[0]
    scored = group.members[:NEEDS_SCORED_PER_GROUP] if with_solutions else []
    return BuyerGroup(
        key=group.key,
        theme=f"{theme_kpi.name_en} / {theme_kpi.name_no}" if theme_kpi else central.title,
        theme_kpi=theme_kpi,
        central_need_id=central.id,
        central_need_title=central.title,
        needs=[
            GroupNeed(
                id=need.id,
                title=need.title,
                municipality_number=need.municipality_number or "",
                municipality_name=place_of[need.municipality_number or ""].name,
                kpi_codes=need.kpi_codes,
                origin=need.origin,
                language=need.language,
            )
            for need in sorted(group.members, key=lambda need: need.id)
        ],
        municipalities=[
            GroupMunicipality(
                number=number,
                name=place_of[number].name,
                county_number=place_of[number].county_number,
                population=place_of[number].population,
            )
            for number in group.municipalities
        ],
        shared_kpis=shared_kpis,
        population=group.population,
        best_solutions=_best_solutions(session, indexes, scored) if scored else [],
        needs_scored=len(scored),
        notices=sum(bool(theme_codes & codes) for codes in notice_kpis),
    )


def _kpi_name(code: str, names: dict[str, tuple[str, str]]) -> KpiName:
    name_no, name_en = names[code]
    return KpiName(code=code, name_en=name_en, name_no=name_no)


def _best_solutions(session: Session, indexes: Indexes, needs: Sequence[Need]) -> list[GroupSolution]:
    """Solutions by their mean match score over the needs (0 where not in a need's top ten)."""
    scores: dict[int, list[float]] = defaultdict(list)
    titles: dict[int, str] = {}
    for need in needs:
        for match in rank_solutions_for_need(
            session=session, indexes=indexes, need_id=need.id, limit=SOLUTIONS_PER_NEED
        ):
            scores[match.solution.id].append(match.score)
            titles[match.solution.id] = match.solution.title
    rows = [
        GroupSolution(
            id=solution_id,
            title=titles[solution_id],
            average_score=round(sum(values) / len(needs), 4),
            needs_matched=sum(value >= MATCH_FLOOR for value in values),
        )
        for solution_id, values in scores.items()
        if any(value >= MATCH_FLOOR for value in values)
    ]
    rows.sort(key=lambda row: (-row.average_score, row.id))
    best = rows[:BEST_SOLUTIONS]
    # Evidence for staff: how many contracts each solution's supplier won (award notices).
    numbers = supplier_numbers_of(session, [row.id for row in best])
    won = contracts_won_by_organisation(session) if numbers else {}
    for row in best:
        row.contracts_won = len(won.get(numbers.get(row.id, ""), []))
    return best
