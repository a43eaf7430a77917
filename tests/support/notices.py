"""Sample eForms notices for page tests: the SDK's files, and one of them made a Norwegian municipality's
open contract notice (Bergen kommune, a place in Vestland, a deadline far ahead)."""

from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "notices" / "samples"
BERGEN_NOTICE_ID = "0b6e3c1a-5b7e-4f4e-9a55-6a3c1d2e8f90"
BERGEN_TITLE = "Lekkasjesøk i vannledningsnettet"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def bergen_notice() -> bytes:
    """cn_24_minimal.xml bought by Bergen kommune, in Vestland (NO0A2), with its deadline in 2099."""
    text = sample("cn_24_minimal.xml").decode("utf-8")
    for old, new in (
        ("f42be27e-09cf-4f0e-a745-63ec689631e6", BERGEN_NOTICE_ID),
        (
            '<cbc:Name languageID="ENG">Publications Office of the European Union</cbc:Name>',
            '<cbc:Name languageID="ENG">Bergen kommune</cbc:Name>',
        ),
        ("<cbc:CompanyID>EU-PO</cbc:CompanyID>", "<cbc:CompanyID>964338531</cbc:CompanyID>"),
        ("FRD22", "NO0A2"),
        ("2020-02-04", "2099-02-04"),
        (
            "Provision of IT Services Related to OP IT Systems (EUR-Lex, N-Lex, Search Layer, and Others)",
            BERGEN_TITLE,
        ),
    ):
        assert old in text, old
        text = text.replace(old, new)
    return text.encode("utf-8")
