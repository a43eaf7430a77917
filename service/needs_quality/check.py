"""All the rules over one need's text."""

from service.language import detect_language, has_letters
from service.needs_quality import (
    brand_name,
    context,
    measurable_outcome,
    personal_data,
    problem_not_solution,
    too_short,
)
from service.needs_quality.findings import QualityReport
from service.needs_quality.text import NeedText


def check(
    title: str, description: str, language: str | None = None, known_names: frozenset[str] = frozenset()
) -> QualityReport:
    """The findings on a need's title and description. `language` is detected when not given; the rules
    read Bokmål and English alike (officers mix them), so it only labels the report. `known_names`: the
    catalogue's supplier and product names (brand_names.catalogue_names)."""
    text = NeedText(title=title, description=description)
    findings = [
        *problem_not_solution.find(text),
        *brand_name.find(text, known_names),
        *measurable_outcome.find(text),
        *context.find(text),
        *too_short.find(text),
        *personal_data.find(text),
    ]
    if language is None:
        # A text without letters has no language; the API refuses one, a direct caller gets Norwegian.
        language = detect_language(text.whole) if has_letters(text.whole) else "no"
    return QualityReport(language=language, findings=findings)
