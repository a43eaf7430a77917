"""The words of a refusal by role: the right article before each role name."""

import pytest

from service.auth import refusal, with_article


@pytest.mark.parametrize(
    ("role", "phrase"),
    [("officer", "an officer"), ("admin", "an admin"), ("staff", "a staff"), ("supplier", "a supplier")],
)
def test_each_role_gets_its_article(role: str, phrase: str) -> None:
    assert with_article(role) == phrase


@pytest.mark.parametrize(
    ("role", "allowed", "message"),
    [
        (
            "officer",
            ("admin", "staff"),
            "An officer token may not do this; it needs an admin or staff token.",
        ),
        (
            "admin",
            ("officer",),
            "An admin token may not do this; it needs an officer token.",
        ),
        (
            "supplier",
            ("admin", "staff", "officer"),
            "A supplier token may not do this; it needs an admin, staff or officer token.",
        ),
        (
            "staff",
            ("supplier",),
            "A staff token may not do this; it needs a supplier token.",
        ),
    ],
)
def test_a_refusal_names_the_role_and_the_roles_that_may(role: str, allowed: tuple, message: str) -> None:
    assert refusal(role, allowed) == message
