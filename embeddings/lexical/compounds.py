"""Norwegian compounds split into the known words they are made of: "vannlekkasje" -> "vann", "lekkasje".

Norwegian writes compounds as one word, so without splitting, "vannlekkasje" in a query never meets
"lekkasje" in a record. The split follows Koehn and Knight (2003): of the ways to cut a word in two
known words, the one whose parts are most frequent on average, if that beats the word itself. A
linking "s" or "e" after the first part ("overvanns|håndtering") is tried when no plain cut works,
and a second part that is no known word may itself be a compound ("vann|lekkasje|sensor").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache

MIN_PART_LENGTH = 3
# A split into three or more parts takes longer parts only: short frequent words ("ved|like|hold")
# would otherwise make a compound of almost any long word.
MIN_COMPOUND_PART_LENGTH = 4
# A word this common is a word of its own ("syklister" is not "syk|lister"), whatever its parts.
MAX_SPLIT_ZIPF = 3.0
# Inflectional endings that are also words ("buss|ene", "innbygg|ere"): never a part.
ENDINGS = frozenset(
    {"ene", "ere", "ens", "est", "ets", "ing", "het", "lig", "nes", "ert", "ende", "else", "enes", "ers"}
)
_LINKING = ("s", "e")

_Split = tuple[list[float], tuple[str, ...]]  # the parts' frequencies, the parts


class CompoundSplitter:
    """Splits words into known words, weighed by their frequencies (Zipf: log10 per billion words)."""

    def __init__(self, zipf: Mapping[str, float], *, cache_size: int = 100_000) -> None:
        self._zipf = {word: value for word, value in zipf.items() if word not in ENDINGS}
        # Records and queries repeat their words: each is split once.
        self.parts = lru_cache(maxsize=cache_size)(self._parts)

    def _parts(self, word: str) -> tuple[str, ...]:
        """The known words `word` is made of, or () if it is best left whole."""
        whole = self._zipf.get(word, 0.0)
        if whole >= MAX_SPLIT_ZIPF:
            return ()
        split = self._split(word, MIN_PART_LENGTH)
        if split is None or _mean(split[0]) <= whole:
            return ()
        return split[1]

    def _split(self, word: str, min_part: int) -> _Split | None:
        """The best cut into two known words, then with a linking letter, then into a known word and
        a compound of longer parts."""
        if len(word) < 2 * min_part or not word.isalpha():
            return None
        cuts = range(min_part, len(word) - min_part + 1)
        for linking in ("", *_LINKING):
            best = _best(
                ([self._zipf[head], self._zipf[word[cut:]]], (head, word[cut:]))
                for cut in cuts
                if (head := self._head(word[:cut], linking, min_part)) and word[cut:] in self._zipf
            )
            if best is not None:
                return best
        return _best(
            ([self._zipf[head], *rest[0]], (head, *rest[1]))
            for cut in cuts
            for linking in ("", *_LINKING)
            if (head := self._head(word[:cut], linking, MIN_COMPOUND_PART_LENGTH))
            and (rest := self._split(word[cut:], MIN_COMPOUND_PART_LENGTH)) is not None
        )

    def _head(self, written: str, linking: str, min_part: int) -> str | None:
        """The first part, written with the linking letter `linking` ("" for none), if it is known."""
        if not written.endswith(linking):
            return None
        head = written[: len(written) - len(linking)]
        return head if len(head) >= min_part and head in self._zipf else None


def _best(splits: Iterator[_Split]) -> _Split | None:
    return max(splits, key=lambda split: _mean(split[0]), default=None)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)
