"""The cookies of the pages: HttpOnly (no script reads them), SameSite=Lax (another site's form or
script does not send them, a link from it does), path /, and Secure when the request came over HTTPS.

Whether it did is `request.url.scheme`: behind a proxy uvicorn and gunicorn set it from
X-Forwarded-Proto only for a proxy on the same machine (their forwarded_allow_ips, 127.0.0.1 and ::1
unless FORWARDED_ALLOW_IPS says otherwise); the app trusts no proxy of its own.
"""

from fastapi import Request, Response

from service.accounts.browser_secrets import PRE_SESSION_COOKIE, new_secret


def _flags(request: Request) -> dict[str, bool | str]:
    return {"path": "/", "httponly": True, "samesite": "lax", "secure": request.url.scheme == "https"}


def set_cookie(
    response: Response, request: Request, name: str, value: str, *, max_age: int | None = None
) -> None:
    """`max_age` None: the cookie lasts as long as the browser runs."""
    response.set_cookie(name, value, max_age=max_age, **_flags(request))  # type: ignore[arg-type]


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, **_flags(request))  # type: ignore[arg-type]


def pre_session_secret(request: Request) -> tuple[str, bool]:
    """The secret of the pre-session cookie the sign-in and invitation forms are tied to: the browser's,
    or a new one (True: the answer must set it)."""
    existing = request.cookies.get(PRE_SESSION_COOKIE)
    return (existing, False) if existing else (new_secret(), True)


def no_store(response: Response) -> Response:
    """Pages with a person's data or a secret are not kept in a cache or the back-forward history."""
    response.headers["Cache-Control"] = "no-store"
    return response
