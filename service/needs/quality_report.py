"""How many open needs of each municipality have findings of each needs-quality rule: the staff report
that shows where officers need help writing needs (issue 23). The check is service.needs.quality's."""

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from service.needs import quality, repository
from service.needs_quality import RULE_IDS

# What the report can be sorted by: most findings first (the default), most open needs, name, or a rule.
SORTS = ("findings", "open", "municipality", *RULE_IDS)


@dataclass
class MunicipalityQuality:
    """One municipality's row: its open needs, and how many of them have findings of each rule."""

    number: str | None  # None: needs without a municipality
    name: str | None
    open_needs: int = 0
    with_findings: int = 0  # open needs with at least one finding
    by_rule: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RULE_IDS, 0))

    @property
    def findings(self) -> int:
        return sum(self.by_rule.values())


def quality_by_municipality(session: Session) -> list[MunicipalityQuality]:
    """Every municipality with an open need, in one pass over the open needs."""
    needs = list(repository.open_needs_to_check(session))
    failed = quality.rules_failed(session, needs)
    rows: dict[str | None, MunicipalityQuality] = {}
    for need in needs:
        row = rows.setdefault(
            need.municipality_number, MunicipalityQuality(need.municipality_number, need.municipality_name)
        )
        row.open_needs += 1
        rules = failed[need.id]
        row.with_findings += bool(rules)
        for rule in rules:
            row.by_rule[rule] += 1
    return list(rows.values())


def sorted_rows(rows: list[MunicipalityQuality], sort: str) -> list[MunicipalityQuality]:
    """Most first for a count (ties by name); by name for "municipality"."""

    def name(row: MunicipalityQuality) -> str:
        return (row.name or "").casefold()

    if sort == "municipality":
        return sorted(rows, key=name)
    if sort == "open":
        return sorted(rows, key=lambda row: (-row.open_needs, name(row)))
    if sort in RULE_IDS:
        return sorted(rows, key=lambda row: (-row.by_rule[sort], name(row)))
    return sorted(rows, key=lambda row: (-row.findings, -row.with_findings, name(row)))
