"""Which U4SSC KPIs a text most likely moves, for anyone: it reads only the public KPI catalogue and the KPI
codes of public records (every need, the published solutions), as service.indexing's suggester does."""

from sqlalchemy.orm import Session

from service.indexing import Indexes
from service.kpis import repository
from service.kpis.schemas import KpiSuggestion, KpiSuggestions
from service.language import detect_language
from service.response_warnings import suggestion_warnings


def suggest_kpis(*, session: Session, indexes: Indexes, text: str) -> KpiSuggestions:
    """The three KPIs a need's or a query's text (validated: with letters) most likely moves, with names."""
    language = detect_language(text)
    suggested = indexes.kpi_suggester.suggest_text(session, text, language)
    kpis = repository.kpis_by_code(session, [item.code for item in suggested])
    return KpiSuggestions(
        items=[
            KpiSuggestion(
                code=item.code,
                name=kpis[item.code].name_en,
                name_no=kpis[item.code].name_no,
                confidence=item.confidence,
            )
            for item in suggested
            if item.code in kpis
        ],
        warnings=suggestion_warnings(language),
    )
