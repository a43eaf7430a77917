"""The parser's own rules, on samples changed in one place: Norwegian languages, deadlines without a
time, the notice's value from its lots."""

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from service.notices.eforms import parse_notice

SAMPLES = Path(__file__).resolve().parents[2] / "notices" / "samples"
MINIMAL = (SAMPLES / "cn_24_minimal.xml").read_bytes()
TITLE = b'<cbc:Name languageID="ENG">Provision of IT Services Related to OP IT Systems (EUR-Lex, N-Lex, Search Layer, and Others)</cbc:Name>'


def test_bokmal_is_no_and_nynorsk_is_nn() -> None:
    assert TITLE in MINIMAL
    data = MINIMAL.replace(b'languageID="ENG"', b'languageID="NOB"').replace(
        b"<cbc:NoticeLanguageCode>ENG<", b"<cbc:NoticeLanguageCode>NOB<"
    )
    data = data.replace(
        TITLE.replace(b"ENG", b"NOB"),
        TITLE.replace(b"ENG", b"NOB") + b'<cbc:Name languageID="NNO">Drift av IT-system</cbc:Name>',
        1,
    )
    notice = parse_notice(data, "norwegian.xml")
    assert notice.languages == ("no",)
    assert notice.titles["nn"] == "Drift av IT-system"
    assert notice.titles["no"].startswith("Provision of IT Services")
    assert notice.buyer.name == "Publications Office of the European Union"  # its NOB name now


def test_a_language_without_a_two_letter_code_keeps_its_own() -> None:
    data = MINIMAL.replace(TITLE, TITLE + b'<cbc:Name languageID="SME">Dihtorvuogdagat</cbc:Name>', 1)
    assert parse_notice(data, "sami.xml").titles["sme"] == "Dihtorvuogdagat"


def test_a_notice_declaring_no_language_is_in_its_titles_languages() -> None:
    data = MINIMAL.replace(b"<cbc:NoticeLanguageCode>ENG</cbc:NoticeLanguageCode>", b"")
    assert parse_notice(data, "undeclared.xml").languages == ("en",)


def test_a_deadline_without_a_time_is_the_end_of_its_day() -> None:
    data = MINIMAL.replace(b"<cbc:EndTime>10:00:00+02:00</cbc:EndTime>", b"")
    # 2020-02-04 at +02:00, 23:59:59
    assert parse_notice(data, "date-only.xml").tender_deadline == datetime(2020, 2, 4, 21, 59, 59, tzinfo=UTC)


def test_the_notice_value_is_its_lots_when_the_procedure_gives_none() -> None:
    procedure_value = b'\n\t\t\t<cbc:EstimatedOverallContractAmount currencyID="EUR">9999999.99</cbc:EstimatedOverallContractAmount>'
    data = (SAMPLES / "cn_24_maximal.xml").read_bytes()
    assert data.count(procedure_value) == 1  # the lots' are indented one step deeper
    notice = parse_notice(data.replace(procedure_value, b""), "lots-only.xml")
    assert [lot.estimated_value for lot in notice.lots] == [Decimal("9999999.99")] * 2
    assert (notice.estimated_value, notice.currency) == (Decimal("19999999.98"), "EUR")
