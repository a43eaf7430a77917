"""Finding what is new to each saved search, for all of them at once (docs/alerts.md, "Evaluation").

The records changed since the lowest watermark are read once. One matrix product per kind of record
weighs every new record against every search's query vector; a pair is a candidate when its cosine
reaches PREFILTER_COSINE or the two share a chosen KPI. Then each search with candidates is ranked
among them only, and scored as the matches endpoint scores among everything (ranker's `among`). What
reaches the search's band is stored as found, once; the watermark moves on in the same transaction.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from service.alerts import repository
from service.alerts.repository import FoundMatch
from service.buyer_groups import service as buyer_groups_service
from service.demand.match_bands import BAND_FLOORS, match_band
from service.indexing import Indexes
from service.indexing.repository import vector_from_bytes
from service.matching import ranker, shared_reads
from service.matching.filters import MatchFilters
from service.models import SavedSearch

# Below this cosine (language-centred) a new record is no candidate for a search unless they share a
# chosen KPI; on the demo it keeps every pair in every band (docs/alerts.md, "The prefilter").
PREFILTER_COSINE = 0.1
NEED_KINDS = ("needs_for_solution", "needs_for_text")
SOLUTION_KINDS = ("solutions_for_need", "solutions_for_text")


@dataclass(frozen=True)
class EvaluationReport:
    horizon: int  # the change log's sequence number evaluated up to
    searches: int  # searches that had new records to weigh
    found: int  # matches stored


def evaluate(session: Session, indexes: Indexes) -> EvaluationReport:
    """Store what is new to each active search up to the change log's latest entry, in one
    transaction. The indexes catch up first, so every new record is in them."""
    horizon = repository.last_change(session)
    indexes.catch_up()
    searches = list(repository.searches_behind(session, horizon))
    if not searches:
        return EvaluationReport(horizon, 0, 0)
    changed = repository.changed_records(session, after=min(s.watermark for s in searches), upto=horizon)
    found: list[FoundMatch] = []
    weighed = 0
    with shared_reads.shared_reads():  # the many searches below read the same records, unchanging
        # The searches' own solutions and needs in two queries, not one each.
        shared_reads.solutions(session, {s.solution_id for s in searches if s.solution_id is not None})
        shared_reads.needs(session, {s.need_id for s in searches if s.need_id is not None})
        for kinds, record_kind in ((NEED_KINDS, "need"), (SOLUTION_KINDS, "solution")):
            group = [search for search in searches if search.kind in kinds]
            new = changed.get(record_kind, {})
            if group and new:
                weighed += len(group)
                found += _ranked_matches(session, indexes, group, new, record_kind)
        topical = [search for search in searches if search.kind == "new_needs"]
        if topical and changed.get("need"):
            weighed += len(topical)
            found += _new_needs(session, topical, changed["need"])
        grouping = [search for search in searches if search.kind == "new_buyer_groups"]
        if grouping and changed.get("need"):
            weighed += len(grouping)
            found += _new_buyer_groups(session, indexes, grouping, changed["need"])
    already = repository.found_keys(session, {match.saved_search_id for match in found})
    new_matches = []
    for match in found:
        key = (match.saved_search_id, match.record_kind, match.record_id)
        if key not in already:  # an edited record is not new again
            new_matches.append(match)
            already.add(key)
    repository.add_matches(session, new_matches)
    for search in searches:
        search.watermark = horizon
    session.commit()
    return EvaluationReport(horizon, weighed, len(new_matches))


def _new_for(search: SavedSearch, new: dict[int, int]) -> list[int]:
    """The records changed after the search's watermark."""
    return [record_id for record_id, seq in new.items() if seq > search.watermark]


def _query_vectors(indexes: Indexes, searches: Sequence[SavedSearch], record_kind: str) -> np.ndarray:
    """Each search's query in the index form of the records it looks for, a row each."""
    target = indexes.of(record_kind)
    rows = []
    for search in searches:
        if search.solution_id is not None:
            rows.append(indexes.solutions.query_vector(search.solution_id))
        elif search.need_id is not None:
            rows.append(indexes.needs.query_vector(search.need_id))
        else:
            rows.append(
                target.index_form(_raw_text_vector(target, search).reshape(1, -1), [_language(search)])[0]
            )
    return np.vstack(rows).astype(np.float32)


def _raw_text_vector(target: Any, search: SavedSearch) -> np.ndarray:
    if search.query_vector is not None and search.query_model_id == target.encoder.model_id:
        return vector_from_bytes(search.query_vector)
    encoded: np.ndarray = target.encoder.encode_passages([search.query_text or ""])[0]  # a new encoder
    return encoded


def _language(search: SavedSearch) -> str:
    return search.query_language or "no"


