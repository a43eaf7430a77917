"""Domain errors and how they become HTTP answers a person can read."""

from collections.abc import Sequence

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


class NotFoundError(Exception):
    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key} does not exist")
        self.kind = kind
        self.key = key


class FieldError(Exception):
    """A value that is well-formed but wrong (an unknown KPI code, an invalid organisation number)."""

    def __init__(self, location: Sequence[str | int], message: str, error_type: str = "value_error") -> None:
        super().__init__(message)
        self.location = tuple(location)
        self.message = message
        self.error_type = error_type


class FieldErrors(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


class ConflictError(Exception):
    """The request clashes with what is stored (a duplicate organisation number)."""


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFoundError)
    async def _not_found(_request: Request, error: NotFoundError) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(error)})

    @app.exception_handler(FieldErrors)
    async def _field_errors(_request: Request, error: FieldErrors) -> JSONResponse:
        # Same shape as FastAPI's own 422 answers, so clients handle one format.
        detail = [
            {"loc": ["body", *item.location], "msg": item.message, "type": item.error_type}
            for item in error.errors
        ]
        return JSONResponse(status_code=422, content={"detail": detail})

    @app.exception_handler(ConflictError)
    async def _conflict(_request: Request, error: ConflictError) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": str(error)})
