"""Build seed_data/lexicon/ (run by hand; the output is committed): the English-Norwegian word pairs
that bridge BM25 across the two languages, and the Norwegian words compounds are split into.

Reads Debian's dict-freedict-eng-nor (`apt-get install dict-freedict-eng-nor`) and PyPI's wordfreq
(`pip install -e '.[lexicon]'`); the service needs neither at run time. seed_data/lexicon/SOURCE.md
says what is kept and why.

    PYTHONPATH=. python scripts/dev/build_lexicon.py
"""

import gzip
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from embeddings import TextAnalyzer
from embeddings.lexical.lexicon import PAIRS_FILE, WORDS_FILE

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seed_data"
OUT = SEED / "lexicon"
DICTD = Path("/usr/share/dictd")
FREEDICT = "freedict-eng-nor"

# Parts of speech that name things a need or a solution is about; names, numerals and function words
# would only add noise.
KEPT_POS = frozenset({"n", "v", "adj", "adv"})
MAX_HEADWORD_WORDS = 2  # English phrases are matched as adjacent word pairs
MAX_TRANSLATION_WORDS = 2
# Word pairs aligned in the service's parallel KPI texts: seen together at least this often, with a
# Dice coefficient at least this high, each the other's best partner.
MIN_ALIGNED_COUNT = 3
MIN_ALIGNED_DICE = 0.8
# Norwegian words a compound may be split into: known from wordfreq at least this frequent (Zipf).
MIN_PART_ZIPF = 2.5
MIN_PART_LENGTH = 3
OWN_TEXTS = "u4ssc-kpi-texts"  # the source named for pairs aligned in the service's parallel KPI texts

_WORDS = re.compile(r"^[a-zæøåéèóòâôü][a-zæøåéèóòâôü -]*$")
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_HEADER = re.compile(r"^(?P<headword>.+?)(?: /[^<]*)? <(?P<pos>[a-z]+)>$")
_SENSE = re.compile(r"^(\d+)\. (.*)$")
_GLOSS_NUMBER = re.compile(r"\s+\d+\.$")


@dataclass(frozen=True)
class Entry:
    headword: str
    pos: str  # n, v, adj, adv, pn, ...
    senses: tuple[tuple[str, ...], ...]  # each sense's Norwegian translations, in the dictionary's order


@dataclass(frozen=True)
class Pair:
    english: str
    norwegian: str
    source: str


def _dictd_number(text: str) -> int:
    number = 0
    for char in text:
        number = number * 64 + _B64.index(char)
    return number


def read_freedict(directory: Path = DICTD) -> list[Entry]:
    """Every entry of the dictd database, its senses' translations in order."""
    data = gzip.decompress((directory / f"{FREEDICT}.dict.dz").read_bytes())
    entries = []
    for line in (directory / f"{FREEDICT}.index").read_text(encoding="utf-8").splitlines():
        headword, offset, length = line.split("\t")
        if headword.startswith("00database"):
            continue
        start = _dictd_number(offset)
        entry = _entry(data[start : start + _dictd_number(length)].decode("utf-8"))
        if entry is not None:
            entries.append(entry)
    return entries


def _entry(text: str) -> Entry | None:
    """An entry is a header line, then either one line of translations (one sense) or numbered senses
    ("1. lys 2.": translations, then the number of the sense's first gloss), each followed by glosses."""
    lines = text.rstrip("\n").split("\n")
    header = _HEADER.match(lines[0].strip())
    if header is None or len(lines) < 2:
        return None
    numbered = [_SENSE.match(line) for line in lines[1:]]
    if numbered[0] is None:
        senses = [lines[1]]
    else:
        senses = [match.group(2) for match in numbered if match is not None]
    return Entry(
        header.group("headword"),
        header.group("pos"),
        tuple(_translations(_GLOSS_NUMBER.sub("", sense)) for sense in senses),
    )


def _translations(sense: str) -> tuple[str, ...]:
    parts = (re.sub(r"\([^)]*\)", "", part).strip() for part in sense.split(","))
    return tuple(part for part in parts if part)


def _plain(text: str, max_words: int) -> bool:
    return bool(_WORDS.match(text)) and len(text.split()) <= max_words


def freedict_pairs(entries: Iterable[Entry]) -> Iterator[Pair]:
    """Each entry's first sense, its translations of a word or two: with every sense, rare senses
    ("vann": "baptize") pulled in records about something else, and the first sense that has such a
    translation ("leak": "lekkasje", after "en som lekker") did no better (docs/lexical-index.md)."""
    for entry in entries:
        english = entry.headword.lower()
        if entry.pos not in KEPT_POS or not _plain(english, MAX_HEADWORD_WORDS):
            continue
        for norwegian in entry.senses[0]:
            norwegian = norwegian.lower()
            if _plain(norwegian, MAX_TRANSLATION_WORDS):
                yield Pair(english, norwegian, "freedict")


