"""Who may see and change what: the one rule set of the API and the pages.

Service functions take the caller (a `Principal`) and apply these rules themselves, so that a router
or a page only translates and the two can never disagree. Roles: admin (everything), staff (programme
staff: partnerships, audit, needs and suppliers of any municipality), officer (the needs, feedback and
KPI data of one municipality), supplier (the solutions and profile of one supplier organisation).
Without a token a caller is anonymous and reads public data.
"""

import getpass
import os
from dataclasses import dataclass
from typing import Literal

from service.errors import ForbiddenError, NotFoundError

Role = Literal["admin", "staff", "officer", "supplier"]
UNPUBLISHED_STATUSES = ("draft", "archived")


@dataclass(frozen=True)
class Principal:
    """The caller of one request."""

    role: Role | Literal["anonymous"]
    actor: str  # how the audit trail and feedback name the caller
    municipality_number: str | None = None  # officers only
    supplier_id: int | None = None  # suppliers only
    user_id: int | None = None  # the person: signed in, or calling with their own token
    token_id: int | None = None  # the token called with, if any

    @property
    def sees_everything(self) -> bool:
        """Admins and programme staff see unpublished records, contact data, feedback, the audit trail and
        who recorded what (a pilot outcome's recorder)."""
        return self.role in ("admin", "staff")

    @property
    def sees_contact_data(self) -> bool:
        """A need's contact person is personal data: only callers with a token see it."""
        return self.role != "anonymous"


ANONYMOUS = Principal(role="anonymous", actor="anonymous")
BOOTSTRAP_ADMIN = Principal(role="admin", actor="admin")


def operator() -> Principal:
    """Whoever runs the `innomatch` command: they can read the database anyway; the audit trail names
    their account."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):  # a container user with no name
        account = f"uid {os.getuid()}"
    return Principal(role="admin", actor=f"cli ({account})")


def binding_problem(
    kind: str, role: str, municipality_number: str | None, supplier_id: int | None
) -> str | None:
    """What is wrong with a role's binding, for a token or an account (`kind`): an officer acts for
    one municipality, a supplier for one supplier organisation, and no other role is bound."""
    if role == "officer" and municipality_number is None:
        return f"an officer {kind} needs the officer's municipality_number"
    if role == "supplier" and supplier_id is None:
        return f"a supplier {kind} needs the supplier_id of the supplier organisation"
    if role != "officer" and municipality_number is not None:
        return f"only officer {kind}s are bound to a municipality"
    if role != "supplier" and supplier_id is not None:
        return f"only supplier {kind}s are bound to a supplier"
    return None


def ensure_municipality(caller: Principal, municipality_number: str | None) -> None:
    """An officer acts only for its own municipality; other roles pass."""
    if caller.role == "officer" and municipality_number != caller.municipality_number:
        other = f"municipality {municipality_number}" if municipality_number else "records without one"
        raise ForbiddenError(
            f"An officer token acts only for its own municipality ({caller.municipality_number}), not for {other}."
        )


def ensure_supplier(caller: Principal, supplier_id: int | None) -> None:
    """A supplier acts only for its own organisation; other roles pass."""
    if caller.role == "supplier" and supplier_id != caller.supplier_id:
        other = f"supplier {supplier_id}" if supplier_id else "records without one"
        raise ForbiddenError(
            f"A supplier token acts only for its own supplier ({caller.supplier_id}), not for {other}."
        )


def sees_solution(caller: Principal, *, status: str, supplier_id: int | None) -> bool:
    """Published solutions are public; drafts and archived ones only for their supplier, staff and admins."""
    return (
        status == "published"
        or caller.sees_everything
        or (caller.role == "supplier" and caller.supplier_id == supplier_id)
    )


def ensure_sees_solution(
    caller: Principal, *, solution_id: int, status: str, supplier_id: int | None
) -> None:
    """404, not 403, for a solution the caller may not see: whether it exists is itself not public."""
    if not sees_solution(caller, status=status, supplier_id=supplier_id):
        raise NotFoundError("Solution", solution_id)


def ensure_may_filter_unpublished(caller: Principal, status_filter: str | None) -> None:
    """Only staff and admins match against draft or archived solutions."""
    if status_filter in UNPUBLISHED_STATUSES and not caller.sees_everything:
        raise ForbiddenError(f"Only programme staff and admins may match against {status_filter} solutions.")
