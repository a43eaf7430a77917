"""What the importer reads from one eForms notice: plain values, no XML and no database."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

# The notice's form: prior information (also a call for competition or a market dialogue), contract,
# contract award, voluntary ex-ante transparency, or a change of an earlier notice.
NoticeKind = Literal["pin", "cn", "can", "veat", "change"]

# Texts by language, keyed by ISO 639-1 where one exists ("en", "no", "nn", "sv", ...), else the
# notice's own three-letter code in lower case.
Texts = dict[str, str]


@dataclass(frozen=True)
class Organisation:
    name: str
    organisation_number: str | None  # cac:PartyLegalEntity/cbc:CompanyID as written
    country: str | None  # ISO 3166-1 alpha-3, as eForms writes it ("NOR")
    nuts: str | None  # the organisation's NUTS 3 code ("NO081")


@dataclass(frozen=True)
class Lot:
    lot_id: str  # "LOT-0001"
    titles: Texts
    descriptions: Texts
    main_cpv: tuple[str, ...]
    additional_cpv: tuple[str, ...]
    nuts: tuple[str, ...]  # places of performance
    estimated_value: Decimal | None
    currency: str | None
    tender_deadline: datetime | None  # aware, UTC


# One per winning tenderer: each member of a group that won together has its own, with the group's
# tender value (so sum values per tender, not per award), the group's lead first.
@dataclass(frozen=True)
class Award:
    lot_id: str | None
    winner: Organisation
    value: Decimal | None
    currency: str | None


@dataclass(frozen=True)
class ParsedNotice:
    notice_id: str  # cbc:ID schemeName="notice-id"
    version: str  # cbc:VersionID ("01")
    kind: NoticeKind
    notice_type: str  # cbc:NoticeTypeCode ("cn-standard", "pin-only", "can-standard", ...)
    subtype: str  # efac:NoticeSubType/cbc:SubTypeCode ("16")
    publication_date: date  # cbc:IssueDate
    languages: tuple[str, ...]  # the notice's languages, main first, as in Texts
    buyer: Organisation  # the first contracting party
    titles: Texts
    descriptions: Texts
    main_cpv: tuple[str, ...]  # the procedure's and then the lots', without repeats
    additional_cpv: tuple[str, ...]
    nuts: tuple[str, ...]  # places of performance, procedure and lots
    procedure_type: str | None  # "open", "restricted", "neg-w-call", ... (procurement-procedure-type)
    estimated_value: Decimal | None
    currency: str | None
    tender_deadline: datetime | None  # the earliest of the lots', aware, UTC
    lots: tuple[Lot, ...] = ()
    awards: tuple[Award, ...] = ()  # award notices: the winning tenderers
    changes_notice: str | None = None  # a change notice: the changed notice's id (without "-version")
    voided: bool = False  # a change notice that cancels the changed notice
    extra_buyers: tuple[Organisation, ...] = field(default=())


class InvalidNotice(ValueError):
    """A document that is not a valid eForms notice: which document, which field, and why."""

    def __init__(self, source: str, field: str, reason: str) -> None:
        super().__init__(f"{source}: {field}: {reason}")
        self.source = source
        self.field = field
        self.reason = reason
