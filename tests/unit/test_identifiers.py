"""Organisation numbers, KPI codes and CPV codes: real numbers, the common forms, and the edges of their rules."""

import pytest

from service.identifiers import compact_kpi_code, is_valid_organisation_number, normal_cpv_code


def test_a_weighted_sum_divisible_by_eleven_gives_check_digit_zero() -> None:
    # 9x3 + 3x2 = 33 = 3 x 11: the check digit 11 becomes 0.
    assert is_valid_organisation_number("930000000")
    assert not is_valid_organisation_number("930000001")


def test_the_check_digit_is_eleven_minus_the_remainder() -> None:
    # 9x3 + 8x2 = 43, 43 mod 11 = 10: check digit 1.
    assert is_valid_organisation_number("980000001")
    assert not any(is_valid_organisation_number(f"98000000{digit}") for digit in "023456789")


def test_a_prefix_whose_check_digit_would_be_ten_has_no_valid_number() -> None:
    # 9x3 + 9x2 = 45, 45 mod 11 = 1: check digit 10, which does not exist.
    assert not any(is_valid_organisation_number(f"99000000{digit}") for digit in "0123456789")


def test_an_organisation_number_with_spaces_is_not_nine_digits() -> None:
    assert not is_valid_organisation_number("974 760 673")


@pytest.mark.parametrize("number", ["９７４７６０６７３", "٩٧٤٧٦٠٦٧٣"])
def test_only_ascii_digits_make_an_organisation_number(number: str) -> None:
    assert not is_valid_organisation_number(number)


def test_a_superscript_digit_is_refused_without_an_exception() -> None:
    assert not is_valid_organisation_number("97476067²")


@pytest.mark.parametrize(
    ("raw", "compact"),
    [
        ("sc : sh : sa : 5a", "SC-SH-SA-5A"),  # spaces around every colon, lower case
        ("EC:I:WS:3B", "EC:I:WS:3B"),  # only C (core) and A (advanced) end an official code
        ("  abc ", "ABC"),
    ],
)
def test_kpi_codes_in_official_form_are_compacted_and_others_only_trimmed_and_upper_cased(
    raw: str, compact: str
) -> None:
    assert compact_kpi_code(raw) == compact


@pytest.mark.parametrize(
    ("raw", "normal"),
    [(" 38421100-3 ", "38421100"), ("38421100-", None), ("3842110a", None), ("384211000", None)],
)
def test_cpv_codes_are_eight_digits_with_an_optional_check_digit(raw: str, normal: str | None) -> None:
    assert normal_cpv_code(raw) == normal


def test_a_full_width_cpv_code_is_not_a_cpv_code() -> None:
    assert normal_cpv_code("４８００００００") is None


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
