"""Reading one eForms UBL notice (as TED and Doffin publish it) into a ParsedNotice, with lxml.

The document is untrusted: a DOCTYPE is refused (no entity of any kind is expanded, nothing is fetched),
the size is capped, and every required part that is missing is refused naming the field.
"""

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from lxml import etree

from service.notices.parsed import (
    Award,
    InvalidNotice,
    Lot,
    NoticeKind,
    Organisation,
    ParsedNotice,
    Texts,
)

_T = TypeVar("_T")

MAX_NOTICE_BYTES = 20 * 1024 * 1024  # the largest eForms notices are a few MB

_UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
NS = {
    "cbc": f"{_UBL}CommonBasicComponents-2",
    "cac": f"{_UBL}CommonAggregateComponents-2",
    "ext": f"{_UBL}CommonExtensionComponents-2",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
}
ROOTS = ("PriorInformationNotice", "ContractNotice", "ContractAwardNotice")
_EXTENSION = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"

# eForms writes languages in three letters (ISO 639-2/T, upper case); Texts are keyed by ISO 639-1.
# Bokmål is "no", as Innomatch stores Norwegian (service.language); Nynorsk stays "nn" so that a notice
# giving both keeps both texts. A language not listed is kept as its own code in lower case.
LANGUAGES = {
    "NOR": "no",
    "NOB": "no",
    "NNO": "nn",
    "ENG": "en",
    "SWE": "sv",
    "DAN": "da",
    "FIN": "fi",
    "ISL": "is",
    "DEU": "de",
    "FRA": "fr",
    "NLD": "nl",
    "ITA": "it",
    "SPA": "es",
    "POR": "pt",
    "POL": "pl",
    "CES": "cs",
    "SLK": "sk",
    "SLV": "sl",
    "HRV": "hr",
    "HUN": "hu",
    "RON": "ro",
    "BUL": "bg",
    "ELL": "el",
    "EST": "et",
    "LAV": "lv",
    "LIT": "lt",
    "MLT": "mt",
    "GLE": "ga",
}

# The notice type code (notice-type code list) decides the kind; a change notice keeps its form's type
# code and says efac:Changes, which makes it a "change" whatever its type.
_KIND_BY_TYPE: dict[str, NoticeKind] = {
    "veat": "veat",
    "corr": "change",
    "qu-sy": "cn",  # notice on a qualification system: a standing call for competition
    "subco": "cn",  # subcontract notice
}
_KIND_BY_PREFIX: dict[str, NoticeKind] = {"pin-": "pin", "cn-": "cn", "can-": "can"}

# change-corrig-justification: "cancel" is "Notice cancelled" (the changed notice is void);
# "cancel-intent" only announces an intention and voids nothing.
_VOIDING_REASON = "cancel"
_WINNER_SELECTED = "selec-w"
# A lot's deadlines, first found wins: tenders (BT-131), requests to participate (BT-1311), expressions
# of interest in a PIN that calls for competition (BT-630).
_DEADLINE_PERIODS = (
    "cac:TenderSubmissionDeadlinePeriod",
    "cac:ParticipationRequestReceptionPeriod",
    f"{_EXTENSION}/efac:InterestExpressionReceptionPeriod",
)

_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?")
_TIME = re.compile(r"(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?")
_VERSION_SUFFIX = re.compile(r"-\d{2}$")
_DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )


def parse_notice(data: bytes, source: str) -> ParsedNotice:
    """The notice in `data` (named `source` in errors); InvalidNotice for anything that is not one."""
    root = _parse_document(data, source)
    return _NoticeReader(root, source).read()


def _parse_document(data: bytes, source: str) -> etree._Element:
    if len(data) > MAX_NOTICE_BYTES:  # first, before anything copies or scans the document
        raise InvalidNotice(
            source, "document", f"{len(data)} bytes is more than the {MAX_NOTICE_BYTES} a notice may have"
        )
    if not data.strip():
        raise InvalidNotice(source, "document", "the document is empty")
    doctype_refused = InvalidNotice(
        source, "document", "DOCTYPE is not allowed (entity declarations could expand or read files)"
    )
    if any(mark in data for mark in _DOCTYPE_MARKS):
        raise doctype_refused
    try:
        root = etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as error:
        raise InvalidNotice(
            source, "document", f"not well-formed XML, line {error.lineno}: {error.msg}"
        ) from error
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # a DOCTYPE in an encoding not checked above
        raise doctype_refused
    name = etree.QName(root)
    if name.localname not in ROOTS or name.namespace != f"{_UBL}{name.localname}-2":
        raise InvalidNotice(
            source, "document", f"wrong root {root.tag}: an eForms notice is one of {', '.join(ROOTS)}"
        )
    return root


