"""The well-formed part of a request body that failed its shape check: the fields that pass their own
rules, for the checks against stored data that run beside pydantic's errors (service.errors)."""

import contextlib
from collections.abc import Mapping
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from service.text_fields import RecordId

_RECORD_ID: TypeAdapter[int] = TypeAdapter(RecordId)


@cache
def _field_adapters(model: type[BaseModel]) -> dict[str, TypeAdapter[Any]]:
    if model.__pydantic_decorators__.field_validators:
        # A field validator is not part of the field's type, so a field checked alone would skip it.
        raise TypeError(f"{model.__name__}: put field rules in the field's type, not in a field_validator")
    return {name: TypeAdapter(field.rebuild_annotation()) for name, field in model.model_fields.items()}


def well_formed(model: type[BaseModel], raw: object) -> dict[str, Any]:
    """The fields of `raw` (a JSON object) that pass their own rules in `model`, each as `model` reads
    it, and the defaults of those left out; a malformed field is left out too (pydantic names it)."""
    if not isinstance(raw, Mapping):
        return {}
    fields = {}
    for name, adapter in _field_adapters(model).items():
        if name not in raw:
            if not model.model_fields[name].is_required():
                fields[name] = model.model_fields[name].get_default(call_default_factory=True)
            continue
        with contextlib.suppress(ValidationError):
            fields[name] = adapter.validate_python(raw[name])
    return fields


def well_formed_items(model: type[BaseModel], raw: object, field: str, limit: int) -> list[dict[str, Any]]:
    """`well_formed` of each record in the list `raw[field]`, in their positions, up to `limit` records."""
    records = raw.get(field) if isinstance(raw, Mapping) else None
    if not isinstance(records, list):
        return []
    return [well_formed(model, record) for record in records[:limit]]


def well_formed_id(raw: object) -> int | None:
    """An id of the request's path as the route reads it, or None when it is malformed (pydantic names it)."""
    try:
        return _RECORD_ID.validate_python(raw)
    except ValidationError:
        return None
