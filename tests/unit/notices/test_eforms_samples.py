"""Each eForms SDK sample notice (tests/notices/samples/) read into the values written in its XML."""

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from service.notices.eforms import parse_notice
from service.notices.parsed import InvalidNotice, Organisation, ParsedNotice

SAMPLES = Path(__file__).resolve().parents[2] / "notices" / "samples"

PUBLICATIONS_OFFICE = Organisation(
    name="Publications Office of the European Union",
    organisation_number="EU-PO",
    country="LUX",
    nuts="LU000",
)
FINANCIAL_ADMINISTRATION = Organisation(
    name="Financial Adinistration for ...", organisation_number="998298", country="LUX", nuts="LU000"
)


def parse(name: str) -> ParsedNotice:
    return parse_notice((SAMPLES / name).read_bytes(), name)


def test_every_sample_is_read_or_refused() -> None:
    names = sorted(path.name for path in SAMPLES.glob("*.xml"))
    assert len(names) == 14
    for name in names:
        if name.startswith("INVALID_"):
            with pytest.raises(InvalidNotice):
                parse(name)
        else:
            assert parse(name).titles


@pytest.mark.parametrize("name", ["INVALID_cn_24_empty.xml", "INVALID_pin-only_24_empty.xml"])
def test_the_invalid_samples_are_refused_naming_the_notice_id(name: str) -> None:
    # Both lack cbc:ID schemeName="notice-id", the first required part read.
    with pytest.raises(InvalidNotice) as refused:
        parse(name)
    assert refused.value.source == name
    assert refused.value.field == "notice_id"
    assert "notice-id" in str(refused.value)


def test_cn_minimal() -> None:
    notice = parse("cn_24_minimal.xml")
    assert notice.notice_id == "f42be27e-09cf-4f0e-a745-63ec689631e6"
    assert notice.version == "01"
    assert (notice.kind, notice.notice_type, notice.subtype) == ("cn", "cn-standard", "16")
    assert notice.publication_date == date(2019, 11, 21)
    assert notice.languages == ("en",)
    assert notice.buyer == PUBLICATIONS_OFFICE
    assert notice.titles == {
        "en": "Provision of IT Services Related to OP IT Systems (EUR-Lex, N-Lex, Search Layer, and Others)"
    }
    assert notice.descriptions["en"].startswith("Provision of IT services related to the information")
    assert notice.main_cpv == ("72230000",)
    assert notice.additional_cpv == ()
    assert notice.nuts == ("FRD22",)
    assert notice.procedure_type == "open"
    assert (notice.estimated_value, notice.currency) == (None, None)
    # 2020-02-04 10:00 at +02:00
    assert notice.tender_deadline == datetime(2020, 2, 4, 8, 0, tzinfo=UTC)
    assert [lot.lot_id for lot in notice.lots] == ["LOT-0000"]
    assert notice.lots[0].tender_deadline == datetime(2020, 2, 4, 8, 0, tzinfo=UTC)
    assert notice.awards == ()
    assert (notice.changes_notice, notice.voided) == (None, False)


def test_change_notice_voids_cn_minimal() -> None:
    notice = parse("change-cn_24_void.xml")
    assert notice.notice_id == "1d192942-a4a3-4833-8775-ca38f7ec09ca"
    assert notice.kind == "change"
    assert notice.notice_type == "cn-standard"
    assert notice.publication_date == date(2019, 12, 21)
    # efbc:ChangedNoticeIdentifier f42be27e-...-01 without its version; reason code "cancel"
    assert notice.changes_notice == "f42be27e-09cf-4f0e-a745-63ec689631e6"
    assert notice.voided is True
    assert notice.buyer == PUBLICATIONS_OFFICE


def test_change_notice_that_does_not_cancel_is_not_void() -> None:
    data = (SAMPLES / "change-cn_24_void.xml").read_bytes().replace(b">cancel<", b">cor-buy<")
    notice = parse_notice(data, "correction.xml")
    assert notice.kind == "change"
    assert notice.voided is False


def test_cn_maximal() -> None:
    notice = parse("cn_24_maximal.xml")
    assert notice.notice_id == "14549263-b47b-4e59-96a1-2d0d13e19343"
    assert notice.version == "03"
    assert (notice.kind, notice.subtype) == ("cn", "16")
    assert notice.publication_date == date(2023, 3, 23)
    assert notice.buyer == FINANCIAL_ADMINISTRATION
    assert notice.titles == {"en": "Procurement Title ---"}
    assert notice.main_cpv == ("79710000", "75121000")
    assert notice.additional_cpv == ("79720000",)
    assert notice.procedure_type == "neg-w-call"
    assert (notice.estimated_value, notice.currency) == (Decimal("9999999.99"), "EUR")
    assert [lot.lot_id for lot in notice.lots] == ["LOT-0001", "LOT-0002"]
    assert notice.lots[1].titles == {"en": "Title Lot 2---"}
    # A negotiated procedure with a call: no tender deadline yet, the requests to participate are due
    # 2023-05-22 20:59:32 at +01:00.
    assert notice.tender_deadline == datetime(2023, 5, 22, 19, 59, 32, tzinfo=UTC)


