"""Importing eForms notices: each document in its own transaction, stored as a notice row and as the need
that carries its text into matching, written through the needs' own service functions.

Outcomes per document: "imported" (new), "updated" (a newer version, or a change notice applied to the
notice it changes), "voided" (a change notice cancelling the notice it changes), "unchanged" (the same
document, version or an older one: nothing written), "refused" (not a valid notice: nothing written).
"""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.access import Principal
from service.audit.service import record_event
from service.identifiers import normal_cpv_code
from service.indexing import Indexes
from service.models import Need, ProcurementNotice
from service.needs import service as needs_service
from service.needs.schemas import NeedCreate, NeedUpdate
from service.notices import repository
from service.notices.eforms import parse_notice
from service.notices.need_fields import is_open, need_cpv_codes, need_text
from service.notices.parsed import InvalidNotice, ParsedNotice
from service.notices.places import first_county
from service.notices.plain import plain

Outcome = Literal["imported", "updated", "voided", "unchanged", "refused"]
NoticeSource = Literal["file", "upload", "doffin"]
MAX_NEED_CPV_CODES = 50  # what a need holds (service.text_fields.CpvCodes)


@dataclass(frozen=True)
class DocumentOutcome:
    name: str
    outcome: Outcome
    notice_id: str | None  # eForms' notice id; None when the document could not be read
    message: str
    field: str | None = None  # a refused document: the field at fault


@dataclass
class ImportReport:
    documents: list[DocumentOutcome] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(document.outcome == outcome for document in self.documents)

    @property
    def any_refused(self) -> bool:
        return self.count("refused") > 0

    @property
    def all_refused(self) -> bool:
        return bool(self.documents) and self.count("refused") == len(self.documents)

    def summary(self) -> str:
        counts = ", ".join(
            f"{self.count(outcome)} {outcome}"
            for outcome in ("imported", "updated", "voided", "unchanged", "refused")
        )
        return f"{len(self.documents)} documents: {counts}"


