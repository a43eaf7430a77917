"""Short synthetic solution texts from the real texts' words, with a fixed seed.

Each synthetic text borrows about half its words from one real solution (its base, whose vector it
also inherits) and the rest from all real texts of the same language, drawn by their frequency. So
BM25 sees realistic term statistics in Norwegian and English, and the words agree with the vector.
"""

import re
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"[^\W\d_][\w-]*")
TITLE_WORDS = (4, 8)
DESCRIPTION_WORDS = (25, 45)
OWN_WORD_SHARE = 0.5  # of a description's words, taken from the base text rather than the language


def words_of(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.lower()) if len(word) > 2]


class SyntheticTexts:
    def __init__(self, base_texts: Sequence[str], base_languages: Sequence[str], seed: int) -> None:
        self._rng = np.random.default_rng(seed)
        self._base_words = [words_of(text) or ["tekst"] for text in base_texts]
        # Title words are the longer, more topical ones.
        self._base_title_words = [
            [word for word in words if len(word) > 4] or words for words in self._base_words
        ]
        self._language_words: dict[str, list[str]] = {}
        for words, language in zip(self._base_words, base_languages, strict=True):
            self._language_words.setdefault(language, []).extend(words)
        self._base_languages = list(base_languages)

    def make(self, base: int) -> tuple[str, str]:
        """(title, description) of one synthetic solution derived from base text `base`."""
        rng = self._rng
        own = self._base_words[base]
        language_words = self._language_words[self._base_languages[base]]
        title_pool = self._base_title_words[base]
        title_words = [title_pool[i] for i in rng.integers(0, len(title_pool), rng.integers(*TITLE_WORDS))]
        count = int(rng.integers(*DESCRIPTION_WORDS))
        from_own = rng.random(count) < OWN_WORD_SHARE
        own_picks = rng.integers(0, len(own), count)
        language_picks = rng.integers(0, len(language_words), count)
        words = [
            own[own_pick] if is_own else language_words[language_pick]
            for is_own, own_pick, language_pick in zip(from_own, own_picks, language_picks, strict=True)
        ]
        sentences = [words[start : start + 9] for start in range(0, len(words), 9)]
        description = " ".join(" ".join(sentence).capitalize() + "." for sentence in sentences)
        return " ".join(title_words).capitalize(), description
