"""Parsed values as plain JSON values: decimals and times as text, tuples as lists."""

from dataclasses import asdict, is_dataclass
from datetime import date
from decimal import Decimal
from typing import Any


def plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    return value
