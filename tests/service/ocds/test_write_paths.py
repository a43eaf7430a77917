"""The write paths of needs other than a plain ORM write record releases too: the notice importer (a need
and its notice in one transaction) and the needs service with the real encoder and indexes."""

from datetime import UTC, datetime

from sqlalchemy import select

from service.access import Principal
from service.models import NeedRelease, ProcurementNotice
from service.needs import service as needs_service
from service.needs.schemas import NeedUpdate
from service.notices.importer import import_documents
from service.ocds import service
from service.ocds.package import release_package
from service.ocds.validation import package_errors
from tests.service.notices.conftest import Store, sample
from tests.service.notices.conftest import store as store  # the notices' database with open indexes
from tests.service.ocds.support import PUBLICATION

STAFF = Principal(role="staff", actor="Test Staff")
DOFFIN_PAGE = "https://doffin.no/notices/2024-101010"
BEFORE_THE_DEADLINE = datetime(2019, 1, 1, tzinfo=UTC)  # the sample's deadline is in 2020: the need is open


def _import(store: Store) -> None:
    name, content = sample("cn_24_minimal.xml")
    with store.sessions() as session:
        import_documents(
            session=session,
            indexes=store.indexes,
            caller=STAFF,
            documents=[(name, content)],
            source="file",
            source_urls={name: DOFFIN_PAGE},
            now=BEFORE_THE_DEADLINE,
        )


def test_an_imported_notice_and_a_service_update_are_releases_of_the_need(store: Store) -> None:
    _import(store)
    _import(store)  # the same document again changes nothing, and publishes nothing new
    with store.sessions() as session:
        need_id = session.scalars(select(ProcurementNotice.need_id)).one()
        assert need_id is not None
        (first,) = service.releases_of_need(session=session, publication=PUBLICATION, need_id=need_id)
        needs_service.update(
            session=session,
            indexes=store.indexes,
            need_id=need_id,
            need_in=NeedUpdate(status="closed"),
            caller=STAFF,
        )
    with store.sessions() as session:
        releases = service.releases_of_need(session=session, publication=PUBLICATION, need_id=need_id)
        stored = session.scalars(select(NeedRelease).where(NeedRelease.need_id == need_id)).all()
    assert len(stored) == 2 and releases[0] == first
    notice = {document["id"]: document for document in first["planning"]["documents"]}["notice"]
    assert notice["documentType"] == "tenderNotice" and notice["url"] == DOFFIN_PAGE
    assert [release["tender"]["status"] for release in releases] == ["planning", "withdrawn"]
    package = release_package(releases, uri="http://innomatch.test/x", next_uri=None, publication=PUBLICATION)
    assert package_errors(package) == []
