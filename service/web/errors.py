"""Errors on pages answer an HTML page in the site's layout; the API keeps its JSON answers.

Which requests are pages is decided by the path alone, never by the Accept header (a browser, curl
and a script send different ones for the same address): every path is a page except the machine
paths below, the API under /api/ and the operational endpoints. So a mistyped address in a browser
gets a page, and a client of the API gets JSON for any path under /api/, even one that does not exist.
"""

import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from service.errors import ConflictError, FieldErrors, ForbiddenError, NotFoundError, ReadableJSONResponse
from service.web.assets import STATIC_URL
from service.web.field_reasons import reason_text
from service.web.i18n import page_locale
from service.web.messages import HOME_LINK, error_text, field_label, field_problem, not_found, service_reason
from service.web.templating import templates

MACHINE_PATHS = ("/api", STATIC_URL, "/health", "/metrics", "/openapi.json", "/alerts/feed", "/mcp")
ApiHandler = Callable[[Request, Any], Response | Awaitable[Response]]


def is_page(path: str) -> bool:
    return not any(path == machine or path.startswith(machine + "/") for machine in MACHINE_PATHS)


def error_page(
    request: Request,
    status: int,
    *,
    detail: str | None = None,
    problems: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    """`detail`: a sentence for a person about this case, in the reader's language (never an
    exception's text on a 500)."""
    text, page = error_text(status), page_locale(request)
    context = {
        "title": page.gettext(text.title),
        "explanation": page.gettext(text.explanation),
        "detail": detail,
        "problems": problems,
        "home_link": page.gettext(HOME_LINK),
    }
    return templates.TemplateResponse(request, "error.html", context, status_code=status, headers=headers)


def _sentence(message: str) -> str:
    return message if message.endswith((".", "!", "?")) else message + "."


def _http_error_page(request: Request, error: HTTPException) -> Response:
    detail, problems, page = None, list[str](), page_locale(request)
    if isinstance(error.detail, str) and error.detail != HTTPStatus(error.status_code).phrase:
        detail = _sentence(service_reason(error.detail, page))
    elif isinstance(error.detail, list):
        problems = [field_problem(item, page) for item in error.detail if isinstance(item, dict)]
    return error_page(request, error.status_code, detail=detail, problems=problems, headers=error.headers)


def _validation_page(request: Request, error: RequestValidationError) -> Response:
    page = page_locale(request)
    return error_page(request, 422, problems=[field_problem(item, page) for item in error.errors()])


def _field_errors_page(request: Request, error: FieldErrors) -> Response:
    page = page_locale(request)
    problems = [
        f"{field_label(item.location, page)}: {_sentence(reason_text(item.reason, item.message, page))}"
        for item in error.errors
    ]
    return error_page(request, 422, problems=problems)


def _not_found_page(request: Request, error: NotFoundError) -> Response:
    return error_page(request, 404, detail=not_found(error, page_locale(request)))


def _saying(status: int) -> Callable[[Request, Exception], Response]:
    """The page for a domain error whose message is written for people (it names no internals); the
    message is the service's, in English, until the service words its errors as facts."""
    return lambda request, error: error_page(request, status, detail=_sentence(str(error)))


# The page for each error the API answers with JSON.
PAGES: dict[type[Exception], Callable[[Request, Any], Response]] = {
    NotFoundError: _not_found_page,
    ForbiddenError: _saying(403),
    ConflictError: _saying(409),
    FieldErrors: _field_errors_page,
    RequestValidationError: _validation_page,
    HTTPException: _http_error_page,
}


def install_error_pages(app: FastAPI) -> None:
    """Pages get HTML for the errors the API's handlers answer with JSON, and for any failure.

    Call after the API's handlers are installed (service.errors.install_error_handlers): they still
    answer every request that is not for a page.
    """
    for error_class, page in PAGES.items():
        api_handler = app.exception_handlers[error_class]

        async def handler(
            request: Request,
            error: Exception,
            page: Callable[[Request, Any], Response] = page,
            api_handler: ApiHandler = api_handler,
        ) -> Response:
            if is_page(request.url.path):
                return page(request, error)
            answer = api_handler(request, error)
            return await answer if inspect.isawaitable(answer) else answer

        app.add_exception_handler(error_class, handler)

    @app.exception_handler(Exception)
    async def _failure(request: Request, _error: Exception) -> Response:
        # The error itself is logged by the server; neither answer shows its text.
        if is_page(request.url.path):
            return error_page(request, 500)
        content = {"detail": "Internal server error: the service could not answer. The error is in its log."}
        return ReadableJSONResponse(status_code=500, content=content)
