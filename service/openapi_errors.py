"""The error answers every operation may give, added to the OpenAPI schema from the mechanisms that give them.

Three mechanisms answer for many routes at once, so they are documented here rather than on each route:
the bearer-token dependencies (401 without a token, 403 with one that may not do this), the lookup of
a record named in the path (404), and the request size limit (413 where a body is taken). Errors
particular to a route (409) are declared on the route with `error_responses`.
"""

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel


class ErrorMessage(BaseModel):
    """The body of a 4xx answer other than a validation error."""

    detail: str


ERROR_DESCRIPTIONS = {
    401: "No bearer token was sent, or it is unknown or revoked.",
    403: "The token's role, municipality or supplier may not do this.",
    404: "The record does not exist.",
    409: "The request clashes with what is stored.",
    413: "The request body is larger than the service accepts.",
}
_REFERENCE = {"$ref": "#/components/schemas/ErrorMessage"}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Error answers for a route's `responses=`, so that the OpenAPI schema lists what it may answer."""
    return {status: {"model": ErrorMessage, "description": ERROR_DESCRIPTIONS[status]} for status in statuses}


def _answers_of(operation: dict[str, Any]) -> list[int]:
    statuses = []
    if operation.get("security"):
        statuses += [401, 403]
    if any(parameter.get("in") == "path" for parameter in operation.get("parameters", ())):
        statuses.append(404)
    if "requestBody" in operation:
        statuses.append(413)
    return statuses


def add_error_responses(schema: dict[str, Any]) -> None:
    """Declare, in place, the 401/403, 404 and 413 answers of each operation of an OpenAPI schema."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorMessage", ErrorMessage.model_json_schema())
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status in _answers_of(operation):
                responses.setdefault(
                    str(status),
                    {
                        "description": ERROR_DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": _REFERENCE}},
                    },
                )


def document_error_responses(app: FastAPI) -> None:
    """Make `app.openapi()` list the error answers of every operation."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            add_error_responses(generate())
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]
