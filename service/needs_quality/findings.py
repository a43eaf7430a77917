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


@dataclass(frozen=True)
class QualityReport:
    """The findings, and per rule whether the text passes it (a checklist, not one opaque score)."""

    language: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def checklist(self) -> dict[str, bool]:
        failed = {finding.rule for finding in self.findings}
        return {rule: rule not in failed for rule in RULE_IDS}
