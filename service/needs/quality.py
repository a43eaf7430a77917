"""The needs-quality check as the API and the pages run it: the rules of service.needs_quality with the
catalogue's supplier and product names as known brands."""

from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from service.needs import repository
from service.needs.schemas import NeedQuality, QualityFinding
from service.needs_quality import check
from service.needs_quality.brand_names import catalogue_names

# The last catalogue's names, by database: rebuilt when a supplier or a solution has changed (one small
# query tells), so a name is known from the check after it was saved.
_names_cache: dict[str, tuple[repository.CatalogueState, frozenset[str]]] = {}
# The rules each stored need fails, by database, need, its last change and the catalogue's names: a list
# of needs or a report over every open need checks only what changed since it was last checked.
FAILED_CACHE_SIZE = 20_000
_failed_cache: OrderedDict[tuple[str, int, datetime, frozenset[str]], frozenset[str]] = OrderedDict()


class StoredText(Protocol):
    """What the check reads of a stored need (a Need, a NeedRead or a repository row)."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def updated_at(self) -> datetime: ...


def known_names(session: Session) -> frozenset[str]:
    """The catalogue's supplier and product names (brand_names.catalogue_names)."""
    database = str(session.get_bind().engine.url)
    state = repository.catalogue_state(session)
    cached = _names_cache.get(database)
    if cached is None or cached[0] != state:
        suppliers, titles = repository.catalogue_names(session)
        cached = (state, catalogue_names(suppliers, titles))
        _names_cache[database] = cached
    return cached[1]


def assess(*, session: Session, title: str, description: str, language: str | None = None) -> NeedQuality:
    """Findings and checklist of a need's text; never stored, so they follow the rules and the catalogue."""
    report = check(title, description, language, known_names=known_names(session))
    return NeedQuality(
        language=report.language,
        findings=[QualityFinding.model_validate(finding) for finding in report.findings],
        checklist=report.checklist,
    )


def rules_failed(session: Session, needs: Iterable[StoredText]) -> dict[int, frozenset[str]]:
    """The rule ids each stored need has findings of, by need id: the same check as `assess`, remembered
    per need until it (or the catalogue's names) changes."""
    database = str(session.get_bind().engine.url)
    names = known_names(session)
    failed: dict[int, frozenset[str]] = {}
    for need in needs:
        key = (database, need.id, need.updated_at, names)
        rules = _failed_cache.get(key)
        if rules is None:
            report = check(need.title, need.description, need.language, known_names=names)
            rules = frozenset(finding.rule for finding in report.findings)
            _failed_cache[key] = rules
            if len(_failed_cache) > FAILED_CACHE_SIZE:
                _failed_cache.popitem(last=False)
        else:
            _failed_cache.move_to_end(key)
        failed[need.id] = rules
    return failed