def test_cn_multilingual_keeps_every_language() -> None:
    notice = parse("cn_24_multilingual.xml")
    assert notice.notice_id == "55aae64f-88a8-44a5-b2fb-8228e97fe6ee"
    expected = [
        "en",
        "bg",
        "cs",
        "da",
        "de",
        "el",
        "es",
        "et",
        "fi",
        "fr",
        "ga",
        "hr",
        "hu",
        "it",
        "lt",
        "lv",
        "mt",
        "nl",
        "pl",
        "pt",
        "ro",
        "sk",
        "sl",
        "sv",
    ]  # ENG, then the 23 cac:AdditionalNoticeLanguage in document order
    assert notice.languages == tuple(expected)
    assert set(notice.titles) == set(expected)
    assert set(notice.descriptions) == set(expected)
    # The buyer is named in the notice's main language, English, of its 24 names.
    assert notice.buyer.name == "Publications Office of the European Union"
    assert notice.buyer.organisation_number == "EU-PO"
    assert notice.main_cpv == ("72230000",)
    assert notice.additional_cpv == ("72260000",)
    assert notice.nuts == ("LU000",)
    assert (notice.estimated_value, notice.currency) == (Decimal("4500000"), "EUR")
    assert notice.tender_deadline == datetime(2020, 2, 3, 13, 0, tzinfo=UTC)  # 2020-02-03Z 13:00:00Z
    assert len(notice.lots) == 1
    assert len(notice.lots[0].titles) == 24


def test_cn_open() -> None:
    notice = parse("cn_24_open.xml")
    assert notice.notice_id == "c4c415ee-ac08-4465-8fa6-57568cf69462"
    assert notice.publication_date == date(2020, 2, 28)
    assert notice.buyer == Organisation(
        name="Renfrewshire Council", organisation_number="not available", country="GBR", nuts=None
    )
    assert notice.titles["en"].startswith("Term Contract for a Planned Programme of")
    assert notice.main_cpv == ("71630000",)
    assert notice.additional_cpv == ("71314100", "50300000", "31600000")
    assert notice.nuts == ()
    assert (notice.estimated_value, notice.currency) == (Decimal("500000"), "EUR")
    assert notice.tender_deadline == datetime(2020, 4, 3, 11, 0, tzinfo=UTC)  # 12:00 at +01:00


def test_can_minimal_names_the_winner() -> None:
    notice = parse("can_24_minimal.xml")
    assert notice.notice_id == "65667997-031a-4198-bd25-7225449ef479"
    assert (notice.kind, notice.notice_type, notice.subtype) == ("can", "can-standard", "29")
    assert notice.publication_date == date(2019, 10, 23)
    assert notice.languages == ("fr",)
    assert notice.buyer == Organisation("Rouen Habitat", "123 456 789", "FRA", "FRD22")
    assert notice.titles["fr"].startswith("Service d'entretien de remise en état")
    assert notice.main_cpv == ("77310000",)
    assert notice.lots[0].titles == {"fr": "Agence centre"}
    assert len(notice.awards) == 1
    award = notice.awards[0]
    assert award.lot_id == "LOT-0000"
    assert award.winner == Organisation("Espaces Verts Lemire", "326 912 557", "FRA", "FRD22")
    assert (award.value, award.currency) == (Decimal("95414"), "EUR")


def test_can_maximal_names_the_winners_of_settled_contracts_only() -> None:
    notice = parse("can_24_maximal.xml")
    assert notice.notice_id == "15377ca1-6cf7-4060-90f0-9290128957a3"
    assert notice.version == "03"
    assert notice.kind == "can"
    assert notice.publication_date == date(2023, 4, 23)
    assert notice.buyer == FINANCIAL_ADMINISTRATION
    assert notice.main_cpv == ("79710000", "75121000")
    assert notice.additional_cpv == ("79720000", "33185200")
    assert [lot.lot_id for lot in notice.lots] == ["LOT-0001", "LOT-0002"]
    # TEN-0001 (group TPA-0001: ORG-0008 lead, ORG-0009) and TEN-0002 (TPA-0002: ORG-0011) have
    # contracts in LOT-0001; LOT-0002 was closed without a winner (TEN-0003 is no award).
    winners = [(a.lot_id, a.winner.name, a.winner.organisation_number, a.value) for a in notice.awards]
    assert winners == [
        ("LOT-0001", "Gyro Soft SA", "927384203", Decimal("9999999.99")),
        ("LOT-0001", "The best App Ltd.", "928374653", Decimal("9999999.99")),
        ("LOT-0001", "Competitor", "1223456789", Decimal("9999999.99")),
    ]
    assert {a.currency for a in notice.awards} == {"EUR"}


