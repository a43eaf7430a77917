"""The needs-quality rules measured: precision and recall per rule and language on the labelled need texts
of seed_data/needs_quality/ (dev: the rules were tuned on it; heldout: the first held-out set, seen and
used for tuning from 2026-12-07 after its one measurement; heldout2: written before that tuning, measured
once, then seen and tuned on too; heldout3 to heldout5 likewise, each written before the tuning on the set
before it; heldout6: written after heldout5's measurement and before the rules' last change, without
reading them, never tuned on: the held-out figures).

A text is a positive for a rule when its labels name the rule; the check predicts it when it has at least
one finding of the rule. The brand-name rule gets the demo catalogue's supplier and product names, as a
seeded service passes its database's.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from service.needs_quality import RULE_IDS, check
from service.needs_quality.brand_names import catalogue_names
from service.seeding import SEED_DIR

LABELLED_DIR = SEED_DIR / "needs_quality"
SPLITS = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6")
# How each split is named in the report: what it may be used to claim.
SPLIT_LABELS = {
    "dev": "dev ({count} texts, tuned on)",
    "heldout": "heldout-1 (seen; used for tuning from 2026-12-07) ({count} texts)",
    "heldout2": "heldout2 (seen; used for tuning from 2026-12-07) ({count} texts)",
    "heldout3": "heldout3 (seen; used for tuning from 2026-12-07) ({count} texts)",
    "heldout4": "heldout4 (seen; used for tuning from 2026-12-07) ({count} texts)",
    "heldout5": "heldout5 (seen; used for tuning from 2026-12-07) ({count} texts)",
    "heldout6": "heldout6 ({count} texts, held out)",
}
LANGUAGES = ("no", "en")


@dataclass(frozen=True)
class LabelledNeed:
    key: str
    language: str
    title: str
    description: str
    expected: frozenset[str]


@dataclass(frozen=True)
class RuleScore:
    rule: str
    language: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0


def labelled_needs(split: str, folder: Path = LABELLED_DIR) -> list[LabelledNeed]:
    document = json.loads((folder / f"{split}.json").read_text(encoding="utf-8"))
    return [
        LabelledNeed(
            key=item["key"],
            language=item["language"],
            title=item["title"],
            description=item["description"],
            expected=frozenset(item["expected"]),
        )
        for item in document["items"]
    ]


def demo_catalogue_names(seed_dir: Path = SEED_DIR) -> frozenset[str]:
    suppliers = json.loads((seed_dir / "demo_suppliers.json").read_text(encoding="utf-8"))["items"]
    solutions = json.loads((seed_dir / "demo_solutions.json").read_text(encoding="utf-8"))["items"]
    return catalogue_names([s["name"] for s in suppliers], [s["title"] for s in solutions])


def predictions(needs: Sequence[LabelledNeed], known_names: frozenset[str]) -> dict[str, frozenset[str]]:
    """The rules each need fails, by key; the language is detected, as for a need sent without one."""
    return {
        need.key: frozenset(
            finding.rule for finding in check(need.title, need.description, known_names=known_names).findings
        )
        for need in needs
    }


def scores(needs: Sequence[LabelledNeed], predicted: dict[str, frozenset[str]]) -> list[RuleScore]:
    rows = []
    for rule in RULE_IDS:
        for language in LANGUAGES:
            of_language = [need for need in needs if need.language == language]
            rows.append(
                RuleScore(
                    rule=rule,
                    language=language,
                    true_positives=sum(rule in n.expected and rule in predicted[n.key] for n in of_language),
                    false_positives=sum(
                        rule not in n.expected and rule in predicted[n.key] for n in of_language
                    ),
                    false_negatives=sum(
                        rule in n.expected and rule not in predicted[n.key] for n in of_language
                    ),
                )
            )
    return rows


def format_scores(split: str, rows: Sequence[RuleScore]) -> str:
    lines = [
        f"{split}: precision and recall per rule and language",
        f"{'rule':<22}{'lang':<6}{'precision':>10}{'recall':>8}{'TP':>5}{'FP':>5}{'FN':>5}",
    ]
    lines += [
        f"{row.rule:<22}{row.language:<6}{row.precision:>10.2f}{row.recall:>8.2f}"
        f"{row.true_positives:>5}{row.false_positives:>5}{row.false_negatives:>5}"
        for row in rows
    ]
    return "\n".join(lines)


def errors(needs: Sequence[LabelledNeed], predicted: dict[str, frozenset[str]]) -> list[str]:
    """Each need whose findings differ from its labels: missed and extra rules."""
    lines = []
    for need in needs:
        missed = sorted(need.expected - predicted[need.key])
        extra = sorted(predicted[need.key] - need.expected)
        if missed or extra:
            lines.append(f"{need.key} {need.title!r}: missed {missed}, extra {extra}")
    return lines


def report(splits: Sequence[str] = SPLITS, *, show_errors: bool = False) -> str:
    names = demo_catalogue_names()
    parts = []
    for split in splits:
        needs = labelled_needs(split)
        predicted = predictions(needs, names)
        label = SPLIT_LABELS.get(split, "{split} ({count} texts)").format(split=split, count=len(needs))
        parts.append(format_scores(label, scores(needs, predicted)))
        if show_errors:
            parts.append("\n".join(errors(needs, predicted)) or "no errors")
    return "\n\n".join(parts)
