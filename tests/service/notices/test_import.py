"""Importing eForms notices: each stored as a notice row and a need, idempotent, versions, changes and
voidings, refusals that store nothing; on SQLite and PostgreSQL with the real encoder and indexes."""

import dataclasses
import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from service.access import Principal
from service.models import AuditEvent, Need, ProcurementNotice
from service.notices.eforms import parse_notice
from service.notices.importer import import_documents, import_parsed
from service.notices.need_fields import need_text
from service.notices.plain import plain
from tests.service.notices.conftest import SAMPLES, Store, sample

STAFF = Principal(role="staff", actor="Test Staff")
BEFORE_DEADLINES = datetime(2019, 1, 1, tzinfo=UTC)  # the samples' deadlines are in 2020 and 2023
MINIMAL_CN = "cn_24_minimal.xml"
MINIMAL_CN_ID = "f42be27e-09cf-4f0e-a745-63ec689631e6"


def _import(store: Store, *documents: tuple[str, bytes], now: datetime = BEFORE_DEADLINES) -> list[str]:
    with store.sessions() as session:
        report = import_documents(
            session=session,
            indexes=store.indexes,
            caller=STAFF,
            documents=documents,
            source="file",
            now=now,
        )
    return [document.outcome for document in report.documents]


def _stored(store: Store, notice_id: str) -> tuple[ProcurementNotice, Need]:
    with store.sessions() as session:
        notice = session.scalars(
            select(ProcurementNotice).where(ProcurementNotice.notice_id == notice_id)
        ).one()
        need = session.get(Need, notice.need_id)
        assert need is not None
        session.expunge_all()
        return notice, need


def test_every_valid_sample_is_stored_with_the_values_of_its_file(store: Store) -> None:
    files = sorted(SAMPLES.glob("*.xml"))
    with store.sessions() as session:
        report = import_documents(
            session=session,
            indexes=store.indexes,
            caller=STAFF,
            documents=[(file.name, file.read_bytes()) for file in files],
            source="file",
            now=BEFORE_DEADLINES,
        )
    outcomes = {document.name: document for document in report.documents}
    assert {name for name, document in outcomes.items() if document.outcome == "refused"} == {
        "INVALID_cn_24_empty.xml",
        "INVALID_pin-only_24_empty.xml",
    }
    assert outcomes["INVALID_cn_24_empty.xml"].field == "notice_id"
    # The change sorts before the notice it voids: stored as its own notice, then the notice arrives.
    void = outcomes["change-cn_24_void.xml"]
    assert void.outcome == "imported" and f"changes notice {MINIMAL_CN_ID}" in void.message
    assert outcomes[MINIMAL_CN].outcome == "imported"
    assert report.count("imported") == 12 and store.counts()["procurement_notice"] == 12

    for file in files:
        if file.name.startswith("INVALID_"):
            continue
        parsed = parse_notice(file.read_bytes(), file.name)
        notice, need = _stored(store, parsed.notice_id)
        assert (notice.version, notice.kind, notice.notice_type, notice.subtype) == (
            parsed.version,
            parsed.kind,
            parsed.notice_type,
            parsed.subtype,
        ), file.name
        assert notice.publication_date == parsed.publication_date
        assert notice.buyer_name == parsed.buyer.name
        assert notice.buyer_organisation_number == parsed.buyer.organisation_number
        assert notice.languages == list(parsed.languages) and notice.titles == parsed.titles
        assert notice.descriptions == parsed.descriptions
        assert notice.main_cpv == list(parsed.main_cpv) and notice.additional_cpv == list(
            parsed.additional_cpv
        )
        assert notice.nuts == list(parsed.nuts) and notice.procedure_type == parsed.procedure_type
        assert notice.estimated_value == parsed.estimated_value and notice.currency == parsed.currency
        assert notice.tender_deadline == parsed.tender_deadline
        assert notice.lots == plain(parsed.lots) and notice.awards == plain(parsed.awards)
        assert notice.source == "file" and notice.status == ("voided" if parsed.voided else "active")
        assert notice.municipality_number is None and notice.county_number is None  # none is Norwegian
        assert need.origin == "notice" and need.cpv_codes == list(
            dict.fromkeys([*parsed.main_cpv, *parsed.additional_cpv])
        )
        assert (need.title, need.description) == (need_text(parsed).title, need_text(parsed).description)

    multilingual, need = _stored(store, "55aae64f-88a8-44a5-b2fb-8228e97fe6ee")
    assert need.language == "en" and set(need.translations) == set(multilingual.languages) - {"en"}
    award, need = _stored(store, "15377ca1-6cf7-4060-90f0-9290128957a3")
    assert award.kind == "can" and award.awards and need.status == "closed"
    contract, need = _stored(store, "14549263-b47b-4e59-96a1-2d0d13e19343")  # cn_24_maximal
    assert contract.estimated_value is not None and need.status == "open"


def test_importing_again_writes_nothing(store: Store) -> None:
    documents = [sample(MINIMAL_CN), sample("can_24_minimal.xml"), sample("pin-only_24.xml")]
    assert _import(store, *documents) == ["imported"] * 3
    before = store.counts()
    assert before["procurement_notice"] == 3 and before["need"] == 3
    assert _import(store, *documents) == ["unchanged"] * 3
    assert store.counts() == before  # no notice, need, vector, index change nor audit event


