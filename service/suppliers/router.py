"""HTTP layer for suppliers."""

from fastapi import APIRouter, status

from service.auth import AdminDep, StaffDep, SupplierEditorDep
from service.deps import SessionDep
from service.notices.contracts import contracts_won
from service.openapi_errors import error_responses
from service.pagination import Page, PageDep
from service.suppliers import repository, service
from service.suppliers.schemas import SupplierCreate, SupplierRead, SupplierUpdate
from service.text_fields import RecordId

router = APIRouter(prefix="/api/v1/suppliers", tags=["suppliers"])


@router.post(
    "", response_model=SupplierRead, status_code=status.HTTP_201_CREATED, responses=error_responses(409)
)
def create_supplier(session: SessionDep, _staff: StaffDep, supplier_in: SupplierCreate) -> SupplierRead:
    """Register a supplier organisation (programme staff onboard suppliers); the organisation number
    must pass the mod-11 check."""
    return SupplierRead.model_validate(service.create(session=session, supplier_in=supplier_in))


@router.get("", response_model=Page[SupplierRead])
def list_suppliers(session: SessionDep, page: PageDep) -> Page[SupplierRead]:
    """Suppliers, oldest first."""
    items, total = repository.list_suppliers(session, offset=page.offset, limit=page.limit)
    return Page(
        items=[SupplierRead.model_validate(item) for item in items],
        total=total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/{supplier_id}", response_model=SupplierRead)
def get_supplier(session: SessionDep, supplier_id: RecordId) -> SupplierRead:
    """One supplier, with the contracts it won by award notices (contracts_won)."""
    supplier = service.get(session=session, supplier_id=supplier_id)
    won = contracts_won(session, supplier.organisation_number)
    return SupplierRead.model_validate(supplier).model_copy(update={"contracts_won": won})


@router.patch("/{supplier_id}", response_model=SupplierRead, responses=error_responses(409))
def update_supplier(
    session: SessionDep, editor: SupplierEditorDep, supplier_id: RecordId, supplier_in: SupplierUpdate
) -> SupplierRead:
    """Change a supplier's name, organisation number or website; a supplier changes only its own."""
    return SupplierRead.model_validate(
        service.update(session=session, supplier_id=supplier_id, supplier_in=supplier_in, caller=editor)
    )


@router.delete("/{supplier_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_supplier(session: SessionDep, _admin: AdminDep, supplier_id: RecordId) -> None:
    """Remove a supplier and its tokens; its solutions remain without a supplier."""
    service.delete(session=session, supplier_id=supplier_id)
