"""Checks and normal forms for Norwegian and U4SSC identifiers."""

import re

_ORGANISATION_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
# [0-9], not \d: \d takes any Unicode digit ("٥", "５"), which no register or filter stores.
_OFFICIAL_KPI_CODE = re.compile(r"^\s*([A-Z]{2})\s*:\s*([A-Z]+)\s*:\s*([A-Z]+)\s*:\s*([0-9]+[CA])\s*$")
_CPV_CODE = re.compile(r"^([0-9]{8})(?:-[0-9])?$")


def is_ascii_number(value: str) -> bool:
    """Digits 0-9 only: str.isdigit() also takes "²" and "５", which int() reads differently or not at all."""
    return value.isascii() and value.isdecimal()


def is_valid_organisation_number(value: str) -> bool:
    """Brønnøysund organisation numbers: nine digits, the last a mod-11 check digit."""
    if len(value) != 9 or not is_ascii_number(value):
        return False
    weighted = sum(
        int(digit) * weight for digit, weight in zip(value, _ORGANISATION_NUMBER_WEIGHTS, strict=False)
    )
    check = 11 - weighted % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(value[8])


def compact_kpi_code(code: str) -> str:
    """`EC: I: WS: 3C` and `ec-i-ws-3c` both become `EC-I-WS-3C`."""
    official = _OFFICIAL_KPI_CODE.match(code.upper())
    if official:
        return "-".join(official.groups())
    return code.strip().upper()


def normal_cpv_code(code: str) -> str | None:
    """Eight digits, an optional check digit dropped; None when it is not a CPV code."""
    match = _CPV_CODE.match(code.strip())
    return match.group(1) if match else None
