"""Validation against the official OCDS 1.1.5 JSON Schemas (draft 4) shipped in service/ocds/schema/.

The release package schema refers to the release schema by its URL; both are registered here under
their ids, and any other reference is refused rather than fetched: validation never uses the network.
The tests validate every release the service builds; the service itself does not validate at run time
(a release is built from checked fields only, and a failing check belongs in CI, not in a reader's 500).
"""

import json
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

RELEASE_SCHEMA = "release-schema.json"
RELEASE_PACKAGE_SCHEMA = "release-package-schema.json"


def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(files("service.ocds").joinpath("schema", name).read_text("utf-8"))
    return schema


@cache
def _validators() -> dict[str, Draft4Validator]:
    schemas = {name: _schema(name) for name in (RELEASE_SCHEMA, RELEASE_PACKAGE_SCHEMA)}
    # A Registry retrieves nothing it was not given: an unknown reference fails, it is never fetched.
    registry: Registry[Any] = Registry().with_resources(
        (schema["id"], DRAFT4.create_resource(schema)) for schema in schemas.values()
    )
    # Dates (date-time) and links (uri) are checked too: rfc3339-validator and rfc3986-validator.
    return {
        name: Draft4Validator(schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)
        for name, schema in schemas.items()
    }


def _errors(schema_name: str, document: dict[str, Any]) -> list[str]:
    validator = _validators()[schema_name]
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(top)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
    ]


def release_errors(release: dict[str, Any]) -> list[str]:
    """What is wrong with one release under the OCDS 1.1.5 release schema; empty when it validates."""
    return _errors(RELEASE_SCHEMA, release)


def package_errors(package: dict[str, Any]) -> list[str]:
    """What is wrong with a release package (its releases included); empty when it validates."""
    return _errors(RELEASE_PACKAGE_SCHEMA, package)
