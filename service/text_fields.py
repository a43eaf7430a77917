"""Field types shared by the write schemas: limits a person can read in a 422."""

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from service.identifiers import compact_kpi_code, normal_cpv_code
from service.language import Language, normalise_language

MAX_TITLE_LENGTH = 300
MAX_TEXT_LENGTH = 20_000


def _language(value: object) -> object:
    if isinstance(value, str):
        normal = normalise_language(value)
        if normal is None:
            raise ValueError("language must be 'no' (Norwegian) or 'en' (English)")
        return normal
    return value


def _kpi_codes(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(compact_kpi_code(code) for code in codes))


def _cpv_codes(codes: list[str]) -> list[str]:
    normal = []
    for code in codes:
        cpv = normal_cpv_code(code)
        if cpv is None:
            raise ValueError(f"'{code}' is not a CPV code (eight digits, optionally '-' and a check digit)")
        normal.append(cpv)
    return list(dict.fromkeys(normal))


Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE_LENGTH)]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_LENGTH)
]
LanguageField = Annotated[Language, BeforeValidator(_language)]
KpiCodes = Annotated[
    list[Annotated[str, StringConstraints(max_length=30)]], Field(max_length=50), AfterValidator(_kpi_codes)
]
CpvCodes = Annotated[
    list[Annotated[str, StringConstraints(max_length=12)]], Field(max_length=50), AfterValidator(_cpv_codes)
]
Sdgs = Annotated[list[Annotated[int, Field(ge=1, le=17)]], Field(max_length=17)]
MunicipalityNumber = Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
CountyNumber = Annotated[str, StringConstraints(pattern=r"^\d{2}$")]
Trl = Annotated[int, Field(ge=1, le=9, description="Technology readiness level, 1-9.")]
