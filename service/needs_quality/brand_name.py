"""`brand-name`: a brand, product or supplier named without "eller tilsvarende" / "or equivalent".

Anskaffelsesforskriften § 15-1 (and the EU directives behind it) forbids a specification that names a
brand, product or supplier unless it adds "eller tilsvarende": it shuts other suppliers out. Officers
often write the equivalence in the next sentence, so that counts too.
"""

import re

from service.needs_quality.brand_names import curated_brands, find_names, name_index, trademark_like
from service.needs_quality.findings import Finding, TextField
from service.needs_quality.text import NeedText, Span, sentences
from service.needs_quality.unfamiliar_names import pointed_names

RULE = "brand-name"
_EQUIVALENT = re.compile(r"tilsvarende|likeverdig|equivalent", re.IGNORECASE)


def _sentence_index(sentence_spans: list[Span], position: int) -> int:
    for index, sentence in enumerate(sentence_spans):
        if position < sentence.end:
            return index
    return len(sentence_spans) - 1


def _equivalent_follows(text: str, sentence_spans: list[Span], start: int) -> bool:
    """'eller tilsvarende' after the name in its sentence, or anywhere in the next sentence."""
    if not sentence_spans:
        return False
    index = _sentence_index(sentence_spans, start)
    end = sentence_spans[index + 1].end if index + 1 < len(sentence_spans) else len(text)
    return _EQUIVALENT.search(text, start, end) is not None


def _finding(field: TextField, start: int, end: int, name: str) -> Finding:
    return Finding(
        rule=RULE,
        severity="warning",
        field=field,
        start=start,
        end=end,
        message_en=f"“{name}” names a brand, product or supplier. A need that names one shuts the others "
        "out (anskaffelsesforskriften § 15-1).",
        message_no=f"«{name}» er et merke-, produkt- eller leverandørnavn. Et behov som navngir ett, stenger "
        "andre leverandører ute (anskaffelsesforskriften § 15-1).",
        suggestion_en="Describe what the product must achieve instead, or add “or equivalent” right after it.",
        suggestion_no="Beskriv heller hva produktet skal oppnå, eller legg til «eller tilsvarende» rett etter.",
    )


def _in_field(field: TextField, text: str, known_names: frozenset[str]) -> list[Finding]:
    sentence_spans = sentences(text)
    spans = find_names(text, name_index(frozenset(curated_brands())))
    spans += find_names(text, name_index(known_names))
    spans += [(match.start(), match.end()) for match in trademark_like(text)]
    spans += pointed_names(text)
    findings: list[Finding] = []
    taken: list[range] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if any(start in span for span in taken):
            continue  # "AquaSense" is a catalogue name and CamelCase: one finding
        taken.append(range(start, end))
        if not _equivalent_follows(text, sentence_spans, start):
            findings.append(_finding(field, start, end, text[start:end]))
    return findings


def find(text: NeedText, known_names: frozenset[str] = frozenset()) -> list[Finding]:
    return [finding for field, value in text.fields() for finding in _in_field(field, value, known_names)]
