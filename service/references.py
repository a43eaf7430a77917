"""Checks that the codes and numbers a write refers to exist, reported per field."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from service.errors import FieldError, FieldErrors, ReferenceChecks, UncheckedRequest
from service.kpis.repository import kpis_by_code
from service.municipalities.repository import existing_county_numbers, existing_municipality_numbers
from service.reasons import Reason
from service.suppliers.repository import get_supplier
from service.well_formed import well_formed, well_formed_items


class ReferenceCheck:
    """Collects every wrong reference of one request so the answer lists them all at once."""

    def __init__(
        self, session: Session, *, at: tuple[str | int, ...] = (), errors: list[FieldError] | None = None
    ) -> None:
        self._session = session
        self._at = at
        self._errors: list[FieldError] = [] if errors is None else errors

    def within(self, *steps: str | int) -> "ReferenceCheck":
        """The same check, naming fields inside `steps` (a batch's ("items", 3)); errors are shared."""
        return ReferenceCheck(self._session, at=(*self._at, *steps), errors=self._errors)

    @property
    def session(self) -> Session:
        """For a caller's own checks against what is stored."""
        return self._session

    @property
    def errors(self) -> list[FieldError]:
        return self._errors

    def add(self, location: Sequence[str | int], message: str, reason: Reason | None = None) -> None:
        """A wrong reference found by a check of the caller's own; `reason` is the message as data."""
        self._errors.append(FieldError((*self._at, *location), message, reason=reason))

    def kpi_codes(self, field: str, codes: Sequence[str] | None) -> None:
        if not codes:
            return
        known = kpis_by_code(self._session, codes)
        for position, code in enumerate(codes):
            if code not in known:
                self.add(
                    (field, position),
                    f"unknown U4SSC KPI code '{code}' (see GET /api/v1/kpis)",
                    Reason("unknown_kpi", {"code": code}),
                )

    def municipality(self, field: str, number: str | None) -> None:
        if number is not None and not existing_municipality_numbers(self._session, [number]):
            self.add(
                (field,),
                f"unknown municipality number '{number}' (see GET /api/v1/municipalities)",
                Reason("unknown_municipality", {"number": number}),
            )

    def municipalities(self, field: str, numbers: Sequence[str] | None) -> None:
        if not numbers:
            return
        known = existing_municipality_numbers(self._session, numbers)
        for position, number in enumerate(numbers):
            if number not in known:
                self.add(
                    (field, position),
                    f"unknown municipality number '{number}' (see GET /api/v1/municipalities)",
                    Reason("unknown_municipality", {"number": number}),
                )

    def counties(self, field: str, numbers: Sequence[str] | None) -> None:
        if not numbers:
            return
        known = existing_county_numbers(self._session, numbers)
        for position, number in enumerate(numbers):
            if number not in known:
                self.add(
                    (field, position),
                    f"unknown county number '{number}' (see county_number in GET /api/v1/municipalities)",
                    Reason("unknown_county", {"number": number}),
                )

    def supplier(self, field: str, supplier_id: int | None) -> None:
        if supplier_id is not None and get_supplier(self._session, supplier_id) is None:
            self.add(
                (field,),
                f"supplier {supplier_id} does not exist (see GET /api/v1/suppliers)",
                Reason("unknown_supplier", {"id": supplier_id}),
            )

    def raise_if_any(self) -> None:
        if self._errors:
            raise FieldErrors(self._errors)


# The reference checks of one record's fields (a solution's, a need's), given them as a dict.
RecordCheck = Callable[[ReferenceCheck, Mapping[str, Any]], None]


def checks_of_record(model: type[BaseModel], check: RecordCheck) -> ReferenceChecks:
    """`check` on a body that is one record of `model`, for `service.errors.checks_references`."""

    def checks(session: Session, request: UncheckedRequest) -> list[FieldError]:
        found = ReferenceCheck(session)
        check(found, well_formed(model, request.body))
        return found.errors

    return checks


def checks_of_items(model: type[BaseModel], check: RecordCheck, field: str, limit: int) -> ReferenceChecks:
    """`check` on each record of `model` in the body's list `field` (a batch), located by position."""

    def checks(session: Session, request: UncheckedRequest) -> list[FieldError]:
        found = ReferenceCheck(session)
        for position, fields in enumerate(well_formed_items(model, request.body, field, limit)):
            check(found.within(field, position), fields)
        return found.errors

    return checks
