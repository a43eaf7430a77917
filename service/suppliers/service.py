"""Supplier logic: one organisation number, one supplier."""

from sqlalchemy.orm import Session

from service.access import Principal, ensure_supplier
from service.errors import ConflictError, NotFoundError
from service.models import Supplier
from service.suppliers import repository
from service.suppliers.schemas import SupplierCreate, SupplierUpdate


def get(*, session: Session, supplier_id: int) -> Supplier:
    supplier = repository.get_supplier(session, supplier_id)
    if supplier is None:
        raise NotFoundError("Supplier", supplier_id)
    return supplier


def _refuse_duplicate(session: Session, organisation_number: str, own_id: int | None = None) -> None:
    existing = repository.get_by_organisation_number(session, organisation_number)
    if existing is not None and existing.id != own_id:
        raise ConflictError(
            f"organisation number {organisation_number} is already registered (supplier {existing.id})"
        )


def create(*, session: Session, supplier_in: SupplierCreate) -> Supplier:
    _refuse_duplicate(session, supplier_in.organisation_number)
    supplier = Supplier(
        name=supplier_in.name,
        organisation_number=supplier_in.organisation_number,
        website=str(supplier_in.website) if supplier_in.website else None,
    )
    session.add(supplier)
    session.commit()
    return supplier


def update(*, session: Session, supplier_id: int, supplier_in: SupplierUpdate, caller: Principal) -> Supplier:
    """A supplier changes only its own profile."""
    ensure_supplier(caller, supplier_id)
    supplier = get(session=session, supplier_id=supplier_id)
    changes = supplier_in.model_dump(exclude_unset=True)
    if changes.get("organisation_number"):
        _refuse_duplicate(session, changes["organisation_number"], own_id=supplier_id)
    for field, value in changes.items():
        if field in ("name", "organisation_number") and value is None:
            continue  # None leaves a required field as it is, as for needs and solutions
        setattr(supplier, field, str(value) if field == "website" and value else value)
    session.commit()
    return supplier


def delete(*, session: Session, supplier_id: int) -> None:
    """Remove a supplier; its solutions stay, without a supplier."""
    session.delete(get(session=session, supplier_id=supplier_id))
    session.commit()
