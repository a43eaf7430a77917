"""The access rules of service.access: who sees and changes what, and the words of a refusal."""

import getpass

import pytest

from service import access
from service.access import (
    ANONYMOUS,
    Principal,
    ensure_may_filter_unpublished,
    ensure_municipality,
    ensure_sees_solution,
    ensure_supplier,
    sees_solution,
)
from service.errors import ForbiddenError, NotFoundError

ADMIN = Principal(role="admin", actor="admin")
STAFF = Principal(role="staff", actor="kari")
OFFICER = Principal(role="officer", actor="ola", municipality_number="5001")
SUPPLIER = Principal(role="supplier", actor="firma", supplier_id=7)


def test_only_admins_and_staff_see_everything() -> None:
    assert [p.sees_everything for p in (ADMIN, STAFF, OFFICER, SUPPLIER, ANONYMOUS)] == [
        True,
        True,
        False,
        False,
        False,
    ]


def test_every_caller_with_a_token_sees_contact_data_but_the_anonymous_one_does_not() -> None:
    assert [p.sees_contact_data for p in (ADMIN, STAFF, OFFICER, SUPPLIER, ANONYMOUS)] == [
        True,
        True,
        True,
        True,
        False,
    ]


def test_an_officer_may_act_for_its_own_municipality() -> None:
    ensure_municipality(OFFICER, "5001")


@pytest.mark.parametrize(
    ("municipality", "message"),
    [
        ("0301", "An officer token acts only for its own municipality (5001), not for municipality 0301."),
        (None, "An officer token acts only for its own municipality (5001), not for records without one."),
    ],
)
def test_an_officer_is_refused_for_another_or_no_municipality_with_a_readable_message(
    municipality: str | None, message: str
) -> None:
    with pytest.raises(ForbiddenError) as refused:
        ensure_municipality(OFFICER, municipality)
    assert str(refused.value) == message


@pytest.mark.parametrize("caller", [ADMIN, STAFF, SUPPLIER, ANONYMOUS])
def test_the_municipality_rule_binds_only_officers(caller: Principal) -> None:
    ensure_municipality(caller, "0301")
    ensure_municipality(caller, None)


def test_a_supplier_may_act_for_itself_and_is_refused_for_another_supplier() -> None:
    ensure_supplier(SUPPLIER, 7)
    with pytest.raises(ForbiddenError) as refused:
        ensure_supplier(SUPPLIER, 8)
    assert str(refused.value) == "A supplier token acts only for its own supplier (7), not for supplier 8."


def test_a_supplier_is_refused_for_a_record_without_supplier() -> None:
    with pytest.raises(ForbiddenError) as refused:
        ensure_supplier(SUPPLIER, None)
    assert (
        str(refused.value)
        == "A supplier token acts only for its own supplier (7), not for records without one."
    )


@pytest.mark.parametrize("caller", [ADMIN, STAFF, OFFICER, ANONYMOUS])
def test_the_supplier_rule_binds_only_suppliers(caller: Principal) -> None:
    ensure_supplier(caller, 8)
    ensure_supplier(caller, None)


@pytest.mark.parametrize(
    ("caller", "status", "supplier_id", "visible"),
    [
        (ANONYMOUS, "published", 8, True),
        (ANONYMOUS, "draft", 8, False),
        (OFFICER, "archived", 8, False),
        (SUPPLIER, "draft", 7, True),  # its own draft
        (SUPPLIER, "archived", 7, True),
        (SUPPLIER, "draft", 8, False),  # another supplier's draft
        (SUPPLIER, "draft", None, False),
        (STAFF, "draft", 8, True),
        (ADMIN, "archived", None, True),
    ],
)
def test_unpublished_solutions_are_seen_only_by_their_supplier_staff_and_admins(
    caller: Principal, status: str, supplier_id: int | None, visible: bool
) -> None:
    assert sees_solution(caller, status=status, supplier_id=supplier_id) is visible


def test_a_hidden_solution_is_not_found_rather_than_forbidden() -> None:
    with pytest.raises(NotFoundError) as hidden:
        ensure_sees_solution(OFFICER, solution_id=12, status="draft", supplier_id=7)
    assert (hidden.value.kind, hidden.value.key, str(hidden.value)) == (
        "Solution",
        12,
        "Solution 12 does not exist",
    )
    ensure_sees_solution(SUPPLIER, solution_id=12, status="draft", supplier_id=7)


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_only_staff_and_admins_may_match_against_unpublished_solutions(status: str) -> None:
    ensure_may_filter_unpublished(STAFF, status)
    ensure_may_filter_unpublished(ADMIN, status)
    for caller in (OFFICER, SUPPLIER, ANONYMOUS):
        with pytest.raises(ForbiddenError) as refused:
            ensure_may_filter_unpublished(caller, status)
        assert str(refused.value) == f"Only programme staff and admins may match against {status} solutions."


@pytest.mark.parametrize("status", [None, "published"])
def test_anyone_may_match_against_published_solutions_or_without_a_status_filter(status: str | None) -> None:
    ensure_may_filter_unpublished(ANONYMOUS, status)


def test_the_operator_is_an_admin_named_after_the_account_running_the_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "kari")
    assert access.operator() == Principal(role="admin", actor="cli (kari)")
