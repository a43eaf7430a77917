"""The audit trail page over a real server on a copy of the demo data: a supplier's view of where its
solution is in demand is found by supplier, by a need it showed, by the actor's name and by day, a page
at a time; the CSV export of a search holds exactly the events the API selects; officers and suppliers
are refused, anonymous readers sent to sign in."""

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from markupsafe import escape

from embeddings import Encoder
from service.config import Settings
from tests.api.conftest import SharedServer
from tests.support.accounts import add_person, signed_in_client
from tests.support.servers import ADMIN_TOKEN, start_server

pytestmark = pytest.mark.slow
STAFF, SUPPLIER, OFFICER = "stine@innomatch.no", "siri@leverandor.no", "kari@stavanger.kommune.no"
ROW = re.compile(r'<tr class="audit-row">')


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    directory = tmp_path_factory.mktemp("audit-page")
    shutil.copy(demo_template, directory / "innomatch.sqlite3")
    url = f"sqlite:///{directory / 'innomatch.sqlite3'}"
    settings = Settings(data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none")
    shared = SharedServer(live=start_server(settings, encoder), database_url=url)
    add_person(url, STAFF, name="Stine Stab", role="staff")
    add_person(url, OFFICER, name="Kari Nordmann", role="officer", municipality_number="1103")
    yield shared
    shared.live.stop()


@pytest.fixture(scope="module")
def seen(server: SharedServer) -> dict[str, object]:
    """A supplier looks at where its solution is in demand: the view is in the trail, with the needs shown."""
    with server.client() as admin:
        solution = admin.get("/api/v1/solutions", params={"limit": 1}).json()["items"][0]
    supplier_id = solution["supplier_id"]
    add_person(
        server.database_url, SUPPLIER, name="Siri Salgsdottir", role="supplier", supplier_id=supplier_id
    )
    with signed_in_client(server.live.base_url, SUPPLIER) as supplier:
        page = supplier.get(f"/my/solutions/{solution['id']}/demand")
        assert page.status_code == 200
    with server.client() as admin:
        views = admin.get("/api/v1/audit", params={"subject_kind": "solution_demand", "limit": 100}).json()[
            "items"
        ]
    [view] = [item for item in views if item["actor"].startswith("Siri Salgsdottir")]
    assert view["detail"]["need_ids"], "the demo solution is in demand"
    return {"supplier_id": supplier_id, "view": view, "need_id": view["detail"]["need_ids"][-1]}


def _ids(html: str) -> list[str]:
    return re.findall(r'<tr class="audit-row">\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>([^<]*)</td>', html)


def test_the_search_finds_the_view_by_supplier_need_actor_and_day(
    server: SharedServer, seen: dict[str, object]
) -> None:
    view = seen["view"]
    assert isinstance(view, dict)
    today = date.today()
    with signed_in_client(server.live.base_url, STAFF) as staff:
        everything = staff.get("/audit")
        assert everything.status_code == 200
        searches = [
            {"supplier": seen["supplier_id"]},
            {"need": seen["need_id"]},
            {"actor": "salgsdottir"},
            {
                "actor": "salgsdottir",
                "since": (today - timedelta(days=1)).isoformat(),
                "until": (today + timedelta(days=1)).isoformat(),
            },
        ]
        for search in searches:
            page = staff.get("/audit", params=search)
            assert page.status_code == 200, search
            assert any(actor.startswith("Siri Salgsdottir") for actor in _ids(page.text)), search
        solution_id = view["subject_id"]
        rows = re.findall(
            r'<tr class="audit-row">.*?</tr>', staff.get("/audit", params=searches[0]).text, re.DOTALL
        )
        [said] = [row for row in rows if '<td data-label="What">viewed</td>' in row]  # the action in words
        assert (
            f'the demand for <a class="ds-link" href="/solutions/{solution_id}">solution {solution_id}</a>'
            in said
        )
        past = staff.get("/audit", params={"actor": "salgsdottir", "until": "2020-01-01"})
        assert "Siri Salgsdottir" not in past.text and "0 events" in past.text
        other = staff.get("/audit", params={"need": 999999})
        assert "Siri Salgsdottir" not in other.text
        wrong = staff.get("/audit", params={"since": "yesterday"})
        assert wrong.status_code == 422 and 'id="audit-since-error"' in wrong.text


def test_the_trail_comes_a_page_at_a_time(server: SharedServer, seen: dict[str, object]) -> None:
    with server.client() as admin:
        total = admin.get("/api/v1/audit", params={"limit": 1}).json()["total"]
    with signed_in_client(server.live.base_url, STAFF) as staff:
        first = staff.get("/audit")
        shown = len(ROW.findall(first.text))
        assert shown == min(total, 50)
        if total > 50:
            assert (
                'rel="next" href="/audit?offset=50"' in first.text
                or 'href="/audit?offset=50" rel="next"' in first.text
            )
            second = staff.get("/audit", params={"offset": 50})
            assert len(ROW.findall(second.text)) == min(total - 50, 50)


def test_the_csv_export_holds_the_searched_events(server: SharedServer, seen: dict[str, object]) -> None:
    view = seen["view"]
    assert isinstance(view, dict)
    with signed_in_client(server.live.base_url, STAFF) as staff:
        page = staff.get("/audit", params={"supplier": seen["supplier_id"]})
        [address] = re.findall(r'href="(/audit/export\?[^"]*format=csv)"', page.text)
        exported = staff.get(address.replace("&amp;", "&"))
        xlsx = staff.get(address.replace("&amp;", "&").replace("format=csv", "format=xlsx"))
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    with server.client() as admin:
        api = admin.get("/api/v1/audit", params={"supplier_id": seen["supplier_id"], "format": "csv"})
    assert exported.content == api.content, "the page's export is the API's"
    assert str(view["id"]) in [row["id"] for row in rows]
    supplier = seen["supplier_id"]
    created = [row for row in rows if row["action"] == "user.created"]
    assert created, "the account made for the supplier names it: found by the supplier too"
    for row in (
        rows
    ):  # each about the supplier: a view of its solution's demand or of matches listing it, or naming it
        assert (
            row["subject_kind"] == "solution_demand"
            or f'"supplier_id": {supplier}' in row["detail"]
            or (
                row["subject_kind"] in ("need_matches", "solution_search")
                and supplier in json.loads(row["detail"])["supplier_ids"]
            )
        ), row


@pytest.mark.parametrize("path", ["/audit", "/audit/export?format=csv"])
def test_only_staff_and_administrators_see_the_trail(server: SharedServer, path: str) -> None:
    with httpx.Client(base_url=server.live.base_url) as anonymous:
        sent = anonymous.get(path)
        assert sent.status_code == 303 and sent.headers["location"].startswith("/login?next=/audit")
    with signed_in_client(server.live.base_url, OFFICER) as officer:
        refused = officer.get(path)
        assert refused.status_code == 403 and "Only programme staff and administrators" in refused.text


SOLUTION_LINK = re.compile(r'<a href="/solutions/(\d+)"')


def _match_views(server: SharedServer, need_id: int) -> list[dict[str, object]]:
    with server.client() as admin:
        found = admin.get(
            "/api/v1/audit", params={"subject_kind": "need_matches", "need_id": need_id, "limit": 100}
        )
    assert found.status_code == 200, found.text
    return [item for item in found.json()["items"] if item["actor"].startswith("Kari Nordmann")]


def test_an_officer_seeing_a_needs_matches_is_in_the_trail_and_said_in_words(server: SharedServer) -> None:
    """The page's window is recorded, not the one more rank it asks for; its CSV is a view of all it holds."""
    with server.client() as admin:
        need = admin.get("/api/v1/needs", params={"limit": 1}).json()["items"][0]
    need_id = need["id"]
    with signed_in_client(server.live.base_url, OFFICER) as officer:
        page = officer.get(f"/needs/{need_id}", params={"offset": 10})
        assert page.status_code == 200
        shown = [int(found) for found in SOLUTION_LINK.findall(page.text)]
        sheet = officer.get(f"/needs/{need_id}/matches.csv")
        assert sheet.status_code == 200
    assert len(shown) == 10, "the demo need has more than 20 matches"
    listed = [int(row[1]) for row in list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))[1:]]
    [window, everything] = _match_views(server, need_id)
    assert window["detail"]["offset"] == 10 and window["detail"]["solution_ids"] == shown
    assert everything["detail"]["offset"] == 0 and everything["detail"]["solution_ids"] == listed
    suppliers = window["detail"]["supplier_ids"]
    some_supplier = next(number for number in suppliers if number is not None)
    with server.client() as admin:
        by_supplier = admin.get(
            "/api/v1/audit",
            params={"supplier_id": some_supplier, "subject_kind": "need_matches", "limit": 200},
        ).json()
    assert window["id"] in [item["id"] for item in by_supplier["items"]]

    kinds = len({number for number in suppliers if number is not None})
    with signed_in_client(server.live.base_url, STAFF) as staff:
        english = staff.get("/audit", params={"need": need_id, "actor": "nordmann"}).text
        staff.cookies.set("lang", "nb")
        bokmal = staff.get("/audit", params={"need": need_id, "actor": "nordmann"}).text
    title = str(escape(need["title"]))
    word, ord_nb = ("supplier", "leverandør") if kinds == 1 else ("suppliers", "leverandører")
    link = f'<a class="ds-link" href="/needs/{need_id}">'
    assert (
        f"the matches for need {link}“{title}”</a>: 10 solutions from {kinds} {word} (from rank 11)"
        in english
    ), english
    assert (
        f"treffene for behov {link}«{title}»</a>: 10 løsninger fra {kinds} {ord_nb} (fra plass 11)" in bokmal
    )
    assert f"the matches for need {link}“{title}”</a>: {len(listed)} solutions from" in english
