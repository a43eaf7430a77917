"""Passwords: argon2id hashes, and what a new password must be.

Length over complexity: no rules about character classes and no forced changes, but at least 15
characters, the minimum NIST SP 800-63B-4 sets for a password that is the only factor (a passphrase
of three or four words is longer). docs/accounts.md, "Passwords".
"""

import secrets
import unicodedata
from functools import cache
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 15
MAX_PASSWORD_LENGTH = 256  # a passphrase fits; more would only make hashing a lever for load
PasswordProblem = Literal["missing", "too_short", "too_long", "is_email", "mismatch"]

# argon2-cffi's defaults are RFC 9106's low-memory profile: argon2id, 3 passes over 64 MiB, 4 lanes.
# A hash made with other parameters verifies and is then made again with these (needs_rehash).
_hasher = PasswordHasher()


def _normal(password: str) -> str:
    """The same password however the keyboard composed it ("å" as one code point or two)."""
    return unicodedata.normalize("NFKC", password)


def hash_password(password: str) -> str:
    return _hasher.hash(_normal(password))


@cache
def _nobody() -> str:
    """A hash of a password nobody knows, to verify against when there is no account: an unknown
    e-mail address costs as long to refuse as a wrong password, so timing does not tell which it was."""
    return hash_password(secrets.token_urlsafe(32))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` is the one `stored_hash` was made from; False (after the same work) without a hash."""
    try:
        return _hasher.verify(stored_hash or _nobody(), _normal(password)) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def password_problem(password: str, *, repeated: str, email: str) -> PasswordProblem | None:
    """What is wrong with a new password typed twice (`password`, `repeated`) for the account `email`."""
    normal = _normal(password)
    if not normal:
        return "missing"
    if len(normal) < MIN_PASSWORD_LENGTH:
        return "too_short"
    if len(normal) > MAX_PASSWORD_LENGTH:
        return "too_long"
    if normal.casefold() == email.casefold():
        return "is_email"
    if normal != _normal(repeated):
        return "mismatch"
    return None
