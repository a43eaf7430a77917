"""Names on no list, found by how a text points at them: a capitalised word the lexicon does not know,
right after "fra", "av typen", "bruker", "from", "such as"... ("ferdigretter fra Fjellmat").

No list can hold every supplier; what officers write around a product's name is more stable than the
names. A place or a person is rarely introduced that way, and a common one is in the lexicon.
"""

import re
from functools import lru_cache
from pathlib import Path

from embeddings.lexical import Lexicon
from service.needs_quality.brand_names import is_standard

LEXICON_DIR = Path(__file__).resolve().parents[2] / "seed_data" / "lexicon"
# What stands right before a product's name. "i", "ved", "at", "in" are left out: places follow them.
_POINTER = re.compile(
    r"(?:\b(?:fra|av\s+typen|av\s+merket|typen|merket|modellen|bruker(?:\s+i\s+dag)?|brukes|"
    r"slik\s+som|som|for\s+eksempel|f\.eks\.|eksempelvis|lisenser\s+til|"
    r"from|such\s+as|like|uses?|using|used|called|made\s+by|brand|model|of\s+the\s+type|pilot))\s+$",
    re.IGNORECASE,
)
_POINTER_REACH = 30
# A capitalised word and the capitalised words after it: "Kettlerun Pro", "Sonavox".
_CAPITALISED_RUN = re.compile(r"(?<![\w-])[A-ZÆØÅ][a-zæøå]+\w*(?:[ -][A-ZÆØÅ][\w]+)*")
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    """Norwegian words (with common places and first names) and the English words of the word pairs."""
    lexicon = Lexicon.load(LEXICON_DIR)
    english = {word for pair in lexicon.pairs for word in pair.english.lower().split()}
    return frozenset(lexicon.norwegian_zipf) | frozenset(english)


def _is_known(word: str) -> bool:
    lower = word.lower()
    known = _known_words()
    return lower in known or (lower.endswith("s") and lower[:-1] in known)


def pointed_names(text: str) -> list[tuple[int, int]]:
    """Spans of unfamiliar names that a product pointer stands right before."""
    found = []
    for match in _CAPITALISED_RUN.finditer(text):
        first = _WORD.match(match.group(0))
        if first is None or _is_known(first.group(0)) or is_standard(match.group(0).split()[0]):
            continue
        if _POINTER.search(text, max(0, match.start() - _POINTER_REACH), match.start()):
            found.append((match.start(), match.end()))
    return found