def test_veat_names_the_group_lead_first() -> None:
    notice = parse("veat_24.xml")
    assert notice.notice_id == "6ea164b2-228c-4ae8-b3b5-26f3946b8300"
    assert (notice.kind, notice.notice_type, notice.subtype) == ("veat", "veat", "25")
    assert notice.publication_date == date(2020, 4, 23)
    assert notice.buyer == Organisation("Middlesbrough Council", "buyerid01", "GBR", None)
    assert notice.procedure_type == "neg-wo-call"
    assert notice.main_cpv == ("33000000",)
    # TPA-0001: ORG-0004, ORG-0005 and the lead ORG-0006 (Invacare); no tender value is given.
    assert [a.winner.name for a in notice.awards] == [
        "Invacare Ltd",
        "Direct Healthcare Services Ltd",
        "Harvest Healthcare Ltd",
    ]
    assert {(a.lot_id, a.value, a.winner.organisation_number) for a in notice.awards} == {
        ("LOT-0000", None, None)
    }


def test_pin_only() -> None:
    notice = parse("pin-only_24.xml")
    assert notice.notice_id == "f252f386-55ac-4fa8-9be4-9f950b9904c8"
    assert (notice.kind, notice.notice_type, notice.subtype) == ("pin", "pin-only", "4")
    assert notice.publication_date == date(2020, 5, 5)
    assert notice.buyer == Organisation("PartyName1234", "PartyLegalEntityCID1234", "DEU", "DE401")
    assert notice.titles == {"en": "ProPrName1234"}
    assert notice.main_cpv == ("72000000", "50000000")
    assert notice.nuts == ("DE123",)
    assert (notice.estimated_value, notice.currency) == (Decimal("100000"), "EUR")
    assert [lot.lot_id for lot in notice.lots] == ["PAR-0000"]  # a PIN's parts
    assert notice.tender_deadline is None


def test_pin_only_with_ten_parts() -> None:
    notice = parse("pin-only_24_lots.xml")
    assert notice.notice_id == "199b243b-4daf-4d7d-ba7c-f37f88102480"
    assert notice.publication_date == date(2020, 4, 2)
    assert notice.buyer == Organisation("Fusion21 Members Consortium", "123456789", "GBR", None)
    assert (notice.estimated_value, notice.currency) == (Decimal("750000000"), "EUR")
    assert len(notice.lots) == 10
    assert notice.lots[0].titles == {"en": "General Building Materials"}
    assert notice.lots[9].main_cpv == ("33196000",)
    # The procedure's 44110000, then each part's, once (part 5 repeats 44110000).
    assert notice.main_cpv == (
        "44110000",
        "44111000",
        "31681410",
        "44115200",
        "45213221",
        "44112500",
        "39141400",
        "39144000",
        "44221000",
        "33196000",
    )


def test_pin_buyer_has_no_lots() -> None:
    notice = parse("pin-buyer_24.xml")
    assert notice.notice_id == "e5dc3c2b-3df5-45e0-af7f-399ca201d7e0"
    assert (notice.kind, notice.notice_type, notice.subtype) == ("pin", "pin-buyer", "1")
    assert notice.publication_date == date(2020, 4, 8)
    assert notice.languages == ("it",)
    assert notice.buyer == Organisation(
        "IRCCS Policlinico ospedale San Martino", "123 456 789", "ITA", "ITC33"
    )
    assert notice.titles["it"].startswith("Avviso consultazione preliminare")
    assert notice.main_cpv == ("33157000",)
    assert notice.nuts == ("ITC33",)
    assert notice.lots == ()


def test_pin_calling_for_competition_has_the_interest_deadline() -> None:
    notice = parse("pin-cfc_24.xml")
    assert notice.notice_id == "fc972075-4e70-4491-b97a-7e3cb3665826"
    assert (notice.kind, notice.notice_type, notice.subtype) == ("pin", "pin-cfc-standard", "10")
    assert notice.publication_date == date(2023, 5, 26)  # 2023-05-26Z
    assert notice.buyer.name == "ZenithNova Innovations Ltd."
    assert notice.buyer.organisation_number == "ABE"
    assert notice.titles == {"en": "A Son vol3"}
    assert notice.procedure_type == "innovation"
    assert notice.main_cpv == ("18000000",)
    # Expressions of interest by 2023-05-31 15:00 at +03:00.
    assert notice.tender_deadline == datetime(2023, 5, 31, 12, 0, tzinfo=UTC)
