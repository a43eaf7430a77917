"""A signed-in person as the caller of a request: the same Principal a token of their role would be."""

from service.access import Principal, Role
from service.models import User


def actor_of(user: User) -> str:
    """How the audit trail, feedback and partnerships name the person: "Kari Nordmann (officer user 3)"."""
    return f"{user.name} ({user.role} user {user.id})"[:100]


def principal_of(user: User) -> Principal:
    role: Role = user.role  # type: ignore[assignment]  # the column only ever holds a Role
    return Principal(
        role=role,
        actor=actor_of(user),
        municipality_number=user.municipality_number,
        supplier_id=user.supplier_id,
        user_id=user.id,
    )
