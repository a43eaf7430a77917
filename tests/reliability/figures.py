"""Reliability figures for the README: printed (`pytest -s`) and recorded as junit properties."""

from collections.abc import Callable, Mapping

RecordProperty = Callable[[str, object], None]  # pytest's `record_property` fixture


def report(record_property: RecordProperty, title: str, figures: Mapping[str, object]) -> None:
    for name, value in figures.items():
        record_property(name, value)
    print(f"\n{title}: " + ", ".join(f"{name}={value}" for name, value in figures.items()))
