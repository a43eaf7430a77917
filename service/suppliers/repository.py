"""All SQL about suppliers."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.models import Supplier


def get_supplier(session: Session, supplier_id: int) -> Supplier | None:
    return session.get(Supplier, supplier_id)


def get_by_organisation_number(session: Session, organisation_number: str) -> Supplier | None:
    return session.scalars(
        select(Supplier).where(Supplier.organisation_number == organisation_number)
    ).first()


def list_suppliers(session: Session, *, offset: int, limit: int) -> tuple[Sequence[Supplier], int]:
    total = session.scalar(select(func.count()).select_from(Supplier)) or 0
    items = session.scalars(select(Supplier).order_by(Supplier.id).offset(offset).limit(limit)).all()
    return items, total
