"""Passwords: what a new one must be, argon2id hashes, and rehashing when the parameters change."""

import pytest
from argon2 import PasswordHasher

from service.accounts.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)

EMAIL = "kari.nordmann@oslo.kommune.no"
GOOD = "korrekt hest batteri stift"


@pytest.mark.parametrize(
    ("password", "repeated", "problem"),
    [
        ("", "", "missing"),
        ("a" * (MIN_PASSWORD_LENGTH - 1), "a" * (MIN_PASSWORD_LENGTH - 1), "too_short"),
        ("x" * (MAX_PASSWORD_LENGTH + 1), "x" * (MAX_PASSWORD_LENGTH + 1), "too_long"),
        ("Kari.Nordmann@Oslo.Kommune.no", "Kari.Nordmann@Oslo.Kommune.no", "is_email"),
        (GOOD, GOOD + " ", "mismatch"),
        (GOOD, GOOD, None),
        ("a" * MIN_PASSWORD_LENGTH, "a" * MIN_PASSWORD_LENGTH, None),  # length only: no class rules
        ("blåbærsyltetøy på brødskiva", "blåbærsyltetøy på brødskiva", None),
    ],
)
def test_length_over_complexity(password: str, repeated: str, problem: str | None) -> None:
    assert password_problem(password, repeated=repeated, email=EMAIL) == problem


def test_length_is_counted_in_characters_after_normalisation() -> None:
    composed = "å" * MIN_PASSWORD_LENGTH
    decomposed = "a\u030a" * MIN_PASSWORD_LENGTH  # 30 code points that are 15 characters
    assert password_problem(decomposed, repeated=composed, email=EMAIL) is None


def test_a_hash_is_argon2id_and_verifies_only_its_password() -> None:
    stored = hash_password(GOOD)
    assert stored.startswith("$argon2id$")
    assert GOOD not in stored
    assert verify_password(stored, GOOD)
    assert not verify_password(stored, GOOD.upper())
    assert verify_password(stored, GOOD.replace("å", "a\u030a"))  # the same password, composed otherwise


def test_no_hash_never_verifies() -> None:
    assert not verify_password(None, GOOD)
    assert not verify_password("not a hash", GOOD)


def test_a_hash_with_weaker_parameters_needs_rehashing() -> None:
    weaker = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(GOOD)
    assert verify_password(weaker, GOOD)  # still verifies ...
    assert needs_rehash(weaker)  # ... and is then made again with today's parameters
    assert not needs_rehash(hash_password(GOOD))
