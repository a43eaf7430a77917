"""The need's text as the rules read it: its two fields, sentences and words."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from service.needs_quality.findings import TextField

WORD = re.compile(r"\w+")
# A sentence ends at . ! ? or a line break followed by space and a capital or digit ("ID.4",
# "f.eks. noe" and the abbreviations before a number, "kl. 22.00", "nr. 4", "ca. 300", do not end one).
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\bkl\.)(?<!\bnr\.)(?<!\bca\.)\s+(?=[\"'(«]?[A-ZÆØÅ0-9])|\n+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class NeedText:
    title: str
    description: str

    def fields(self) -> Iterator[tuple[TextField, str]]:
        yield "title", self.title
        yield "description", self.description

    @property
    def whole(self) -> str:
        """Title and description as one text, for rules about the need as a whole."""
        return f"{self.title}\n\n{self.description}"


def sentences(text: str) -> list[Span]:
    """The text's sentences with their offsets."""
    spans, start = [], 0
    for end_mark in _SENTENCE_END.finditer(text):
        if text[start : end_mark.start()].strip():
            spans.append(Span(start, end_mark.start(), text[start : end_mark.start()]))
        start = end_mark.end()
    if text[start:].strip():
        spans.append(Span(start, len(text), text[start:]))
    return spans


def word_count(text: str) -> int:
    return len(WORD.findall(text))