def parallel_kpi_texts() -> list[tuple[str, str]]:
    """(Norwegian, English) pairs of the same text: the KPIs' names and their problem statements."""
    kpis = json.loads((SEED / "u4ssc_kpis.json").read_text(encoding="utf-8"))["items"]
    problems = json.loads((SEED / "kpi_problem_statements.json").read_text(encoding="utf-8"))["items"]
    return [(item["name_no"], item["name_en"]) for item in kpis] + [
        (item["problem_no"], item["problem_en"])
        for item in problems
        if item.get("problem_no") and item.get("problem_en")
    ]


def aligned_pairs(texts: list[tuple[str, str]]) -> Iterator[Pair]:
    """Word pairs that keep appearing together in parallel texts (stems compared, the most common
    written form kept): each the other's best partner by the Dice coefficient. Counting a Norwegian
    compound's parts as words of their own found more pairs ("overvann": "stormwater") but lowered
    lexical recall (docs/lexical-index.md)."""
    analyzer = TextAnalyzer()
    counts: dict[str, Counter[str]] = {"no": Counter(), "en": Counter()}
    written: dict[str, Counter[str]] = defaultdict(Counter)
    together: Counter[tuple[str, str]] = Counter()
    for norwegian, english in texts:
        terms = {}
        for language, text in (("no", norwegian), ("en", english)):
            words = analyzer.words(text, language)
            terms[language] = {term for term, _word in words}
            counts[language].update(terms[language])
            for term, word in words:
                written[f"{language}:{term}"][word] += 1
        together.update((no, en) for no in terms["no"] for en in terms["en"])
    dice = {
        pair: 2 * count / (counts["no"][pair[0]] + counts["en"][pair[1]])
        for pair, count in together.items()
        if count >= MIN_ALIGNED_COUNT
    }
    best_no: dict[str, tuple[float, str]] = {}
    best_en: dict[str, tuple[float, str]] = {}
    for (no, en), value in dice.items():
        best_no[no] = max(best_no.get(no, (0.0, "")), (value, en))
        best_en[en] = max(best_en.get(en, (0.0, "")), (value, no))
    for (no, en), value in sorted(dice.items()):
        if value >= MIN_ALIGNED_DICE and best_no[no][1] == en and best_en[en][1] == no:
            yield Pair(
                written[f"en:{en}"].most_common(1)[0][0],
                written[f"no:{no}"].most_common(1)[0][0],
                OWN_TEXTS,
            )


def norwegian_words() -> list[tuple[str, float]]:
    """Norwegian (Bokmål) words from wordfreq at least MIN_PART_ZIPF frequent, most frequent first."""
    import wordfreq

    words = []
    for word in wordfreq.iter_wordlist("nb", "large"):
        zipf = wordfreq.zipf_frequency(word, "nb")
        if zipf < MIN_PART_ZIPF:
            break
        if len(word) >= MIN_PART_LENGTH and _WORDS.match(word) and " " not in word:
            words.append((word, zipf))
    return words


def main() -> None:
    import wordfreq

    OUT.mkdir(exist_ok=True)
    words = norwegian_words()
    with (OUT / WORDS_FILE).open("w", encoding="utf-8") as out:
        out.write("word\tzipf\n")
        for word, zipf in words:
            out.write(f"{word}\t{zipf:.2f}\n")
    pairs = {}
    for pair in [*aligned_pairs(parallel_kpi_texts()), *freedict_pairs(read_freedict())]:
        pairs.setdefault((pair.english, pair.norwegian), pair)
    with (OUT / PAIRS_FILE).open("w", encoding="utf-8") as out:
        out.write("english\tnorwegian\tsource\tenglish_zipf\tnorwegian_zipf\n")
        for pair in sorted(pairs.values(), key=lambda pair: (pair.english, pair.norwegian)):
            english_zipf = wordfreq.zipf_frequency(pair.english, "en")
            norwegian_zipf = wordfreq.zipf_frequency(pair.norwegian, "nb")
            out.write(
                f"{pair.english}\t{pair.norwegian}\t{pair.source}\t{english_zipf:.2f}\t{norwegian_zipf:.2f}\n"
            )
    print(f"{len(pairs)} word pairs, written to {OUT}")


if __name__ == "__main__":
    main()
