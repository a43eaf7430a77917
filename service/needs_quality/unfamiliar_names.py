"""Names on no list, found by how a text points at them: a capitalised word the lexicon does not know,
right after "fra", "av typen", "bruker", "from", "such as"... ("ferdigretter fra Fjellmat"), or before a
model number ("Polaris ST 4500").

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
    r"slik\s+som|som|for\s+eksempel|f\.eks\.|eksempelvis|lisenser\s+til|via|levert\s+av|"
    r"(?:går|kjører)(?:\s+i\s+dag)?\s+på|"
    r"from|such\s+as|like|uses?|using|used|called|made\s+by|supplied\s+by|brand|model|of\s+the\s+type|"
    r"runs?\s+on|built\s+on|pilot))\s+$",
    re.IGNORECASE,
)
_POINTER_REACH = 30
# A capitalised word and the capitalised words after it: "Kettlerun Pro", "Sonavox".
_CAPITALISED_RUN = re.compile(r"(?<![\w-])[A-ZÆØÅ][a-zæøå]+\w*(?:[ -][A-ZÆØÅ][\w]+)*")
_WORD = re.compile(r"[^\W\d_]+")
# A model number after a name, "Polaris ST 4500", whose letters may end the capitalised run; a bare
# number after a name is more often a count ("registrerte Bydrift 140 nye").
_MODEL_NUMBER_NEXT = re.compile(r"[ -][A-Z]{1,5}[ -]?\d{2,5}\b")
_DIGITS_NEXT = re.compile(r"[ -]?\d{2,5}\b")
_MODEL_LETTERS = re.compile(r"[A-Z]{1,5}")


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    """Norwegian words (with common places and first names) and the English words of the word pairs."""
    lexicon = Lexicon.load(LEXICON_DIR)
    english = {word for pair in lexicon.pairs for word in pair.english.lower().split()}
    return frozenset(lexicon.norwegian_zipf) | frozenset(english)


def is_known_word(word: str) -> bool:
    """In the lexicon, also as a plural or genitive in s."""
    lower = word.lower()
    known = _known_words()
    return lower in known or (lower.endswith("s") and lower[:-1] in known)


def _model_number_after(text: str, name: re.Match[str]) -> re.Match[str] | None:
    last_word = name.group(0).split()[-1]
    if _MODEL_LETTERS.fullmatch(last_word):
        return _DIGITS_NEXT.match(text, name.end())
    return _MODEL_NUMBER_NEXT.match(text, name.end())


def pointed_names(text: str) -> list[tuple[int, int]]:
    """Spans of unfamiliar names that a product pointer stands right before, or a model number after."""
    found = []
    for match in _CAPITALISED_RUN.finditer(text):
        if is_standard(match.group(0).split()[0]):
            continue
        words = _WORD.findall(match.group(0))
        pointer = _POINTER.search(text, max(0, match.start() - _POINTER_REACH), match.start())
        pointed = bool(words) and not is_known_word(words[0]) and pointer is not None
        # Roads and classes ("Fv 44") are short; a product's name is not.
        unfamiliar = any(len(word) >= 3 and not is_known_word(word) for word in words)
        numbered = _model_number_after(text, match) if unfamiliar else None
        if pointed or numbered:
            end = numbered.end() if numbered else match.end()
            found.append((match.start(), end))
    return found
