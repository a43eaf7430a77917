"""What BM25 reads of a record: its texts, each in its own language, and its KPIs' names in both.

Two bridges carry the lexical side across the two languages. A record's KPI names: a Norwegian need
and an English solution tagged with the same KPI share "vanntap" and "water loss" although their
texts share no word. And a query's translations (the lexicon in seed_data/lexicon): a Norwegian
"lekkasje" also looks for "leak". Translations are added to queries only: added to the stored records
as well, or instead, they lowered lexical recall on the evaluation sets, and the index stays the size
it was. Each text is stemmed in its own language only: stemming it with the other language's stemmer
as well lowered lexical recall too (docs/lexical-index.md, "What a record's document holds").
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from embeddings import Lexicon, TextAnalyzer
from service.indexing.repository import LexicalRow
from service.indexing.texts import record_text

LEXICON_DIR = Path(__file__).resolve().parents[2] / "seed_data" / "lexicon"
ANALYZER = TextAnalyzer(Lexicon.load(LEXICON_DIR))


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
        """What the index stores for the record."""
        return [
            term for text, language in self.texts for term in ANALYZER.terms(text, language)
        ] + self._kpi_terms(kpi_names)

    def query_terms(self, kpi_names: Mapping[str, tuple[str, str]]) -> list[str]:
        """What a search with the document looks for: its terms and their translations."""
        analysed = [ANALYZER.words_and_translations(text, language) for text, language in self.texts]
        terms = [term for words, translated in analysed for term, _word in [*words, *translated]]
        return terms + self._kpi_terms(kpi_names)

    def words_by_term(self) -> dict[str, list[str]]:
        """The words of the texts (not the KPI names) behind each term, for explanations."""
        return _by_term(ANALYZER.words(text, language) for text, language in self.texts)

    def query_words_by_term(self) -> dict[str, list[str]]:
        """As words_by_term, with the translated terms: "leak" found through "lekkasje"."""
        analysed = [ANALYZER.words_and_translations(text, language) for text, language in self.texts]
        return _by_term(
            [*(words for words, _translated in analysed), *(translated for _words, translated in analysed)]
        )

    def _kpi_terms(self, kpi_names: Mapping[str, tuple[str, str]]) -> list[str]:
        terms = []
        for code in self.kpi_codes:
            if code in kpi_names:
                name_no, name_en = kpi_names[code]
                terms += ANALYZER.terms(name_no, "no") + ANALYZER.terms(name_en, "en")
        return terms


def _by_term(word_lists: Iterable[list[tuple[str, str]]]) -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    for word_list in word_lists:
        for term, word in word_list:
            if word not in words.setdefault(term, []):
                words[term].append(word)
    return words
