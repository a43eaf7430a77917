"""`personal-data`: fødselsnumre and D-numbers with valid check digits, Norwegian phone numbers, e-mail
addresses of persons. The identity numbers here are dated in the future or in the form of synthetic test
numbers (month + 80): no one has them."""

import pytest

from tests.unit.needs_quality.helpers import rules_of, with_sentence


@pytest.mark.parametrize(
    "number",
    [
        "27083859070",  # born 27 August 2038, individual number 590
        "270838 59070",  # the same, written six and five
        "11827827780",  # synthetic test number (month + 80)
        "53896837121",  # D-number (day + 40) of a synthetic test number
    ],
)
def test_a_valid_identity_number_is_found(number: str) -> None:
    assert rules_of(with_sentence(f"Saken gjelder bruker {number}.")) == {"personal-data"}


def test_an_identity_number_before_a_comma_is_found() -> None:
    sentence = "Én mottaker, fødselsnummer 27083859070, har hatt sju veiledere."
    assert rules_of(with_sentence(sentence)) == {"personal-data"}


@pytest.mark.parametrize(
    "number",
    [
        "27083859071",  # the second check digit wrong
        "27083859170",  # the first check digit wrong
        "20260512387",  # a project number
        "32083859070",  # day 32 does not exist (and the digits do not check)
    ],
)
def test_an_eleven_digit_number_failing_the_check_is_not_personal(number: str) -> None:
    assert rules_of(with_sentence(f"Behovet har prosjektnummer {number}.")) == set()


@pytest.mark.parametrize(
    "phone",
    ["934 55 721", "22 61 48 30", "+47 413 72 905", "+4799218435", "0047 99218435", "tlf 48172093"],
)
def test_phone_numbers_are_found(phone: str) -> None:
    assert rules_of(with_sentence(f"Kontakt prosjektlederen på {phone}.")) == {"personal-data"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Tiltaket koster 12 500 000 kroner.",
        "Relevant CPV-kode er 72212100.",
        "Organisasjonsnummeret er 974 760 673.",
        "Saken har nummer 2024 1873.",
    ],
)
def test_numbers_that_are_not_phones_are_not_found(sentence: str) -> None:
    assert "personal-data" not in rules_of(with_sentence(sentence))


@pytest.mark.parametrize(
    "address", ["ingrid.solheim@eksempel.kommune.no", "tor.berg@gmail.com", "siri@lund.no"]
)
def test_a_persons_email_is_found(address: str) -> None:
    assert rules_of(with_sentence(f"Spørsmål til {address}.")) == {"personal-data"}


@pytest.mark.parametrize(
    "address",
    [
        "postmottak@lunde.kommune.no",
        "post@lunde.kommune.no",
        "info@firma.no",
        "innkjop-helse@lunde.kommune.no",
    ],
)
def test_a_role_address_is_not_personal(address: str) -> None:
    assert rules_of(with_sentence(f"Spørsmål til {address}.")) == set()
