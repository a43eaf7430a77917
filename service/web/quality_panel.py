"""The need form's quality panel: the needs-quality check of the text being written (docs/needs_quality.md)
as the officer reads it, with each finding's span marked in a preview of its field, and the KPIs the text
suggests as chips for the form's KPI choice.

The panel only shapes what service.needs (the API's check) and service.kpis.suggestions (the API's KPI
suggestions) answer; it has no rule of its own. The preview is built from pieces of the text that the
template escapes: the text is never written into the page as HTML.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from service.indexing import Indexes
from service.kpis import suggestions
from service.kpis.schemas import KpiSuggestion, KpiSuggestionRequest
from service.needs import service as needs
from service.needs.schemas import NeedCheck, NeedQuality, QualityFinding
from service.web.quality_labels import RULE_PASSED

# Rules about the text as a whole span all of it: marking it would say nothing, so they are only listed.
WHOLE_TEXT_RULES = frozenset({"measurable-outcome", "context", "too-short"})
FORM_LANGUAGES = {"nb": "no", "en": "en"}  # the form's choice -> the check's; "auto" detects


@dataclass(frozen=True)
class Piece:
    """A run of a field's text; `numbers` are the findings (numbered from 1) that mark it, if any."""

    text: str
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class NumberedFinding:
    number: int
    finding: QualityFinding
    quote: str  # the marked words, "" for a rule about the whole text


def marked_pieces(text: str, spans: Sequence[tuple[int, int, int]]) -> list[Piece]:
    """`text` cut at every span's ends; `spans` are (number, start, end). Overlapping spans give a piece
    the numbers of each."""
    edges = {min(max(edge, 0), len(text)) for _, start, end in spans for edge in (start, end)}
    pieces = []
    for start, end in pairwise(sorted({0, len(text), *edges})):
        numbers = tuple(number for number, low, high in spans if low <= start and end <= high)
        pieces.append(Piece(text[start:end], numbers))
    return pieces


def panel(quality: NeedQuality, title: str, description: str) -> dict[str, Any]:
    """What the panel template shows of a check of `title` and `description`."""
    texts = {"title": title.strip(), "description": description.strip()}  # as stored, as the spans count
    numbered = []
    for number, finding in enumerate(quality.findings, start=1):
        marked = finding.rule not in WHOLE_TEXT_RULES
        quote = texts[finding.field][finding.start : finding.end] if marked else ""
        numbered.append(NumberedFinding(number, finding, quote))
    previews = {}
    for name, text in texts.items():
        spans = [
            (item.number, item.finding.start, item.finding.end)
            for item in numbered
            if item.quote and item.finding.field == name
        ]
        if spans:
            previews[name] = marked_pieces(text, spans)
    return {
        "language": quality.language,
        "findings": numbered,
        "previews": previews,
        "checklist": [(RULE_PASSED[rule], passed) for rule, passed in quality.checklist.items()],
    }


def text_check(values: Mapping[str, Any]) -> NeedCheck | None:
    """The form's title and description as the API's check takes them; None while one is still empty.
    A text the check refuses (too long) raises the ValidationError the form answers next to its field."""
    if not values["title"].strip() or not values["description"].strip():
        return None
    return NeedCheck.model_validate(
        {
            "title": values["title"],
            "description": values["description"],
            "language": FORM_LANGUAGES.get(values["language"]),
        }
    )


def checked(session: Session, values: Mapping[str, Any]) -> dict[str, Any] | None:
    """The panel of the form's text, or None while there is nothing to check."""
    need_in = text_check(values)
    if need_in is None:
        return None
    quality = needs.check_text(session=session, need_in=need_in)
    return panel(quality, need_in.title, need_in.description)


def suggested_kpis(session: Session, indexes: Indexes, values: Mapping[str, Any]) -> list[KpiSuggestion]:
    """The KPIs the API suggests for the form's title and description; none for a text without words."""
    try:
        request = KpiSuggestionRequest(text=f"{values['title']}\n\n{values['description']}")
    except ValidationError:
        return []
    return suggestions.suggest_kpis(session=session, indexes=indexes, text=request.text).items