def import_documents(
    *,
    session: Session,
    indexes: Indexes,
    caller: Principal,
    documents: Iterable[tuple[str, bytes]],
    source: NoticeSource,
    source_urls: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Import (name, content) documents in order, each in its own transaction of `session`; `source_urls`
    gives a document's page at its publisher (Doffin) by name."""
    report = ImportReport()
    for name, data in documents:
        try:
            notice = parse_notice(data, name)
        except InvalidNotice as refusal:
            report.documents.append(
                DocumentOutcome(name, "refused", None, f"{refusal.field}: {refusal.reason}", refusal.field)
            )
            continue
        store = partial(
            import_parsed,
            session=session,
            indexes=indexes,
            caller=caller,
            notice=notice,
            name=name,
            content_hash=hashlib.sha256(data).hexdigest(),
            source=source,
            source_url=(source_urls or {}).get(name),
            now=now or datetime.now(UTC),
        )
        try:
            outcome = store()
        except IntegrityError:
            # Another import stored this notice between our look and our write: look again, once.
            session.rollback()
            outcome = store()
        finally:
            session.rollback()  # ends a document that wrote nothing; after a commit there is nothing left
        report.documents.append(outcome)
    return report


def import_parsed(
    *,
    session: Session,
    indexes: Indexes,
    caller: Principal,
    notice: ParsedNotice,
    name: str,
    content_hash: str,
    source: NoticeSource,
    source_url: str | None,
    now: datetime,
) -> DocumentOutcome:
    """Store one parsed notice (its document's name and hash given) and its need; commits or writes nothing."""
    write = _Write(session, indexes, caller, name, now)
    if repository.notice_by_content_hash(session, content_hash) is not None:
        return DocumentOutcome(name, "unchanged", notice.notice_id, "this document was imported before")
    values = _notice_values(session, notice, content_hash, source, source_url)
    if notice.kind == "change" and notice.changes_notice:
        changed = repository.notice_by_notice_id(session, notice.changes_notice)
        if changed is not None:
            return write.change(changed, notice, values)
    stored = repository.notice_by_notice_id(session, notice.notice_id)
    if stored is None:
        outcome = write.new(notice, values)
        if notice.kind == "change" and outcome.outcome == "imported":
            message = (
                f"changes notice {notice.changes_notice}, which is not imported: stored as its own notice"
            )
            return DocumentOutcome(name, outcome.outcome, notice.notice_id, message)
        return outcome
    if not _is_newer(notice.version, stored.version):
        message = f"version {notice.version}; the stored version is {stored.version}: kept"
        return DocumentOutcome(name, "unchanged", notice.notice_id, message)
    return write.existing(stored, notice, values, "updated", f"version {stored.version} -> {notice.version}")


def _is_newer(version: str, stored: str) -> bool:
    if version.isdigit() and stored.isdigit():
        return int(version) > int(stored)
    return version > stored


def _notice_values(
    session: Session, notice: ParsedNotice, content_hash: str, source: str, source_url: str | None
) -> dict[str, Any]:
    """The notice row's columns from the parsed notice; the municipality when the buyer is one, the county
    from it or else from the first Norwegian place."""
    buyer_number = notice.buyer.organisation_number
    municipality = (
        repository.municipality_by_organisation_number(session, _digits(buyer_number))
        if buyer_number
        else None
    )
    county = municipality.county_number if municipality else _county_of_places(notice)
    return {
        "notice_id": notice.notice_id,
        "version": notice.version,
        "kind": notice.kind,
        "notice_type": notice.notice_type,
        "subtype": notice.subtype,
        "publication_date": notice.publication_date,
        "buyer_name": notice.buyer.name,
        "buyer_organisation_number": buyer_number,
        "municipality_number": municipality.number if municipality else None,
        "county_number": county,
        "languages": list(notice.languages),
        "titles": dict(notice.titles),
        "descriptions": dict(notice.descriptions),
        "main_cpv": list(notice.main_cpv),
        "additional_cpv": list(notice.additional_cpv),
        "nuts": list(notice.nuts),
        "procedure_type": notice.procedure_type,
        "estimated_value": notice.estimated_value,
        "currency": notice.currency,
        "tender_deadline": notice.tender_deadline,
        "lots": plain(notice.lots),
        "awards": plain(notice.awards),
        "status": "voided" if notice.voided else "active",
        "source": source,
        "source_url": source_url,
        "content_hash": content_hash,
    }


def _digits(organisation_number: str) -> str:
    """ "NO 964 965 226 MVA" and "964965226" name the same organisation."""
    return "".join(character for character in organisation_number if character.isdigit())


def _county_of_places(notice: ParsedNotice) -> str | None:
    """The county of the first Norwegian place of performance, else of the buyer's address."""
    return first_county((*notice.nuts, *((notice.buyer.nuts,) if notice.buyer.nuts else ())))


class _Write:
    """The writes of one document: notice row, need and audit event in one transaction."""

    def __init__(self, session: Session, indexes: Indexes, caller: Principal, name: str, now: datetime):
        self.session, self.indexes, self.caller, self.name, self.now = session, indexes, caller, name, now

    def new(self, notice: ParsedNotice, values: dict[str, Any]) -> DocumentOutcome:
        row = ProcurementNotice(**values)
        return self._write_need(row, notice, "imported", "new notice")

    def change(
        self, changed: ProcurementNotice, notice: ParsedNotice, values: dict[str, Any]
    ) -> DocumentOutcome:
        """A change notice: its values replace those of the notice it changes, whose id and kind stay."""
        values = {**values, "notice_id": changed.notice_id, "kind": changed.kind}
        if notice.voided:
            message = f"notice {changed.notice_id} voided by change notice {notice.notice_id}"
            return self.existing(changed, notice, values, "voided", message)
        message = f"notice {changed.notice_id} changed by change notice {notice.notice_id}"
        return self.existing(changed, notice, values, "updated", message)

    def existing(
        self,
        row: ProcurementNotice,
        notice: ParsedNotice,
        values: dict[str, Any],
        outcome: Outcome,
        message: str,
    ) -> DocumentOutcome:
        for column, value in values.items():
            setattr(row, column, value)
        return self._write_need(row, notice, outcome, message)

    def _write_need(
        self, row: ProcurementNotice, notice: ParsedNotice, outcome: Outcome, message: str
    ) -> DocumentOutcome:
        text = need_text(notice)
        cpv_codes = [code for code in need_cpv_codes(notice) if normal_cpv_code(code)][:MAX_NEED_CPV_CODES]
        open_ = is_open(
            kind=row.kind, voided=row.status == "voided", tender_deadline=row.tender_deadline, now=self.now
        )
        fields = {
            "title": text.title,
            "description": text.description,
            "language": text.language,
            "municipality_number": row.municipality_number,
            "cpv_codes": cpv_codes,
            "status": "open" if open_ else "closed",
        }
        record_event(
            self.session,
            actor=self.caller.actor,
            action=f"notice_{outcome}",
            subject_kind="procurement_notice",
            subject_id=row.notice_id,
            detail={"document": self.name, "version": notice.version, "source": row.source},
        )
        try:
            # The pending notice row waits for the need's own flush, which the write path makes once the
            # text is encoded: flushed earlier it would hold the write lock while the encoder runs.
            with self.session.no_autoflush:
                if row.need_id is None:
                    need_in = NeedCreate.model_validate(fields)
                    needs_service.create(
                        session=self.session,
                        indexes=self.indexes,
                        need_in=need_in,
                        caller=self.caller,
                        origin="notice",
                        translations=text.translations,
                        linked=lambda need: self._link(row, need),
                    )
                else:
                    needs_service.update(
                        session=self.session,
                        indexes=self.indexes,
                        need_id=row.need_id,
                        need_in=NeedUpdate.model_validate(fields),
                        caller=self.caller,
                        translations=text.translations,
                    )
        except ValidationError as error:
            self.session.rollback()
            first = error.errors()[0]
            need_field = ".".join(str(part) for part in first["loc"])
            return DocumentOutcome(
                self.name, "refused", notice.notice_id, f"need {need_field}: {first['msg']}", need_field
            )
        return DocumentOutcome(self.name, outcome, notice.notice_id, message)

    def _link(self, row: ProcurementNotice, need: Need) -> None:
        row.need = need
        self.session.add(row)
