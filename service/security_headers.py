"""Security headers on every answer, pages and API alike, including the errors of the outer middleware.

The Content-Security-Policy lets a page load only from the app itself: scripts and styles from files
(never inline; the pages have no style attributes), images from the app or data: addresses. It also
stops a vendored library from fetching from elsewhere at run time (ReDoc's bundle asks its maker's CDN
for a logo). Only ReDoc's page keeps inline styles: it writes its styles into <style> elements at run
time (styled-components).
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

INLINE_STYLE_PATHS = ("/redoc",)


def _policy(style_sources: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            f"style-src {style_sources}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self' blob:",  # ReDoc's search runs in a worker made from a blob
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


CONTENT_SECURITY_POLICY = _policy("'self'")
INLINE_STYLE_CONTENT_SECURITY_POLICY = _policy("'self' 'unsafe-inline'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Cross-Origin-Opener-Policy": "same-origin",
}


def security_headers(path: str) -> dict[str, str]:
    """The headers of the answer to `path`: ReDoc's page allows inline styles."""
    if path in INLINE_STYLE_PATHS:
        return SECURITY_HEADERS | {"Content-Security-Policy": INLINE_STYLE_CONTENT_SECURITY_POLICY}
    return SECURITY_HEADERS


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = security_headers(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
