"""The analyser's language resources, read once from a directory (the service's is seed_data/lexicon):
English-Norwegian word pairs for the bridge, and Norwegian word frequencies for splitting compounds."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

PAIRS_FILE = "en_no.tsv"
WORDS_FILE = "no_words.tsv"


@dataclass(frozen=True)
class WordPair:
    english: str  # one or two words
    norwegian: str
    source: str
    english_zipf: float  # how common each side is (Zipf: log10 per billion words; 0 unknown)
    norwegian_zipf: float


@dataclass(frozen=True)
class Lexicon:
    pairs: tuple[WordPair, ...]
    norwegian_zipf: dict[str, float]  # the words compounds are split into, with their frequencies

    @classmethod
    def load(cls, directory: Path) -> Lexicon:
        pairs = tuple(
            WordPair(
                row["english"],
                row["norwegian"],
                row["source"],
                float(row["english_zipf"]),
                float(row["norwegian_zipf"]),
            )
            for row in _rows(directory / PAIRS_FILE)
        )
        return cls(pairs, {row["word"]: float(row["zipf"]) for row in _rows(directory / WORDS_FILE)})


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE))
