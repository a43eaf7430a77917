"""What the check says: findings, each a rule's observation about a span of the title or the description."""

from dataclasses import dataclass, field
from typing import Literal

# Integrations key on these ids: never rename one.
RULE_IDS = (
    "problem-not-solution",
    "brand-name",
    "measurable-outcome",
    "context",
    "too-short",
    "personal-data",
)
Severity = Literal["warning", "info"]
TextField = Literal["title", "description"]


@dataclass(frozen=True)
class Finding:
    """One observation. `start`/`end` are character offsets into `field`'s text (title or description, as
    stored: stripped); a rule about the text as a whole spans the whole description."""

    rule: str
    severity: Severity
    field: TextField
    start: int
    end: int
    message_en: str
    message_no: str
    suggestion_en: str
    suggestion_no: str


def whole_description(
    rule: str, severity: Severity, description: str, *, message: tuple[str, str], suggestion: tuple[str, str]
) -> Finding:
    """A finding about the text as a whole: it spans the whole description. (English, Bokmål) pairs."""
    return Finding(
        rule=rule,
        severity=severity,
        field="description",
        start=0,
        end=len(description),
        message_en=message[0],
        message_no=message[1],
        suggestion_en=suggestion[0],
        suggestion_no=suggestion[1],
    )


@dataclass(frozen=True)
class QualityReport:
    """The findings, and per rule whether the text passes it (a checklist, not one opaque score)."""

    language: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def checklist(self) -> dict[str, bool]:
        failed = {finding.rule for finding in self.findings}
        return {rule: rule not in failed for rule in RULE_IDS}
