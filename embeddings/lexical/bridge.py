"""Terms of one language carried into the other, so that a Norwegian "lekkasje" reaches an English "leak".

BM25 compares terms, and each text is stemmed in its own language, so a Norwegian need and an English
solution share no term unless one side also carries the other language's. The bridge maps a term, or
two adjacent terms ("street light"), to the terms of its translations, both ways, from a word list.

Only a word's likeliest translations are kept: the word list holds the dictionary's first sense
only, and of a word's translations the MAX_TRANSLATIONS most common are used. Every sense, or more
translations, let rare senses ("vann": "baptize") pull in records about something else
(docs/lexical-index.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise

from embeddings.lexical.lexicon import WordPair

MAX_TRANSLATIONS = 2

Terms = tuple[str, ...]
Analyse = Callable[[str, str], list[str]]  # (text, language) -> its terms, as the analyser makes them


class Bridge:
    def __init__(self, pairs: Iterable[WordPair], analyse: Analyse) -> None:
        zipf: dict[str, dict[Terms, dict[Terms, float]]] = {"en": {}, "no": {}}  # of each translation
        for pair in pairs:
            english = tuple(analyse(pair.english, "en"))
            norwegian = tuple(analyse(pair.norwegian, "no"))
            if not 0 < len(english) <= 2 or not 0 < len(norwegian) <= 2:
                continue
            for language, source, target, target_zipf in (
                ("en", english, norwegian, pair.norwegian_zipf),
                ("no", norwegian, english, pair.english_zipf),
            ):
                zipf[language].setdefault(source, {})[target] = target_zipf
        self._translations = {
            language: {
                source: tuple(sorted(targets, key=lambda target: -targets[target])[:MAX_TRANSLATIONS])
                for source, targets in by_source.items()
            }
            for language, by_source in zipf.items()
        }

    def translate(self, words: Sequence[tuple[str, str]], language: str) -> list[tuple[str, str]]:
        """(term in the other language, word as written) for a text's (term, word as written) in order:
        the translations of each term and of each pair of adjacent terms."""
        by_source = self._translations.get(language)
        if not by_source:
            return []
        translated = [
            (term, word) for term, word in words for target in by_source.get((term,), ()) for term in target
        ]
        for (first, first_word), (second, second_word) in pairwise(words):
            for target in by_source.get((first, second), ()):
                translated += [(term, f"{first_word} {second_word}") for term in target]
        return translated