def test_a_newer_version_updates_notice_and_need_an_older_one_is_kept(store: Store) -> None:
    name, first = sample(MINIMAL_CN)
    assert _import(store, (name, first)) == ["imported"]
    _, need_before = _stored(store, MINIMAL_CN_ID)
    title = need_before.title
    second = first.replace(b"<cbc:VersionID>01</cbc:VersionID>", b"<cbc:VersionID>02</cbc:VersionID>")
    second = second.replace(title.encode(), b"Provision of leak detection in water mains")
    assert second != first
    before = store.counts()
    assert _import(store, ("v2.xml", second)) == ["updated"]
    notice, need = _stored(store, MINIMAL_CN_ID)
    assert notice.version == "02" and notice.titles["en"] == "Provision of leak detection in water mains"
    assert need.id == need_before.id and need.title == "Provision of leak detection in water mains"
    after = store.counts()
    assert (after["procurement_notice"], after["need"]) == (before["procurement_notice"], before["need"])
    assert after["index_change"] > before["index_change"]  # the new text is in the index

    older = first.replace(b"</cbc:VersionID>", b"</cbc:VersionID>\n")  # version 01, another document
    assert _import(store, ("v1-again.xml", older)) == ["unchanged"]
    assert _stored(store, MINIMAL_CN_ID)[0].version == "02"


def test_a_voiding_change_voids_the_notice_and_closes_its_need(store: Store) -> None:
    assert _import(store, sample(MINIMAL_CN)) == ["imported"]
    notice, need = _stored(store, MINIMAL_CN_ID)
    assert (notice.status, need.status) == ("active", "open")
    before = store.counts()
    assert _import(store, sample("change-cn_24_void.xml")) == ["voided"]
    notice, need = _stored(store, MINIMAL_CN_ID)
    assert (notice.status, need.status, notice.kind) == ("voided", "closed", "cn")
    after = store.counts()
    assert after["procurement_notice"] == before["procurement_notice"] and after["need"] == before["need"]
    assert _import(store, sample("change-cn_24_void.xml")) == ["unchanged"]


def test_a_refused_document_stores_nothing(store: Store) -> None:
    before = store.counts()
    with store.sessions() as session:
        report = import_documents(
            session=session,
            indexes=store.indexes,
            caller=STAFF,
            documents=[sample("INVALID_pin-only_24_empty.xml"), ("broken.xml", b"<ContractNotice")],
            source="upload",
        )
    assert [(d.outcome, d.field) for d in report.documents] == [
        ("refused", "notice_id"),
        ("refused", "document"),
    ]
    assert report.all_refused and report.documents[1].name == "broken.xml"
    assert store.counts() == before


def test_a_norwegian_municipality_buyer_sets_municipality_county_and_norwegian_text(store: Store) -> None:
    parsed = parse_notice(*reversed(sample(MINIMAL_CN)))
    norwegian = dataclasses.replace(
        parsed,
        languages=("nb", "en"),
        titles={"en": "Leak detection", "nb": "Lekkasjesøk i vannledninger"},
        descriptions={"en": "Find leaks.", "nb": "Vi vil finne lekkasjer i ledningsnettet."},
        buyer=dataclasses.replace(parsed.buyer, name="Bergen kommune", organisation_number="964 338 531"),
        nuts=("NO081",),
        estimated_value=Decimal("2500000.50"),
        currency="NOK",
    )
    with store.sessions() as session:
        outcome = import_parsed(
            session=session,
            indexes=store.indexes,
            caller=STAFF,
            notice=norwegian,
            name="bergen.xml",
            content_hash="0" * 64,
            source="doffin",
            source_url="https://doffin.no/notices/2026-101",
            now=BEFORE_DEADLINES,
        )
    assert outcome.outcome == "imported"
    notice, need = _stored(store, MINIMAL_CN_ID)
    # The buyer's municipality (Bergen, county 46) wins over the place (NO081, Oslo).
    assert (notice.municipality_number, notice.county_number) == ("4601", "46")
    assert notice.estimated_value == Decimal("2500000.50") and notice.source_url.endswith("2026-101")
    assert (need.language, need.title, need.municipality_number) == (
        "no",
        "Lekkasjesøk i vannledninger",
        "4601",
    )
    assert need.translations == {"en": {"title": "Leak detection", "description": "Find leaks."}}

    elsewhere = dataclasses.replace(norwegian, notice_id="other", buyer=parsed.buyer, nuts=("SE110", "NO0A2"))
    with store.sessions() as session:
        import_parsed(
            session=session,
            indexes=store.indexes,
            caller=STAFF,
            notice=elsewhere,
            name="vestland.xml",
            content_hash="1" * 64,
            source="file",
            source_url=None,
            now=BEFORE_DEADLINES,
        )
    notice, need = _stored(store, "other")
    assert (notice.municipality_number, notice.county_number, need.municipality_number) == (None, "46", None)


def test_each_import_is_in_the_audit_trail(store: Store) -> None:
    _import(store, sample(MINIMAL_CN), sample("change-cn_24_void.xml"))
    with store.sessions() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.subject_kind == "procurement_notice").order_by(AuditEvent.id)
        ).all()
        assert [(e.action, e.subject_id, e.actor) for e in events] == [
            ("notice_imported", MINIMAL_CN_ID, "Test Staff"),
            ("notice_voided", MINIMAL_CN_ID, "Test Staff"),
        ]


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_two_imports_of_one_new_notice_at_once_store_it_once(store: Store) -> None:
    """Both look, find nothing and write; the one that loses the unique notice id looks again and finds
    it stored (a race: without the second look the loser fails instead of answering "unchanged").
    PostgreSQL only: SQLite takes one writer at a time."""
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def import_once() -> None:
        start.wait()
        outcomes.extend(_import(store, sample("cn_24_open.xml")))

    threads = [threading.Thread(target=import_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["imported", "unchanged"]
    assert store.counts()["procurement_notice"] == 1
