"""Every input the API takes is bounded, and every free text of a request body refuses control characters.

These read the application's routes and schemas, so that a field or parameter added later without a
limit fails here before a fuzzer or a client finds it.
"""

import types
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo
from starlette.routing import BaseRoute

from service.app import create_app
from service.config import Settings
from service.text_fields import refuse_control_characters


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """The application as configured, not started: its routes and OpenAPI schema need no database."""
    directory: Path = tmp_path_factory.mktemp("schema")
    return create_app(Settings(data_dir=directory, admin_token="unused", seed="none"))


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


# Bounded by a validator the schema cannot express, and never sent to SQL unchecked.
NO_STATIC_BOUND = {"year": "a KPI value's year runs from 1990 to next year, checked against today's date"}


def _unbounded(schema: dict[str, Any], document: dict[str, Any], where: str, seen: set[str]) -> Iterator[str]:
    """Where in a JSON schema a string, array or integer has no upper bound."""
    if "$ref" in schema:
        if schema["$ref"] in seen:
            return
        seen = seen | {schema["$ref"]}
    schema = _resolve(schema, document)
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, ()):
            yield from _unbounded(option, document, where, seen)
    kind = schema.get("type")
    bounded = {
        "string": ("maxLength", "enum", "const", "pattern", "format"),
        "array": ("maxItems",),
        "integer": ("maximum", "enum", "const"),
    }.get(kind or "", ())
    exempt = where.rsplit(".", 1)[-1] in NO_STATIC_BOUND
    if bounded and not exempt and not any(key in schema for key in bounded):
        yield f"{where}: {kind} without a bound"
    for name, item in schema.get("properties", {}).items():
        yield from _unbounded(item, document, f"{where}.{name}", seen)
    if isinstance(schema.get("items"), dict):
        yield from _unbounded(schema["items"], document, f"{where}[]", seen)


def test_every_parameter_and_body_field_has_an_upper_bound(app: FastAPI) -> None:
    document = app.openapi()
    problems: list[str] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", ()):
                where = f"{label} {parameter['in']} {parameter['name']}"
                problems += _unbounded(parameter["schema"], document, where, set())
            for content in operation.get("requestBody", {}).get("content", {}).values():
                problems += _unbounded(content["schema"], document, f"{label} body", set())
    assert not problems, "\n".join(problems)


def _string_leaves(annotation: Any, metadata: tuple[Any, ...], where: str) -> Iterator[tuple[str, tuple]]:
    """Every `str` inside a field's type (through unions, lists and nested models), with its metadata."""
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *extra = get_args(annotation)
        yield from _string_leaves(inner, metadata + tuple(extra), where)
    elif origin in (Union, types.UnionType):
        for option in get_args(annotation):
            yield from _string_leaves(option, metadata, where)
    elif origin in (list, set, tuple, dict):
        for item in get_args(annotation):
            yield from _string_leaves(item, (), f"{where}[]")
    elif origin is Literal:
        return
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            yield from _string_leaves(field.annotation, tuple(field.metadata), f"{where}.{name}")
    elif annotation is str:
        yield where, metadata


def _refuses_control_characters(metadata: tuple[Any, ...]) -> bool:
    return any(
        isinstance(item, AfterValidator) and item.func is refuse_control_characters for item in metadata
    )


def _has_pattern(metadata: Iterable[Any]) -> bool:
    # A `Field(pattern=...)` inside Annotated keeps its constraints in its own metadata.
    return any(
        getattr(item, "pattern", None) or (isinstance(item, FieldInfo) and _has_pattern(item.metadata))
        for item in metadata
    )


def _api_routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        # FastAPI 0.16x keeps an included router whole, behind a wrapper.
        elif (included := getattr(route, "original_router", None)) is not None:
            yield from _api_routes(included.routes)


def test_every_text_in_a_request_body_refuses_control_characters(app: FastAPI) -> None:
    problems = []
    models = 0
    for route in _api_routes(app.routes):
        for body in route.dependant.body_params:
            models += 1
            where = f"{sorted(route.methods or ())} {route.path} {body.name}"
            for leaf, metadata in _string_leaves(body.field_info.annotation, (), where):
                # A pattern (digits only) refuses control characters by itself.
                if not (_refuses_control_characters(metadata) or _has_pattern(metadata)):
                    problems.append(leaf)
    assert models >= 10, "the walk found too few request bodies to be looking in the right place"
    assert not problems, "text without NoControlCharacters:\n" + "\n".join(problems)