def _ranked_matches(
    session: Session, indexes: Indexes, searches: list[SavedSearch], new: dict[int, int], record_kind: str
) -> list[FoundMatch]:
    ids, vectors = indexes.of(record_kind).vectors(sorted(new))
    if len(ids) == 0:
        return []
    # One product for all searches, then masks per search: no Python loop over search x record pairs.
    passes = (_query_vectors(indexes, searches, record_kind) @ vectors.T) >= PREFILTER_COSINE
    seqs = np.array([new[int(record_id)] for record_id in ids])
    columns_of_kpi: dict[str, list[int]] = {}
    kpis = repository.kpi_codes_of(session, record_kind, [int(i) for i in ids])
    for column, record_id in enumerate(ids):
        for code in kpis.get(int(record_id), ()):
            columns_of_kpi.setdefault(code, []).append(column)
    query_kpis = repository.query_kpi_codes(session, searches)
    found: list[FoundMatch] = []
    for row, search in enumerate(searches):
        chosen = passes[row].copy()
        for code in query_kpis[search.id]:
            chosen[columns_of_kpi.get(code, [])] = True
        chosen &= seqs > search.watermark
        if chosen.any():
            found += _scored(session, indexes, search, [int(record_id) for record_id in ids[chosen]])
    return found


def _scored(
    session: Session, indexes: Indexes, search: SavedSearch, candidates: list[int]
) -> list[FoundMatch]:
    """The candidates ranked as the matches endpoint ranks them, those in the search's band or above."""
    filters = MatchFilters.model_validate(search.filters)
    common: dict[str, Any] = {
        "session": session,
        "indexes": indexes,
        "limit": len(candidates),
        "filters": filters,
        "among": candidates,
        "at_least": BAND_FLOORS[search.min_band],  # type: ignore[index]  # the column holds a MatchBand
    }
    matches: list[tuple[str, int, str, float, Any]]
    if search.solution_id is not None:  # needs_for_solution
        ranked = ranker.rank_needs_for_solution(solution_id=search.solution_id, **common)
        matches = [("need", m.need.id, m.need.title, m.score, m.explanation) for m in ranked]
    elif search.kind == "needs_for_text":
        ranked = ranker.rank_needs_for_text(**_text(indexes.needs, search), **common)
        matches = [("need", m.need.id, m.need.title, m.score, m.explanation) for m in ranked]
    elif search.need_id is not None:  # solutions_for_need
        ranked_solutions = ranker.rank_solutions_for_need(need_id=search.need_id, **common)
        matches = [
            ("solution", m.solution.id, m.solution.title, m.score, m.explanation) for m in ranked_solutions
        ]
    else:
        ranked_solutions = ranker.rank_solutions_for_text(**_text(indexes.solutions, search), **common)
        matches = [
            ("solution", m.solution.id, m.solution.title, m.score, m.explanation) for m in ranked_solutions
        ]
    # The ranker cut at the band's floor (`at_least`): each match is in the search's band or above.
    return [
        FoundMatch(
            saved_search_id=search.id,
            record_kind=record_kind,
            record_id=str(record_id),
            title=title,
            score=score,
            band=match_band(score),
            reason_en=explanation.summary,
            reason_no=explanation.summary_no,
        )
        for record_kind, record_id, title, score, explanation in matches
    ]


def _text(target: Any, search: SavedSearch) -> dict[str, Any]:
    return {
        "text": search.query_text or "",
        "language": _language(search),
        "raw_vector": _raw_text_vector(target, search),
    }


def _passing(session: Session, search: SavedSearch, need_ids: Collection[int]) -> set[int]:
    """The needs among `need_ids` that the search's filters let through."""
    restriction = shared_reads.needs_allowed(session, MatchFilters.model_validate(search.filters))
    allowed = set(need_ids) if restriction.allowed is None else set(need_ids) & set(restriction.allowed)
    return allowed - set(restriction.excluded)


def _new_needs(session: Session, searches: list[SavedSearch], new: dict[int, int]) -> list[FoundMatch]:
    """New needs on a staff member's topic: every new need its filters let through, unscored."""
    found: list[FoundMatch] = []
    titles = repository.need_titles(session, sorted(new))
    for search in searches:
        passing = _passing(session, search, _new_for(search, new))
        for need_id in sorted(passing):
            if need_id in titles:
                found.append(
                    FoundMatch(
                        saved_search_id=search.id,
                        record_kind="need",
                        record_id=str(need_id),
                        title=titles[need_id],
                        score=None,
                        band=None,
                    )
                )
    return found


def _new_buyer_groups(
    session: Session, indexes: Indexes, searches: list[SavedSearch], new: dict[int, int]
) -> list[FoundMatch]:
    """Buyer groups that a need new to the search helped form: a group is new when one of its needs
    changed after the search's watermark (groups are not stored; their key is made of their needs, so a
    municipality joining makes a new key), and some member passes the search's filters. Unscored."""
    groups = buyer_groups_service.current_groups(session=session, indexes=indexes)
    found: list[FoundMatch] = []
    for search in searches:
        fresh = set(_new_for(search, new))
        for group in groups:
            members = [need.id for need in group.needs]
            if fresh.isdisjoint(members) or not _passing(session, search, members):
                continue
            names = ", ".join(municipality.name for municipality in group.municipalities)
            count = len(group.municipalities)
            found.append(
                FoundMatch(
                    saved_search_id=search.id,
                    record_kind="buyer_group",
                    record_id=group.key,
                    title=group.theme,
                    score=None,
                    band=None,
                    reason_en=f"{count} municipalities with the same need: {names}",
                    reason_no=f"{count} kommuner med samme behov: {names}",
                )
            )
    return found