def _text(element: etree._Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


class _NoticeReader:
    """One notice's reading: the root, its eForms extension and its organisations by id."""

    def __init__(self, root: etree._Element, source: str) -> None:
        self.root = root
        self.source = source
        self.extension = root.find(_EXTENSION, NS)
        self.organisations: dict[str, etree._Element] = {}
        for company in self._all(self.extension, "efac:Organizations/efac:Organization/efac:Company"):
            org_id = _text(company.find("cac:PartyIdentification/cbc:ID", NS))
            if org_id is not None:
                self.organisations[org_id] = company
        self.languages = self._languages()

    def _all(self, element: etree._Element | None, path: str) -> list[etree._Element]:
        return [] if element is None else list(element.iterfind(path, NS))

    def _find(self, element: etree._Element | None, path: str) -> etree._Element | None:
        return None if element is None else element.find(path, NS)

    def _value(self, element: etree._Element | None, path: str) -> str | None:
        return None if element is None else _text(element.find(path, NS))

    def _required(self, element: etree._Element | None, path: str, field: str) -> str:
        value = self._value(element, path)
        if value is None:
            raise InvalidNotice(self.source, field, f"missing or empty ({path})")
        return value

    def read(self) -> ParsedNotice:
        notice_id = self._required(self.root, "cbc:ID[@schemeName='notice-id']", "notice_id")
        version = self._required(self.root, "cbc:VersionID", "version")
        notice_type = self._required(self.root, "cbc:NoticeTypeCode", "notice_type")
        subtype = self._required(self.extension, "efac:NoticeSubType/cbc:SubTypeCode", "subtype")
        issue_date = self._required(self.root, "cbc:IssueDate", "publication_date")
        publication_date = self._date(issue_date, "publication_date")
        languages = self.languages
        project = self.root.find("cac:ProcurementProject", NS)
        titles = self._texts(project, "cbc:Name", languages)
        if not titles:
            raise InvalidNotice(self.source, "titles", "missing or empty (cac:ProcurementProject/cbc:Name)")
        parties = self._all(self.root, "cac:ContractingParty/cac:Party")
        if not parties:
            raise InvalidNotice(self.source, "buyer", "missing (cac:ContractingParty/cac:Party)")
        buyers = [self._party(party, "buyer") for party in parties]
        changes = self._all(self.extension, "efac:Changes")
        lots = tuple(self._lot(lot, languages) for lot in self._lot_elements())
        main_cpv = _unique([*self._cpv(project, "Main"), *(c for lot in lots for c in lot.main_cpv)])
        additional_cpv = _unique(
            [*self._cpv(project, "Additional"), *(c for lot in lots for c in lot.additional_cpv)]
        )
        estimated_value, currency = self._amount(
            project, "cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount", "estimated_value"
        )
        if estimated_value is None:
            estimated_value, currency = _lots_total(lots)
        deadlines = [lot.tender_deadline for lot in lots if lot.tender_deadline is not None]
        return ParsedNotice(
            notice_id=notice_id,
            version=version,
            kind=self._kind(notice_type, bool(changes)),
            notice_type=notice_type,
            subtype=subtype,
            publication_date=publication_date,
            languages=languages,
            buyer=buyers[0],
            titles=titles,
            descriptions=self._texts(project, "cbc:Description", languages),
            main_cpv=main_cpv,
            additional_cpv=tuple(code for code in additional_cpv if code not in main_cpv),
            nuts=_unique([*self._nuts(project), *(code for lot in lots for code in lot.nuts)]),
            procedure_type=self._value(self.root, "cac:TenderingProcess/cbc:ProcedureCode"),
            estimated_value=estimated_value,
            currency=currency,
            tender_deadline=min(deadlines, default=None),
            lots=lots,
            awards=self._awards(),
            changes_notice=self._changed_notice(changes),
            voided=any(
                _text(reason) == _VOIDING_REASON
                for change in changes
                for reason in change.iterfind("efac:ChangeReason/cbc:ReasonCode", NS)
            ),
            extra_buyers=tuple(buyers[1:]),
        )

    def _kind(self, notice_type: str, has_changes: bool) -> NoticeKind:
        if has_changes:
            return "change"
        if notice_type in _KIND_BY_TYPE:
            return _KIND_BY_TYPE[notice_type]
        for prefix, kind in _KIND_BY_PREFIX.items():
            if notice_type.startswith(prefix):
                return kind
        raise InvalidNotice(self.source, "notice_type", f"unknown notice type {notice_type!r}")

    def _date(self, value: str, field: str) -> date:
        match = _DATE.fullmatch(value)
        if match is None:
            raise InvalidNotice(self.source, field, f"{value!r} is not a date (YYYY-MM-DD with an offset)")
        try:
            return date.fromisoformat(match.group(1))
        except ValueError as error:
            raise InvalidNotice(self.source, field, f"{value!r} is not a date: {error}") from error

    def _languages(self) -> tuple[str, ...]:
        """The declared languages, main first; a notice that declares none is in its titles' languages."""
        codes = [self._value(self.root, "cbc:NoticeLanguageCode")]
        codes += [_text(element) for element in self._all(self.root, "cac:AdditionalNoticeLanguage/cbc:ID")]
        if not any(codes):
            codes = [
                title.get("languageID") for title in self._all(self.root, "cac:ProcurementProject/cbc:Name")
            ]
        return _unique([_language(code) for code in codes if code])

    def _texts(self, element: etree._Element | None, path: str, languages: tuple[str, ...]) -> Texts:
        """Every language's text at `path`; one without languageID is in the notice's main language."""
        texts: Texts = {}
        for text_element in self._all(element, path):
            text = _text(text_element)
            code = text_element.get("languageID")
            language = _language(code) if code else (languages[0] if languages else None)
            if text is not None and language is not None:
                texts.setdefault(language, text)
        return texts

    def _organisation(self, org_id: str, field: str) -> Organisation:
        company = self.organisations.get(org_id)
        if company is None:
            raise InvalidNotice(self.source, field, f"{org_id} is not among the notice's organisations")
        names = self._texts(company, "cac:PartyName/cbc:Name", self.languages)
        # The name in the notice's main language, as one of several translations of it.
        name = names.get(self.languages[0]) if self.languages else None
        name = name or next(iter(names.values()), None)
        if name is None:
            raise InvalidNotice(self.source, field, f"{org_id} has no name (cac:PartyName/cbc:Name)")
        return Organisation(
            name=name,
            organisation_number=self._value(company, "cac:PartyLegalEntity/cbc:CompanyID"),
            country=self._value(company, "cac:PostalAddress/cac:Country/cbc:IdentificationCode"),
            nuts=self._value(company, "cac:PostalAddress/cbc:CountrySubentityCode"),
        )

    def _party(self, party: etree._Element, field: str) -> Organisation:
        org_id = self._value(party, "cac:PartyIdentification/cbc:ID")
        if org_id is None:
            raise InvalidNotice(self.source, field, "missing (cac:Party/cac:PartyIdentification/cbc:ID)")
        return self._organisation(org_id, field)

    def _lot_elements(self) -> list[etree._Element]:
        """The lots (a PIN's parts too), not the groups of lots, which repeat what their lots say."""
        return [
            lot
            for lot in self._all(self.root, "cac:ProcurementProjectLot")
            if lot.findtext("cbc:ID[@schemeName='LotsGroup']", None, NS) is None
        ]

    def _lot(self, lot: etree._Element, languages: tuple[str, ...]) -> Lot:
        lot_id = self._required(lot, "cbc:ID", "lots")
        project = lot.find("cac:ProcurementProject", NS)
        value, currency = self._amount(
            project, "cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount", "lots"
        )
        return Lot(
            lot_id=lot_id,
            titles=self._texts(project, "cbc:Name", languages),
            descriptions=self._texts(project, "cbc:Description", languages),
            main_cpv=self._cpv(project, "Main"),
            additional_cpv=self._cpv(project, "Additional"),
            nuts=self._nuts(project),
            estimated_value=value,
            currency=currency,
            tender_deadline=self._deadline(lot.find("cac:TenderingProcess", NS)),
        )

    def _cpv(self, project: etree._Element | None, which: str) -> tuple[str, ...]:
        codes = [
            _text(code)
            for code in self._all(project, f"cac:{which}CommodityClassification/cbc:ItemClassificationCode")
            if code.get("listName") in (None, "cpv")
        ]
        return _unique([code for code in codes if code is not None])

    def _nuts(self, project: etree._Element | None) -> tuple[str, ...]:
        codes = [
            _text(code)
            for code in self._all(project, "cac:RealizedLocation/cac:Address/cbc:CountrySubentityCode")
            if code.get("listName") in (None, "nuts")
        ]
        return _unique([code for code in codes if code is not None])

    def _amount(
        self, element: etree._Element | None, path: str, field: str
    ) -> tuple[Decimal | None, str | None]:
        amount = None if element is None else element.find(path, NS)
        value = _text(amount)
        if amount is None or value is None:
            return None, None
        try:
            number = Decimal(value)
        except InvalidOperation as error:
            raise InvalidNotice(self.source, field, f"{value!r} is not an amount") from error
        if not number.is_finite():
            raise InvalidNotice(self.source, field, f"{value!r} is not an amount")
        return number, amount.get("currencyID")

    def _deadline(self, process: etree._Element | None) -> datetime | None:
        """The lot's deadline for tenders in UTC; when a notice gives none yet (a first stage of requests
        to participate, a PIN calling for expressions of interest), that stage's deadline, which is then
        the supplier's deadline to act. The time's offset wins over the date's; a deadline without a
        time is the end of its day; one without an offset is UTC."""
        periods = (self._find(process, path) for path in _DEADLINE_PERIODS)
        period = next((found for found in periods if found is not None), None)
        end_date = self._value(period, "cbc:EndDate")
        if end_date is None:
            return None
        date_match = _DATE.fullmatch(end_date)
        day = self._date(end_date, "tender_deadline")
        end_time = self._value(period, "cbc:EndTime")
        time_match = None if end_time is None else _TIME.fullmatch(end_time)
        if end_time is not None and time_match is None:
            raise InvalidNotice(self.source, "tender_deadline", f"{end_time!r} is not a time")
        try:
            clock = time(23, 59, 59) if time_match is None else time.fromisoformat(time_match.group(1))
        except ValueError as error:
            raise InvalidNotice(self.source, "tender_deadline", f"{end_time!r} is not a time") from error
        offset = (time_match and time_match.group(2)) or (date_match and date_match.group(2))
        return datetime.combine(day, clock, _timezone(offset)).astimezone(UTC)

    def _awards(self) -> tuple[Award, ...]:
        """The winning tenderers: the tenders a contract was settled with (or, in a notice that names
        no contract's tender, those of results that selected a winner), one Award per tenderer; the
        members of a group share the group's tender value and come lead first."""
        result = None if self.extension is None else self.extension.find("efac:NoticeResult", NS)
        if result is None:
            return ()
        lot_of_tender: dict[str, str | None] = {}
        selected: list[str] = []
        for lot_result in self._all(result, "efac:LotResult"):
            lot_id = self._value(lot_result, "efac:TenderLot/cbc:ID")
            winner_selected = self._value(lot_result, "cbc:TenderResultCode") in (None, _WINNER_SELECTED)
            for tender_id in self._ids(lot_result, "efac:LotTender/cbc:ID"):
                lot_of_tender[tender_id] = lot_id
                if winner_selected:
                    selected.append(tender_id)
        contracted = self._ids(result, "efac:SettledContract/efac:LotTender/cbc:ID")
        winning = _unique(contracted or selected)
        tenders = {self._value(t, "cbc:ID"): t for t in self._all(result, "efac:LotTender")}
        parties = {self._value(p, "cbc:ID"): p for p in self._all(result, "efac:TenderingParty")}
        awards: list[Award] = []
        for tender_id in winning:
            tender = tenders.get(tender_id)
            if tender is None:
                raise InvalidNotice(self.source, "awards", f"tender {tender_id} is not in the notice")
            value, currency = self._amount(tender, "cac:LegalMonetaryTotal/cbc:PayableAmount", "awards")
            lot_id = lot_of_tender.get(tender_id) or self._value(tender, "efac:TenderLot/cbc:ID")
            party_id = self._value(tender, "efac:TenderingParty/cbc:ID")
            party = parties.get(party_id)
            if party is None:
                raise InvalidNotice(self.source, "awards", f"tendering party {party_id} is not in the notice")
            tenderers = sorted(
                self._all(party, "efac:Tenderer"),
                key=lambda t: self._value(t, "efbc:GroupLeadIndicator") != "true",
            )
            for tenderer in tenderers:
                org_id = self._required(tenderer, "cbc:ID", "awards")
                awards.append(Award(lot_id, self._organisation(org_id, "awards"), value, currency))
        return tuple(awards)

    def _ids(self, element: etree._Element, path: str) -> list[str]:
        return [value for value in (_text(e) for e in self._all(element, path)) if value is not None]

    def _changed_notice(self, changes: list[etree._Element]) -> str | None:
        for change in changes:
            changed = self._value(change, "efbc:ChangedNoticeIdentifier")
            if changed is not None:
                return _VERSION_SUFFIX.sub("", changed)
        if changes:
            raise InvalidNotice(
                self.source, "changes_notice", "a change without efbc:ChangedNoticeIdentifier"
            )
        return None


def _lots_total(lots: tuple[Lot, ...]) -> tuple[Decimal | None, str | None]:
    """The sum of the lots' estimated values when every lot gives one, all in one currency."""
    currencies = {lot.currency for lot in lots}
    values = [lot.estimated_value for lot in lots if lot.estimated_value is not None]
    if not lots or len(values) < len(lots) or len(currencies) != 1:
        return None, None
    return sum(values, Decimal(0)), currencies.pop()


def _language(code: str) -> str:
    return LANGUAGES.get(code.strip().upper(), code.strip().lower())


def _timezone(offset: str | None) -> timezone:
    if offset is None or offset == "Z":
        return UTC
    sign = -1 if offset[0] == "-" else 1
    hours, minutes = int(offset[1:3]), int(offset[4:6])
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _unique(values: list[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(values))
