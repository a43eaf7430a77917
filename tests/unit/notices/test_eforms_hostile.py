"""Documents that are not eForms notices, some of them hostile: each refused naming the field."""

from pathlib import Path

import pytest

from service.notices.eforms import MAX_NOTICE_BYTES, parse_notice
from service.notices.parsed import InvalidNotice

SAMPLES = Path(__file__).resolve().parents[2] / "notices" / "samples"
MINIMAL = (SAMPLES / "cn_24_minimal.xml").read_bytes()


def refusal(data: bytes) -> InvalidNotice:
    with pytest.raises(InvalidNotice) as refused:
        parse_notice(data, "upload.xml")
    assert refused.value.source == "upload.xml"
    return refused.value


def test_empty_bytes() -> None:
    error = refusal(b"")
    assert (error.field, error.reason) == ("document", "the document is empty")


def test_malformed_xml_names_the_line() -> None:
    error = refusal(b'<?xml version="1.0"?>\n<ContractNotice>\n  <open>\n</ContractNotice>\n')
    assert error.field == "document"
    assert "not well-formed XML, line 4" in error.reason


def test_wrong_root() -> None:
    error = refusal(b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>')
    assert error.field == "document"
    assert error.reason.startswith("wrong root")


def test_right_name_in_the_wrong_namespace() -> None:
    error = refusal(b'<ContractNotice xmlns="urn:example:other"/>')
    assert error.reason.startswith("wrong root")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2">&lol9;</ContractNotice>
"""


def test_billion_laughs_is_refused() -> None:
    error = refusal(BILLION_LAUGHS)
    assert error.field == "document"
    assert error.reason.startswith("DOCTYPE is not allowed")


def test_external_entity_is_refused_and_never_read() -> None:
    data = MINIMAL.replace(
        b"<ContractNotice ",
        b'<!DOCTYPE ContractNotice [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n<ContractNotice ',
        1,
    ).replace(b"Provision of IT Services Related", b"&secret; Provision of IT Services Related", 1)
    error = refusal(data)
    assert error.reason.startswith("DOCTYPE is not allowed")
    assert "root:" not in str(error)


def test_doctype_in_utf16_is_refused() -> None:
    data = BILLION_LAUGHS.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    error = refusal(data.encode("utf-16"))
    assert error.reason.startswith("DOCTYPE is not allowed")


def test_oversized_document() -> None:
    error = refusal(MINIMAL + b" " * MAX_NOTICE_BYTES)
    assert error.field == "document"
    assert "more than the 20971520" in error.reason


@pytest.mark.parametrize(
    ("remove", "field"),
    [
        (b"<cbc:VersionID>01</cbc:VersionID>", "version"),
        (b'<cbc:NoticeTypeCode listName="competition">cn-standard</cbc:NoticeTypeCode>', "notice_type"),
        (b'<cbc:SubTypeCode listName="notice-subtype">16</cbc:SubTypeCode>', "subtype"),
        (b"<cbc:IssueDate>2019-11-21+01:00</cbc:IssueDate>", "publication_date"),
    ],
)
def test_each_required_part_is_named_when_missing(remove: bytes, field: str) -> None:
    assert remove in MINIMAL
    assert refusal(MINIMAL.replace(remove, b"")).field == field


def test_a_notice_without_a_title_is_refused() -> None:
    data = MINIMAL.replace(
        b'<cbc:Name languageID="ENG">Provision', b'<cbc:Note languageID="ENG">Provision', 1
    )
    data = data.replace(b"and Others)</cbc:Name>", b"and Others)</cbc:Note>", 1)
    assert refusal(data).field == "titles"


def test_a_buyer_that_is_not_among_the_organisations_is_refused() -> None:
    data = MINIMAL.replace(
        b'<cac:Party>\n\t\t\t<cac:PartyIdentification>\n\t\t\t\t<cbc:ID schemeName="organization">ORG-0001',
        b'<cac:Party>\n\t\t\t<cac:PartyIdentification>\n\t\t\t\t<cbc:ID schemeName="organization">ORG-0099',
        1,
    )
    error = refusal(data)
    assert (error.field, error.reason) == ("buyer", "ORG-0099 is not among the notice's organisations")


def test_an_unreadable_date_is_refused() -> None:
    data = MINIMAL.replace(b"<cbc:IssueDate>2019-11-21+01:00", b"<cbc:IssueDate>21.11.2019")
    assert refusal(data).field == "publication_date"


def test_an_unreadable_amount_is_refused() -> None:
    data = (
        (SAMPLES / "cn_24_open.xml")
        .read_bytes()
        .replace(b'currencyID="EUR">500000<', b'currencyID="EUR">lots<', 1)
    )
    assert refusal(data).field == "estimated_value"


def test_an_unknown_notice_type_is_refused() -> None:
    data = MINIMAL.replace(b">cn-standard<", b">brochure<")
    error = refusal(data)
    assert (error.field, error.reason) == ("notice_type", "unknown notice type 'brochure'")
