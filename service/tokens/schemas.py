"""API shapes of tokens."""

from datetime import datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from service.access import Role, binding_problem
from service.text_fields import MunicipalityNumber, NoControlCharacters, RecordId

TokenName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), NoControlCharacters
]


class TokenCreate(BaseModel):
    name: TokenName = Field(description="Who holds the token; it names them in the audit trail.")
    role: Role
    municipality_number: MunicipalityNumber | None = Field(
        default=None, description="The officer's municipality (officers only, and required for them)."
    )
    supplier_id: RecordId | None = Field(
        default=None, description="The supplier organisation (suppliers only, and required for them)."
    )

    @model_validator(mode="after")
    def _binding_fits_role(self) -> Self:
        problem = binding_problem("token", self.role, self.municipality_number, self.supplier_id)
        if problem:
            raise ValueError(problem)
        return self


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    role: Role
    municipality_number: str | None
    supplier_id: int | None
    prefix: str = Field(description="The token's first characters, to recognise it.")
    created_by: str
    created_at: datetime
    revoked_at: datetime | None
    owner_user_id: int | None = Field(
        default=None, description="The person whose own token this is (made on their profile page)."
    )


class TokenCreated(TokenRead):
    token: str = Field(description="The secret. It is shown this once and stored only as a hash.")
