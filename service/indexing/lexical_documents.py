"""What BM25 reads of a record: its texts, each in its own language, and its KPIs' names in both.

The KPI names are the cross-lingual bridge of the lexical side: a Norwegian need and an English
solution tagged with the same KPI share "vanntap" and "water loss" although their texts share no word.
Each text is stemmed in its own language only: stemming it with the other language's stemmer as well
lowered lexical recall on the evaluation set (docs/lexical-index.md, "What a record's document holds").
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from embeddings import TextAnalyzer
from service.indexing.repository import LexicalRow
from service.indexing.texts import record_text

ANALYZER = TextAnalyzer()


@dataclass(frozen=True)
class LexicalDocument:
    texts: list[tuple[str, str]]  # (text, language): the record's own text first, then translations
    kpi_codes: list[str]

    @classmethod
    def of_row(cls, row: LexicalRow) -> "LexicalDocument":
        _owner_id, title, description, language, kpi_codes, translations = row
        return cls.of(title, description, language, kpi_codes, translations)

    @classmethod
    def of(
        cls,
        title: str,
        description: str,
        language: str,
        kpi_codes: Sequence[str],
        translations: Mapping[str, Mapping[str, str]] | None = None,
    ) -> "LexicalDocument":
        texts = [(record_text(title, description), language)]
        for other_language, translated in (translations or {}).items():
            if other_language != language:
                texts.append(
                    (
                        record_text(translated.get("title", ""), translated.get("description", "")),
                        other_language,
                    )
                )
        return cls(texts, list(kpi_codes))

    def terms(self, kpi_names: Mapping[str, tuple[str, str]]) -> list[str]:
        terms = [term for text, language in self.texts for term in ANALYZER.terms(text, language)]
        for code in self.kpi_codes:
            if code in kpi_names:
                name_no, name_en = kpi_names[code]
                terms += ANALYZER.terms(name_no, "no") + ANALYZER.terms(name_en, "en")
        return terms

    def words_by_term(self) -> dict[str, list[str]]:
        """The words of the texts (not the KPI names) behind each term, for explanations."""
        words: dict[str, list[str]] = {}
        for text, language in self.texts:
            for term, word in ANALYZER.words(text, language):
                if word not in words.setdefault(term, []):
                    words[term].append(word)
        return words
