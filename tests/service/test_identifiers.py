"""Organisation numbers, KPI codes, CPV codes and language detection."""

import pytest

from service.identifiers import compact_kpi_code, is_valid_organisation_number, normal_cpv_code
from service.language import detect_language, normalise_language


@pytest.mark.parametrize("number", ["974760673", "958935420", "923609016", "991825827"])
def test_real_organisation_numbers_pass_mod11(number: str) -> None:
    assert is_valid_organisation_number(number)


@pytest.mark.parametrize("number", ["974760674", "97476067", "9747606730", "97476067a", "000000001", ""])
def test_wrong_organisation_numbers_fail(number: str) -> None:
    assert not is_valid_organisation_number(number)


def test_a_check_digit_of_ten_is_never_valid() -> None:
    # 10000001x: weighted sum 3 + 2 = 5 -> check 11 - 5 = 6; 1000000060 style numbers with remainder 1 give 10.
    candidates = [f"{prefix:08d}" for prefix in range(10_000_000, 10_000_400)]
    ten = [
        p
        for p in candidates
        if 11 - sum(int(d) * w for d, w in zip(p, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11 == 10
    ]
    assert ten
    assert not any(is_valid_organisation_number(prefix + digit) for prefix in ten for digit in "0123456789")


@pytest.mark.parametrize(
    ("raw", "compact"),
    [
        ("EC: I: WS: 3C", "EC-I-WS-3C"),
        ("ec-i-ws-3c", "EC-I-WS-3C"),
        ("SC:SH:SA:5A", "SC-SH-SA-5A"),
        (" EN-E-E-1C ", "EN-E-E-1C"),
    ],
)
def test_kpi_codes_are_compacted(raw: str, compact: str) -> None:
    assert compact_kpi_code(raw) == compact


def test_cpv_codes() -> None:
    assert normal_cpv_code("38421100-3") == "38421100"
    assert normal_cpv_code("48000000") == "48000000"
    assert normal_cpv_code("4800") is None
    assert normal_cpv_code("48000000-33") is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hjemmetjenesten trenger digitalt tilsyn om natten for brukere med demens.", "no"),
        ("Vi treng betre kollektivtilbod i distrikta.", "no"),
        ("Our home care service needs digital night-time supervision.", "en"),
        ("Smarte avfallsbeholdere", "no"),
    ],
)
def test_language_detection(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_language_codes_are_normalised() -> None:
    assert normalise_language("NB") == "no"
    assert normalise_language("nn") == "no"
    assert normalise_language("eng") == "en"
    assert normalise_language("de") is None
