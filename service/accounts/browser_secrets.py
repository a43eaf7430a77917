"""The secrets a browser holds (the session cookie, and before sign-in a pre-session cookie) and the
CSRF token derived from each.

The CSRF token is an HMAC of the cookie's secret: a page can carry it in its forms, while the cookie
is HttpOnly and never readable by a script. A site that makes a browser send a form cannot read the
cookie, so it cannot compute the token; the token does not reveal the secret (HMAC is one-way). It
needs no key of the app's own, so every process and machine serving one database agrees on it.
"""

import hashlib
import hmac
import secrets

SESSION_COOKIE = "innomatch_session"
PRE_SESSION_COOKIE = "innomatch_presession"  # protects the sign-in and invitation forms
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"  # for a script on a page that calls the API with the session cookie
_CSRF_PURPOSE = b"innomatch csrf token"


def new_secret() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def csrf_token_for(secret: str) -> str:
    return hmac.new(secret.encode(), _CSRF_PURPOSE, hashlib.sha256).hexdigest()


def same_token(sent: str | None, expected: str) -> bool:
    """Whether `sent` is `expected`, compared in constant time; nothing sent is never a match."""
    return bool(sent) and hmac.compare_digest((sent or "").encode(), expected.encode())


def csrf_matches(sent: str | None, secret: str | None) -> bool:
    """Whether `sent` is the CSRF token of the cookie secret `secret`."""
    return secret is not None and bool(secret) and same_token(sent, csrf_token_for(secret))
