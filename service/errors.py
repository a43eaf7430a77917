"""Domain errors and how they become HTTP answers a person can read.

A request is checked in two steps: its shape (pydantic, before the endpoint runs) and its references
to stored data (the service, as FieldErrors). So that one 422 names every wrong field, an endpoint marked
with `checks_references` has its references checked also when the shape check failed: on the fields
that are well-formed, and the two lists are answered together.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from service.openapi_errors import document_error_responses
from service.reasons import Reason
from service.text_fields import PATTERN_MEANINGS

EXCERPT_LENGTH = 100  # characters of a value an error answer quotes
_VALUE_ERROR = "Value error, "  # pydantic's prefix to the message of a ValueError raised by a validator


class NotFoundError(Exception):
    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key} does not exist")
        self.kind = kind
        self.key = key


class FieldError(Exception):
    """A value that is well-formed but wrong (an unknown KPI code, an invalid organisation number).

    `location` is inside the request's `source`: the body, or its query string.
    """

    def __init__(
        self,
        location: Sequence[str | int],
        message: str,
        error_type: str = "value_error",
        source: Literal["body", "query"] = "body",
        reason: Reason | None = None,
    ) -> None:
        super().__init__(message)
        self.location = tuple(location)
        self.message = message
        self.reason = reason  # the message as data, for a page to say in its reader's language
        self.error_type = error_type
        self.source = source

    def answer(self) -> dict[str, Any]:
        """The error as one item of a 422's detail, in the shape of FastAPI's own."""
        return {"loc": [self.source, *self.location], "msg": self.message, "type": self.error_type}


class FieldErrors(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


class ConflictError(Exception):
    """The request clashes with what is stored (a duplicate organisation number).

    `reason`, when given, is the message as data, for a page to say in its reader's language."""

    def __init__(self, message: str, reason: Reason | None = None) -> None:
        super().__init__(message)
        self.reason = reason


class ForbiddenError(Exception):
    """The caller is known but its role, municipality or supplier may not do this."""


@dataclass(frozen=True)
class UncheckedRequest:
    """What a request that failed its shape check sent: its body as parsed JSON, its query, and the
    parameters of its path as sent (a partnership's id in /partnerships/{partnership_id}/outcomes)."""

    body: Any
    query: Mapping[str, str]
    path: Mapping[str, str]


# The checks of an endpoint's references to stored data, run on what a request that failed its shape
# check sent; each reads only the fields that service.well_formed lets through.
ReferenceChecks = Callable[[Session, UncheckedRequest], list[FieldError]]
_CHECKS_ATTRIBUTE = "innomatch_reference_checks"
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def checks_references(checks: ReferenceChecks) -> Callable[[Endpoint], Endpoint]:
    """Mark an endpoint (under its route decorator) whose 422 for a malformed request also names the
    wrong references `checks` finds in it; the endpoint's service runs the same checks on a valid one."""

    def mark(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, _CHECKS_ATTRIBUTE, checks)
        return endpoint

    return mark


def excerpt(value: object) -> object:
    """`value` as an error answer may quote it: a short one whole, a long text, list or object as its
    first characters and its length, so that a 422 never echoes a large input."""
    if isinstance(value, bool | float) or value is None:
        return value
    if isinstance(value, str):
        text = value
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, list | dict):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:  # an exception in pydantic's ctx: its message
        text = str(value)
    if len(text) <= EXCERPT_LENGTH:
        return value if isinstance(value, int | list | dict) else text
    return f"{text[:EXCERPT_LENGTH]}… ({len(text)} characters)"


def _shortened(error: Mapping[str, Any]) -> dict[str, Any]:
    shortened = dict(error)
    if "input" in error:
        shortened["input"] = excerpt(error["input"])
    if error.get("ctx"):
        shortened["ctx"] = {key: excerpt(value) for key, value in error["ctx"].items()}
    return shortened


class ReadableJSONResponse(JSONResponse):
    """JSON that never fails to encode: an error may echo input holding a lone surrogate ("\\ud800")."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8", errors="replace")


def _readable(error: dict[str, Any], content_type: str) -> dict[str, Any]:
    """One of FastAPI's validation errors, with a message for a person where pydantic's is technical."""
    kind, location, context = error.get("type"), tuple(error.get("loc", ())), error.get("ctx") or {}
    message = None
    if kind == "json_invalid":
        where = f" at character {location[1]}" if len(location) > 1 else ""
        message = f"The body is not valid JSON: {context.get('error', 'malformed')}{where}."
    elif location == ("body",) and kind == "missing":
        message = "The request needs a JSON body."
    elif location == ("body",) and kind in ("model_attributes_type", "dict_type", "model_type"):
        message = "The body must be a JSON object"
        if "json" not in content_type:
            message += ", sent with 'Content-Type: application/json'"
    elif kind == "string_unicode":
        message = "must be text: it holds half of a UTF-16 surrogate pair (such as \\ud800), which is not a character"
    elif kind == "string_pattern_mismatch" and context.get("pattern") in PATTERN_MEANINGS:
        message = PATTERN_MEANINGS[context["pattern"]]
    elif kind == "value_error" and str(error.get("msg", "")).startswith(_VALUE_ERROR):
        message = error["msg"].removeprefix(_VALUE_ERROR)  # our own validators' words, whole sentences
    return {**error, "msg": message} if message else error


def install_error_handlers(app: FastAPI) -> None:
    document_error_responses(app)

    @app.exception_handler(NotFoundError)
    async def _not_found(_request: Request, error: NotFoundError) -> JSONResponse:
        return ReadableJSONResponse(status_code=404, content={"detail": str(error)})

    @app.exception_handler(FieldErrors)
    async def _field_errors(_request: Request, error: FieldErrors) -> JSONResponse:
        # Same shape as FastAPI's own 422 answers, so clients handle one format.
        detail = [item.answer() for item in error.errors]
        return ReadableJSONResponse(status_code=422, content={"detail": detail})

    @app.exception_handler(ForbiddenError)
    async def _forbidden(_request: Request, error: ForbiddenError) -> JSONResponse:
        return ReadableJSONResponse(status_code=403, content={"detail": str(error)})

    @app.exception_handler(ConflictError)
    async def _conflict(_request: Request, error: ConflictError) -> JSONResponse:
        return ReadableJSONResponse(status_code=409, content={"detail": str(error)})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        content_type = request.headers.get("content-type", "").lower()
        shapes = jsonable_encoder([_shortened(item) for item in error.errors()])
        detail = [_readable(item, content_type) for item in shapes]
        checks: ReferenceChecks | None = getattr(request.scope.get("endpoint"), _CHECKS_ATTRIBUTE, None)
        if checks is not None:
            unchecked = UncheckedRequest(error.body, request.query_params, request.path_params)
            found = await run_in_threadpool(_run_checks, request.app.state.session_factory, checks, unchecked)
            detail += [item.answer() for item in found]
        return ReadableJSONResponse(status_code=422, content={"detail": detail})


def _run_checks(
    session_factory: Callable[[], Session], checks: ReferenceChecks, request: UncheckedRequest
) -> list[FieldError]:
    with session_factory() as session:
        return checks(session, request)
