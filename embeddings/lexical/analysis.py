"""Text analysis for BM25: each text in its own language, so "lekkasjene" meets "lekkasje" and "leaking"
meets "leaks" (Snowball stemmers from PyStemmer, stop words from bm25s)."""

from __future__ import annotations

import re
import threading

import bm25s.stopwords
import Stemmer

_STEMMER_NAMES = {"no": "norwegian", "en": "english"}
_STOP_WORDS = {
    "no": frozenset(bm25s.stopwords.STOPWORDS_NORWEGIAN),
    "en": frozenset(bm25s.stopwords.STOPWORDS_EN_PLUS),
}
# Letters with digits allowed inside ("co2", "pm10"); numbers alone are left out, since the numbers
# in generated need texts (values, years) would otherwise match unrelated records.
_WORD = re.compile(r"[^\W\d_][\w-]*|\d+[^\W\d_][\w-]*")


class TextAnalyzer:
    """Lower-cased words without stop words, stemmed with the text's language's Snowball stemmer."""

    def __init__(self) -> None:
        self._stemmers = {language: Stemmer.Stemmer(name) for language, name in _STEMMER_NAMES.items()}
        self._lock = threading.Lock()  # a PyStemmer object must not be used by two threads at once

    def words(self, text: str, language: str) -> list[tuple[str, str]]:
        """(term, word as written) for each indexable word, in order."""
        stop_words = _STOP_WORDS.get(language, frozenset())
        words = [word for word in _WORD.findall(text.lower()) if len(word) > 1 and word not in stop_words]
        stemmer = self._stemmers.get(language)
        if stemmer is None:
            return [(word, word) for word in words]
        with self._lock:
            terms = stemmer.stemWords(words)
        return list(zip(terms, words, strict=True))

    def terms(self, text: str, language: str) -> list[str]:
        return [term for term, _word in self.words(text, language)]
