"""Which write tools a caller gets, failures as sentences, and the Host/Origin checks' lists."""

import pytest
from pydantic import BaseModel, ValidationError

from service.access import ANONYMOUS, BOOTSTRAP_ADMIN, Principal
from service.errors import FieldError, FieldErrors, ForbiddenError, NotFoundError
from service.mcp.errors import explained
from service.mcp.http import transport_security
from service.mcp.server import WriteRights
from service.text_fields import MunicipalityNumber


@pytest.mark.parametrize(
    ("caller", "rights"),
    [
        (ANONYMOUS, WriteRights(create_needs=False, save_searches=False)),
        # The bootstrap token belongs to nobody: it may write needs but own no saved search.
        (BOOTSTRAP_ADMIN, WriteRights(create_needs=True, save_searches=False)),
        (Principal("officer", "o", municipality_number="5001", token_id=3), WriteRights(True, True)),
        (Principal("staff", "s", user_id=4), WriteRights(True, True)),
        (Principal("supplier", "l", supplier_id=1, token_id=5), WriteRights(False, True)),
    ],
)
def test_write_tools_follow_the_api_roles(caller: Principal, rights: WriteRights) -> None:
    assert WriteRights.of(caller) == rights


class _Arguments(BaseModel):
    municipality_number: MunicipalityNumber
    limit: int


def test_argument_errors_name_each_argument_in_words() -> None:
    with pytest.raises(ValidationError) as error:
        _Arguments.model_validate({"municipality_number": "50"})
    assert explained("municipality_gaps", error.value) == (
        "The arguments of municipality_gaps are not valid: municipality_number: must be a four-digit "
        "municipality number (SSB numbering), e.g. 5001; limit: is required."
    )


def test_refusals_say_the_services_words() -> None:
    assert (
        explained("match_need", NotFoundError("Need", 9)) == "match_need was refused: Need 9 does not exist."
    )
    assert explained("create_need", ForbiddenError("Not yours")) == "create_need was refused: Not yours."
    wrong = FieldErrors([FieldError(("kpi_codes", 0), "unknown KPI code XX")])
    assert explained("create_need", wrong) == "create_need was refused: kpi_codes.0: unknown KPI code XX."
    assert (
        explained("search_needs", RuntimeError("database is locked")) is None
    )  # not the caller's: no detail


def test_hosts_and_origins_are_the_public_address_and_the_loopback() -> None:
    security = transport_security("https://innomatch.example.no/")
    assert security.enable_dns_rebinding_protection
    assert security.allowed_hosts == [
        "innomatch.example.no",
        "innomatch.example.no:*",
        "127.0.0.1:*",
        "localhost:*",
        "[::1]:*",
    ]
    assert security.allowed_origins[0] == "https://innomatch.example.no"
