"""Reads that many rankings in one transaction share: the facts and records of the records ranked, the
KPIs they name, the filters' restrictions and the records' words for explanations, each read (or
analysed) once and then kept, while `shared_reads()` is open.

An alert round ranks thousands of saved searches among the same new records in one transaction, where
nothing it reads changes; outside such a block every read goes to the database as before.
"""

from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.orm import Session

from service.indexing import LexicalDocument
from service.kpis.repository import kpis_by_code
from service.matching.filters import IdRestriction, MatchFilters, need_restriction, solution_restriction
from service.matching.pairs import Side
from service.models import Kpi, Need, Solution
from service.needs import repository as needs_repository
from service.needs.repository import NeedFacts
from service.solutions import repository as solutions_repository
from service.solutions.repository import SolutionFacts

Key = TypeVar("Key", int, str)
Value = TypeVar("Value")


@dataclass
class _Kept:
    need_facts: dict[int, NeedFacts | None] = field(default_factory=dict)
    solution_facts: dict[int, SolutionFacts | None] = field(default_factory=dict)
    kpis: dict[str, Kpi | None] = field(default_factory=dict)
    restrictions: dict[tuple[str, str, frozenset[int]], IdRestriction] = field(default_factory=dict)
    needs: dict[int, Need | None] = field(default_factory=dict)
    solutions: dict[int, Solution | None] = field(default_factory=dict)
    words: dict[tuple[str, int], dict[str, list[str]]] = field(default_factory=dict)
    sides: dict[str, dict[int, Side | None]] = field(default_factory=dict)


_kept: ContextVar[_Kept | None] = ContextVar("shared_reads", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """Within this block (one transaction whose reads do not change), reads are kept and shared."""
    token = _kept.set(_Kept())
    try:
        yield
    finally:
        _kept.reset(token)


def _through(
    kept: MutableMapping[Key, Value | None],
    wanted: Iterable[Key],
    read: Callable[[list[Key]], dict[Key, Value]],
) -> dict[Key, Value]:
    """The wanted entries, reading only those not kept yet; an absent one is kept as absent."""
    wanted = set(wanted)
    missing = [key for key in wanted if key not in kept]
    if missing:
        found = read(missing)
        kept.update({key: found.get(key) for key in missing})
    return {key: value for key in wanted if (value := kept[key]) is not None}


def need_facts(session: Session, ids: Iterable[int]) -> dict[int, NeedFacts]:
    kept = _kept.get()
    if kept is None:
        return needs_repository.facts_by_id(session, ids)
    return _through(kept.need_facts, ids, lambda missing: needs_repository.facts_by_id(session, missing))


def solution_facts(session: Session, ids: Iterable[int]) -> dict[int, SolutionFacts]:
    kept = _kept.get()
    if kept is None:
        return solutions_repository.facts_by_id(session, ids)
    return _through(
        kept.solution_facts, ids, lambda missing: solutions_repository.facts_by_id(session, missing)
    )


def kpis(session: Session, codes: Iterable[str]) -> dict[str, Kpi]:
    kept = _kept.get()
    if kept is None:
        return kpis_by_code(session, codes)
    return _through(kept.kpis, codes, lambda missing: kpis_by_code(session, missing))


def needs_allowed(session: Session, filters: MatchFilters) -> IdRestriction:
    kept = _kept.get()
    if kept is None:
        return need_restriction(session, filters)
    key = ("need", filters.model_dump_json(), frozenset[int]())
    if key not in kept.restrictions:
        kept.restrictions[key] = need_restriction(session, filters)
    return kept.restrictions[key]


def solutions_allowed(session: Session, filters: MatchFilters, rejected: set[int]) -> IdRestriction:
    kept = _kept.get()
    if kept is None:
        return solution_restriction(session, filters, rejected)
    key = ("solution", filters.model_dump_json(), frozenset(rejected))
    if key not in kept.restrictions:
        kept.restrictions[key] = solution_restriction(session, filters, rejected)
    return kept.restrictions[key]


def needs(session: Session, ids: Iterable[int]) -> dict[int, Need]:
    kept = _kept.get()
    if kept is None:
        return needs_repository.needs_by_id(session, ids)
    return _through(kept.needs, ids, lambda missing: needs_repository.needs_by_id(session, missing))


def solutions(session: Session, ids: Iterable[int]) -> dict[int, Solution]:
    kept = _kept.get()
    if kept is None:
        return solutions_repository.solutions_by_id(session, ids)
    return _through(
        kept.solutions, ids, lambda missing: solutions_repository.solutions_by_id(session, missing)
    )


def candidate_sides(
    kind: str, ids: Iterable[int], build: Callable[[list[int]], dict[int, Side]]
) -> dict[int, Side]:
    """The candidates' sides of the pairs ranked: a side depends on its record alone, so within the block
    each is built once, however many searches rank it."""
    kept = _kept.get()
    if kept is None:
        return build(list(ids))
    return _through(kept.sides.setdefault(kind, {}), ids, build)


def kept_need(session: Session, need_id: int) -> Need | None:
    """Within the block, the need read through what is kept (None when absent); outside it None, so the
    caller reads it as it always does."""
    return None if _kept.get() is None else needs(session, [need_id]).get(need_id)


def kept_solution(session: Session, solution_id: int) -> Solution | None:
    """As `kept_need`, for a solution."""
    return None if _kept.get() is None else solutions(session, [solution_id]).get(solution_id)


def words_by_term(record: Need | Solution) -> dict[str, list[str]]:
    """A record's words behind each term, for an explanation's matched terms."""
    translations = record.translations if isinstance(record, Need) else None
    document = LexicalDocument.of(
        record.title, record.description, record.language, record.kpi_codes, translations
    )
    kept = _kept.get()
    if kept is None:
        return document.words_by_term()
    key = (type(record).__name__, record.id)
    if key not in kept.words:
        kept.words[key] = document.words_by_term()
    return kept.words[key]
