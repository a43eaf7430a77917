"""Every answer carries the security headers: pages, their errors, the API, static files, refusals."""

import socket

import httpx
import pytest

from service.security_headers import SECURITY_HEADERS, security_headers
from tests.support.servers import LiveServer


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/docs", 200),
        ("GET", "/redoc", 200),
        ("GET", "/needs/424242", 404),
        ("GET", "/api/v1/needs", 200),
        ("GET", "/api/v1/needs/424242", 404),
        ("GET", "/health", 200),
        ("GET", "/static/favicon.svg", 200),
        ("POST", "/api/v1/needs", 401),
    ],
)
def test_every_answer_has_the_security_headers(
    live_server: LiveServer, method: str, path: str, status: int
) -> None:
    with httpx.Client(base_url=live_server.base_url) as client:
        response = client.request(method, path)
    assert response.status_code == status
    for name, value in security_headers(path.split("?")[0]).items():
        assert response.headers.get(name) == value, name


def test_a_body_refused_as_too_large_has_them_too(live_server: LiveServer) -> None:
    """The refusal comes from the outer middleware before the app reads a byte of the body."""
    host, port = live_server.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(
            b"POST /api/v1/needs HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000000000000\r\n\r\n"
        )
        head = connection.recv(65536).split(b"\r\n\r\n")[0].decode().lower()
    assert head.startswith("http/1.1 413")
    assert "x-content-type-options: nosniff" in head
    assert "frame-ancestors 'none'" in head


def _policy(path: str) -> dict[str, str]:
    return dict(part.split(" ", 1) for part in security_headers(path)["Content-Security-Policy"].split("; "))


@pytest.mark.parametrize("path", ["/", "/needs/1", "/docs", "/redoc", "/api/v1/needs"])
def test_the_policy_allows_no_inline_script_and_no_other_host(path: str) -> None:
    policy = _policy(path)
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert all("http" not in sources and "*" not in sources for sources in policy.values())


def test_only_redoc_may_style_inline() -> None:
    """The pages and Swagger UI have no inline styles (a browser test sees no policy violation on the
    pages, and Swagger UI renders); ReDoc writes <style> elements."""
    assert _policy("/")["style-src"] == _policy("/needs/1")["style-src"] == "'self'"
    assert _policy("/docs")["style-src"] == "'self'"
    assert _policy("/redoc")["style-src"] == "'self' 'unsafe-inline'"
    assert SECURITY_HEADERS["Content-Security-Policy"] == security_headers("/")["Content-Security-Policy"]
