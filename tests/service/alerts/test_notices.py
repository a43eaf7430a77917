"""A procurement notice imported after a supplier saved a search reaches that search as the need it is,
and the alert's report (webhook body, e-mail) says it is a notice, with its deadline, buyer and link."""

from sqlalchemy import select

from service.access import Principal
from service.alerts import service as alerts
from service.alerts.channels import alert_report
from service.alerts.evaluation import evaluate
from service.alerts.mail import compose_alert_mail
from service.alerts.repository import notices_of_matches
from service.alerts.schemas import SavedSearchFields
from service.models import AlertMatch, ProcurementNotice, SavedSearch
from service.notices.importer import import_documents
from service.solutions import service as solutions
from service.solutions.schemas import SolutionCreate
from service.suppliers import service as suppliers
from service.suppliers.schemas import SupplierCreate
from service.tokens import service as tokens
from service.tokens.schemas import TokenCreate
from tests.service.alerts.conftest import Demo
from tests.service.notices.test_use import LATER_ID, later_copy

STAFF = Principal(role="staff", actor="test staff")
BASE = "https://innomatch.example"


def test_a_new_notice_reaches_a_suppliers_saved_search_as_a_notice(demo: Demo) -> None:
    sessions, indexes = demo
    with sessions() as session:
        supplier = suppliers.create(
            session=session, supplier_in=SupplierCreate(name="Kontroll AS", organisation_number="923609016")
        )
        solution = solutions.create(
            session=session,
            indexes=indexes,
            solution_in=SolutionCreate(
                title="In-service inspection and testing of electrical equipment",
                description="We inspect and test portable electrical appliances and fixed installations in "
                "public buildings on a planned programme, with a report for every appliance.",
                language="en",
                supplier_id=supplier.id,
            ),
            caller=STAFF,
        )
        made = tokens.create(
            session=session,
            token_in=TokenCreate(name="alerts supplier", role="supplier", supplier_id=supplier.id),
            created_by="test",
        )
        owner = Principal(role="supplier", actor="alerts supplier", token_id=made.id, supplier_id=supplier.id)
        fields = SavedSearchFields(
            name="Kunngjøringer for min løsning",
            kind="needs_for_solution",
            solution_id=solution.id,
            min_band="weak",
        )
        created = alerts.create(session=session, indexes=indexes, fields=fields, caller=owner)
        evaluate(session, indexes)  # what existed before the search is not new

        # A notice imported now (its deadline in 2099): a need of origin "notice", new to the search.
        report = import_documents(
            session=session, indexes=indexes, caller=STAFF, documents=[later_copy()], source="file"
        )
        assert report.count("imported") == 1
        notice = session.scalars(
            select(ProcurementNotice).where(ProcurementNotice.notice_id == LATER_ID)
        ).one()
        evaluate(session, indexes)
        search = session.get(SavedSearch, created.id)
        assert search is not None
        matches = list(session.scalars(select(AlertMatch).where(AlertMatch.saved_search_id == search.id)))
        assert str(notice.need_id) in [match.record_id for match in matches]

        notices = notices_of_matches(session, matches)
        body = alert_report(search, matches, base_url=BASE, delivery_id="d1", notices=notices)
        item = next(item for item in body["matches"] if item["record_id"] == str(notice.need_id))
        assert item["origin"] == "notice"
        assert item["notice"] == {
            "kind": "cn",
            "deadline": "2099-04-03T11:00:00+00:00",
            "buyer_name": "Renfrewshire Council",
            "link": f"/api/v1/notices/{notice.id}",
        }
        mail = compose_alert_mail(
            search,
            matches,
            to="leverandor@example.no",
            owner_name="Kari",
            base_url=BASE,
            delivery_id="d1",
            unsubscribe_url=f"{BASE}/u",
            notices=notices,
        )
        assert "(kunngjøring)" in mail.as_string() or "(kunngj=C3=B8ring)" in mail.as_string()
