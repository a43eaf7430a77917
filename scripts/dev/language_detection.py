"""Language detection of issue 19, measured: how often each rule names the wrong language.

Texts: the Norwegian (Bokmål) and English needs, solutions, their titles and the short queries of
seed_data/ and seed_data/eval/, and seed_data/eval/language_samples.json (Danish, Swedish, German,
Nynorsk and a few other languages, each as a need and as a search). Long: a need or solution; short: a
title, a query or a search phrase. Rules: the old one (Norwegian or English only), py3langid's best guess
over every language with a two-letter code, and service.language.detect_language.
Run: .venv/bin/python scripts/dev/language_detection.py
"""

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from service.language import detect_language

SEED_DATA = Path(__file__).resolve().parents[2] / "seed_data"
SETS = {
    "demo_needs.json": ["items"],
    "demo_solutions.json": ["items"],
    "eval/real_cases.json": ["solutions", "needs"],
    "eval/public_eval.json": ["solutions", "needs"],
    "eval/buyer_groups.json": ["written_needs"],
}


def labelled_texts() -> list[tuple[str, str, str]]:
    """(language, "long" or "short", text) of every text with a known language."""
    texts = []
    for name, keys in SETS.items():
        document = json.loads((SEED_DATA / name).read_text(encoding="utf-8"))
        for item in (item for key in keys for item in document[key]):
            texts.append((item["language"], "long", f"{item['title']}\n\n{item['description']}"))
            texts.append((item["language"], "short", item["title"]))
    queries = json.loads((SEED_DATA / "eval/short_queries.json").read_text(encoding="utf-8"))["queries"]
    texts += [(query["language"], "short", query["query"]) for query in queries]
    samples = json.loads((SEED_DATA / "eval/language_samples.json").read_text(encoding="utf-8"))["samples"]
    return texts + [(sample["language"], sample["length"], sample["text"]) for sample in samples]


def _old_rule() -> Callable[[str], str]:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["en", "no", "nn", "da", "sv"])
    return lambda text: "en" if identifier.classify(text)[0] == "en" else "no"


def _best_guess() -> Callable[[str], str]:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([label for label in identifier.labels if len(label) == 2])
    return lambda text: identifier.classify(text)[0]


def confusion(rule: Callable[[str], str], texts: list[tuple[str, str, str]]) -> None:
    outcomes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for language, length, text in texts:
        said = rule(text)
        outcomes[(language, length)]["no" if said == "nn" else said] += 1
    for (language, length), said in sorted(outcomes.items()):
        right = "no" if language == "nn" else language
        wrong = ", ".join(f"{other} {count}" for other, count in said.most_common() if other != right)
        print(f"  {language:>2} {length:<5} {said[right]:>3}/{said.total():<3} {wrong}")


def main() -> None:
    texts = labelled_texts()
    for name, rule in [
        ("Old rule: Norwegian or English only", _old_rule()),
        ("py3langid's best guess over all its languages with a two-letter code", _best_guess()),
        ("service.language.detect_language", detect_language),
    ]:
        print(name)
        confusion(rule, texts)


if __name__ == "__main__":
    main()
