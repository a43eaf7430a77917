"""Checks that the codes and numbers a write refers to exist, reported per field."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from service.errors import FieldError, FieldErrors
from service.kpis.repository import kpis_by_code
from service.municipalities.repository import existing_county_numbers, existing_municipality_numbers
from service.suppliers.repository import get_supplier


class ReferenceCheck:
    """Collects every wrong reference of one request so the answer lists them all at once."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._errors: list[FieldError] = []

    def kpi_codes(self, field: str, codes: Sequence[str] | None) -> None:
        if not codes:
            return
        known = kpis_by_code(self._session, codes)
        for position, code in enumerate(codes):
            if code not in known:
                self._errors.append(
                    FieldError((field, position), f"unknown U4SSC KPI code '{code}' (see GET /api/v1/kpis)")
                )

    def municipality(self, field: str, number: str | None) -> None:
        if number is not None and not existing_municipality_numbers(self._session, [number]):
            self._errors.append(
                FieldError(
                    (field,), f"unknown municipality number '{number}' (see GET /api/v1/municipalities)"
                )
            )

    def municipalities(self, field: str, numbers: Sequence[str] | None) -> None:
        if not numbers:
            return
        known = existing_municipality_numbers(self._session, numbers)
        for position, number in enumerate(numbers):
            if number not in known:
                self._errors.append(FieldError((field, position), f"unknown municipality number '{number}'"))

    def counties(self, field: str, numbers: Sequence[str] | None) -> None:
        if not numbers:
            return
        known = existing_county_numbers(self._session, numbers)
        for position, number in enumerate(numbers):
            if number not in known:
                self._errors.append(FieldError((field, position), f"unknown county number '{number}'"))

    def supplier(self, field: str, supplier_id: int | None) -> None:
        if supplier_id is not None and get_supplier(self._session, supplier_id) is None:
            self._errors.append(FieldError((field,), f"supplier {supplier_id} does not exist"))

    def raise_if_any(self) -> None:
        if self._errors:
            raise FieldErrors(self._errors)
