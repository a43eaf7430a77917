"""The 45 divisions of the CPV 2008 vocabulary (a code's first two digits) with their titles in
English and Bokmål, so that a person can choose codes by name; seed_data/cpv_divisions.json says
where the titles come from."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DIVISIONS_FILE = Path(__file__).resolve().parent.parent / "seed_data" / "cpv_divisions.json"


@dataclass(frozen=True)
class CpvDivision:
    code: str  # eight digits, e.g. 72000000
    name_en: str
    name_no: str

    @property
    def prefix(self) -> str:
        return self.code[:2]


@cache
def cpv_divisions() -> tuple[CpvDivision, ...]:
    items = json.loads(DIVISIONS_FILE.read_text(encoding="utf-8"))["items"]
    return tuple(CpvDivision(**item) for item in items)


def division_of(code: str) -> CpvDivision | None:
    """The division a CPV code (or a prefix of one) falls in; None outside the vocabulary."""
    return next((division for division in cpv_divisions() if code.startswith(division.prefix)), None)


def is_division(code: str) -> bool:
    """Whether the code names a whole division, e.g. 48000000."""
    return any(code == division.code for division in cpv_divisions())
