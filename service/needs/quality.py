"""The needs-quality check as the API and the pages run it: the rules of service.needs_quality with the
catalogue's supplier and product names as known brands."""

import time

from sqlalchemy.orm import Session

from service.needs import repository
from service.needs.schemas import NeedQuality, QualityFinding
from service.needs_quality import check
from service.needs_quality.brand_names import catalogue_names

# The last catalogue's names, by database: rebuilt when a supplier or a solution has changed, at most
# once every REFRESH_SECONDS, so a check costs one small query even while a large catalogue is written.
REFRESH_SECONDS = 60.0
_names_cache: dict[str, tuple[repository.CatalogueState, float, frozenset[str]]] = {}


def known_names(session: Session) -> frozenset[str]:
    """The catalogue's supplier and product names (brand_names.catalogue_names)."""
    database = str(session.get_bind().engine.url)
    state = repository.catalogue_state(session)
    cached = _names_cache.get(database)
    now = time.monotonic()
    if cached is None or (cached[0] != state and now - cached[1] >= REFRESH_SECONDS):
        suppliers, titles = repository.catalogue_names(session)
        cached = (state, now, catalogue_names(suppliers, titles))
        _names_cache[database] = cached
    return cached[2]


def assess(*, session: Session, title: str, description: str, language: str | None = None) -> NeedQuality:
    """Findings and checklist of a need's text; never stored, so they follow the rules and the catalogue."""
    report = check(title, description, language, known_names=known_names(session))
    return NeedQuality(
        language=report.language,
        findings=[QualityFinding.model_validate(finding) for finding in report.findings],
        checklist=report.checklist,
    )
