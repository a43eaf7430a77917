"""Text analysis for BM25: each text in its own language, so "lekkasjene" meets "lekkasje" and "leaking"
meets "leaks" (Snowball stemmers from PyStemmer, stop words from bm25s). With a lexicon, a Norwegian
compound also yields its parts ("vannlekkasje": "vann", "lekkasje"), and a text's terms can be
carried into the other language ("lekkasje": "leak")."""

from __future__ import annotations

import re
import threading
from itertools import groupby

import bm25s.stopwords
import Stemmer

from embeddings.lexical.bridge import Bridge
from embeddings.lexical.compounds import CompoundSplitter
from embeddings.lexical.lexicon import Lexicon

_STEMMER_NAMES = {"no": "norwegian", "en": "english"}
_STOP_WORDS = {
    "no": frozenset(bm25s.stopwords.STOPWORDS_NORWEGIAN),
    "en": frozenset(bm25s.stopwords.STOPWORDS_EN_PLUS),
}
# Letters with digits allowed inside ("co2", "pm10"); numbers alone are left out, since the numbers
# in generated need texts (values, years) would otherwise match unrelated records.
_WORD = re.compile(r"[^\W\d_][\w-]*|\d+[^\W\d_][\w-]*")


class TextAnalyzer:
    """Lower-cased words without stop words, stemmed with the text's language's Snowball stemmer;
    with a lexicon, Norwegian compounds' parts as well, and translations on request."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self._stemmers = {language: Stemmer.Stemmer(name) for language, name in _STEMMER_NAMES.items()}
        self._lock = threading.Lock()  # a PyStemmer object must not be used by two threads at once
        self._splitter = CompoundSplitter(lexicon.norwegian_zipf) if lexicon else None
        self._bridge = Bridge(lexicon.pairs, self._whole_word_terms) if lexicon else None

    def words(self, text: str, language: str) -> list[tuple[str, str]]:
        """(term, word as written) for each indexable word, in order, then for each compound's parts."""
        return self._analysed(text, language)[0]

    def terms(self, text: str, language: str) -> list[str]:
        words = self._indexable(text, language)
        return self._stem(words + [part for part, _word in self._parts(words, language)], language)

    def words_and_translations(
        self, text: str, language: str
    ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """words(), and (term in the other language, word as written) for the text's words, adjacent
        pairs of words and compounds' parts (none without a lexicon): a query's two halves, in one pass."""
        analysed, whole_words = self._analysed(text, language)
        if self._bridge is None:
            return analysed, []
        translated = self._bridge.translate(analysed[:whole_words], language)
        for _word, parts in groupby(analysed[whole_words:], key=lambda pair: pair[1]):
            translated += self._bridge.translate(list(parts), language)
        return analysed, translated

    def _analysed(self, text: str, language: str) -> tuple[list[tuple[str, str]], int]:
        """(term, word as written) for the words, then the compounds' parts; and how many are words."""
        words = self._indexable(text, language)
        parts = self._parts(words, language)
        terms = self._stem(words + [part for part, _word in parts], language)
        return list(zip(terms, words + [word for _part, word in parts], strict=True)), len(words)

    def _indexable(self, text: str, language: str) -> list[str]:
        stop_words = _STOP_WORDS.get(language, frozenset())
        return [word for word in _WORD.findall(text.lower()) if len(word) > 1 and word not in stop_words]

    def _parts(self, words: list[str], language: str) -> list[tuple[str, str]]:
        """(part, compound as written) for each compound among `words`."""
        if self._splitter is None or language != "no":
            return []
        stop_words = _STOP_WORDS["no"]
        parts = self._splitter.parts
        return [(part, word) for word in words for part in parts(word) if part not in stop_words]

    def _stem(self, words: list[str], language: str) -> list[str]:
        stemmer = self._stemmers.get(language)
        if stemmer is None:
            return words
        with self._lock:
            terms: list[str] = stemmer.stemWords(words)
        return terms

    def _whole_word_terms(self, text: str, language: str) -> list[str]:
        """Terms without compound parts: how the lexicon's own words are looked up."""
        return self._stem(self._indexable(text, language), language)
