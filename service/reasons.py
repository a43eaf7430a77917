"""A reason a service gives in English, also as data (a code and its facts), so that a page can say it
in its reader's language while the API answers the English sentence (as service.response_warnings does
for warnings). Stored as JSON: {"code": ..., "facts": {...}}."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Fact = str | int | float | bool | None | list[Any] | dict[str, Any]


@dataclass(frozen=True)
class Reason:
    code: str
    facts: Mapping[str, Fact] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "facts": dict(self.facts)}

    @classmethod
    def from_json(cls, value: object) -> "Reason | None":
        """The stored reason, or None for a row stored before reasons had facts."""
        if not isinstance(value, dict) or not isinstance(value.get("code"), str):
            return None
        facts = value.get("facts")
        return cls(value["code"], dict(facts) if isinstance(facts, dict) else {})
