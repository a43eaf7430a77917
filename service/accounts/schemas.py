"""Shapes of accounts: a new user as an admin describes one."""

from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, EmailStr, Field, StringConstraints, model_validator

from service.access import Role, binding_problem
from service.text_fields import MunicipalityNumber, NoControlCharacters, RecordId

PersonName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), NoControlCharacters
]
# The sign-in name: one spelling per person, however it was typed.
AccountEmail = Annotated[EmailStr, AfterValidator(str.lower)]


class UserBinding(BaseModel):
    """A person's role and what it is bound to: an officer's municipality, a supplier's organisation."""

    role: Role
    municipality_number: MunicipalityNumber | None = None
    supplier_id: RecordId | None = None

    @model_validator(mode="after")
    def _binding_fits_role(self) -> Self:
        problem = binding_problem("account", self.role, self.municipality_number, self.supplier_id)
        if problem:
            raise ValueError(problem)
        return self


class UserCreate(UserBinding):
    email: AccountEmail
    name: PersonName = Field(description="How the pages and the audit trail name the person.")
