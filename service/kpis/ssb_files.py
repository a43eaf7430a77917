"""SSB JSON-stat2 files uploaded by people: recognising one, and choosing which shipped mapping
(seed_data/ssb_mappings/*.json) reads it, by the table number SSB writes into its answers."""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from service.kpis.ssb_mapping import SsbMapping, load_mapping

SHIPPED_MAPPINGS = Path(__file__).resolve().parents[2] / "seed_data" / "ssb_mappings"
_TABLE = re.compile(r"^[0-9]{5}$")
_LABELLED_TABLE = re.compile(r"^\s*([0-9]{5})\s*:")  # SSB's dataset label: "10540: Registrerte ..."

ChoiceProblem = Literal["no_table", "unknown_table", "several", "unknown_mapping", "other_table"]


@dataclass(frozen=True)
class ShippedMapping:
    """A mapping file shipped with the service: its name (the file name without .json) and contents."""

    name: str
    mapping: SsbMapping

    @property
    def label(self) -> str:
        """Table number and source, for people choosing among mappings."""
        source = self.mapping.source
        return source if self.mapping.table in source else f"{self.mapping.table}: {source}"


class NotJsonStat(Exception):
    """The text is JSON but not a JSON-stat dataset, or looks like JSON and is not."""


class MappingChoiceError(Exception):
    """No shipped mapping can be chosen for a dataset: `problem` says why, `table` is the file's table."""

    def __init__(self, problem: ChoiceProblem, table: str | None, mapping_table: str | None = None) -> None:
        super().__init__(f"{problem}: table {table}, mapping for {mapping_table}")
        self.problem = problem
        self.table = table
        self.mapping_table = mapping_table


def json_stat_dataset(text: str) -> dict[str, Any] | None:
    """The file's JSON-stat dataset, None when the text is not JSON (CSV, say); NotJsonStat when it is
    JSON, or starts like JSON, but is no object of class "dataset"."""
    if not text.lstrip().startswith(("{", "[")):
        return None
    try:
        parsed = json.loads(text)
    except ValueError as error:
        raise NotJsonStat(f"not valid JSON: {error}") from error
    if not isinstance(parsed, dict) or parsed.get("class") != "dataset":
        raise NotJsonStat('JSON, but not a JSON-stat dataset (an object with "class": "dataset")')
    return parsed


def dataset_table(dataset: dict[str, Any]) -> str | None:
    """SSB's table number of a JSON-stat2 answer: its extension.px.tableid, else the number its label
    starts with; None when it gives neither."""
    extension = dataset.get("extension")
    px = extension.get("px") if isinstance(extension, dict) else None
    table = str(px.get("tableid", "")).strip() if isinstance(px, dict) else ""
    if _TABLE.match(table):
        return table
    label = dataset.get("label")
    labelled = _LABELLED_TABLE.match(label) if isinstance(label, str) else None
    return labelled.group(1) if labelled else None


def shipped_mappings(folder: Path = SHIPPED_MAPPINGS) -> list[ShippedMapping]:
    """Every mapping file in the folder, by name; SsbMappingError names a file that is not usable."""
    return [ShippedMapping(path.stem, load_mapping(path)) for path in sorted(folder.glob("*.json"))]


def choose_mapping(
    dataset: dict[str, Any], mappings: list[ShippedMapping], chosen: str = ""
) -> ShippedMapping:
    """The mapping named `chosen` (refused if the file names another table), else the only one for the
    file's table; MappingChoiceError when there is none or more than one to choose from."""
    table = dataset_table(dataset)
    if chosen:
        named = [shipped for shipped in mappings if shipped.name == chosen]
        if not named:
            raise MappingChoiceError("unknown_mapping", table)
        if table is not None and named[0].mapping.table != table:
            raise MappingChoiceError("other_table", table, named[0].mapping.table)
        return named[0]
    if table is None:
        raise MappingChoiceError("no_table", None)
    fitting = [shipped for shipped in mappings if shipped.mapping.table == table]
    if not fitting:
        raise MappingChoiceError("unknown_table", table)
    if len(fitting) > 1:
        raise MappingChoiceError("several", table)
    return fitting[0]
