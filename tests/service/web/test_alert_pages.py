"""«Mine varsler» over HTTP on a real server: "Save this search" on each page where a search is made,
shown only to those who may save it, leads to a filled-in form whose search then shows in the list with
its fields in words; bad input is answered next to its field and stores nothing; pause, resume, change
and delete work for the owner only (another person 403, no search 404); forms without their CSRF token
are refused; an anonymous reader is sent to sign in."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest

from embeddings import Encoder
from service.db import make_engine, make_session_factory
from service.models import AlertMatch, SavedSearch
from tests.api.conftest import SharedServer
from tests.support.accounts import add_person, csrf_token, signed_in_client
from tests.support.records import LEAK_NEED, LEAK_SOLUTION, WATER_LOSS, create
from tests.support.servers import server_on_copy

pytestmark = pytest.mark.slow
SUPPLIER, OTHER_SUPPLIER = "lars@lytt.no", "kari@annen.no"
OFFICER, BERGEN_OFFICER, STAFF = "ola@oslo.kommune.no", "per@bergen.kommune.no", "siri@lup.no"
SAVE = re.compile(r'<a class="ds-button"[^>]*href="(/alerts/new\?[^"]+)">Save this search</a>')


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, encoder: Encoder
) -> Iterator[tuple[SharedServer, dict[str, int]]]:
    live, url = server_on_copy(sqlite_template, tmp_path_factory.mktemp("alert-pages"), encoder)
    shared = SharedServer(live=live, database_url=url)
    with shared.client() as admin:
        lytt = create(admin, "suppliers", name="Lytt AS", organisation_number="974760673")
        other = create(admin, "suppliers", name="Annen AS", organisation_number="923609016")
        solution = create(admin, "solutions", **LEAK_SOLUTION, supplier_id=lytt["id"])
        need = create(admin, "needs", **LEAK_NEED, municipality_number="0301")
    add_person(url, SUPPLIER, name="Lars Lytt", role="supplier", supplier_id=lytt["id"])
    add_person(url, OTHER_SUPPLIER, name="Kari Annen", role="supplier", supplier_id=other["id"])
    add_person(url, OFFICER, name="Ola Oslo", role="officer", municipality_number="0301")
    add_person(url, BERGEN_OFFICER, name="Per Bergen", role="officer", municipality_number="4601")
    add_person(url, STAFF, name="Siri Stab", role="staff")
    yield shared, {"solution": int(solution["id"]), "need": int(need["id"])}
    live.stop()


@contextmanager
def _signed_in(server: SharedServer, email: str) -> Iterator[httpx.Client]:
    with signed_in_client(server.live.base_url, email) as client:
        yield client


class _Form(HTMLParser):
    """What a browser sends for the page's form as shown: hidden and filled-in fields, the boxes and
    radios ticked, each list's chosen option, the text areas."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "input" and found.get("name"):
            if found.get("type") in ("checkbox", "radio") and "checked" not in found:
                return
            self.fields.append((found["name"], found.get("value", "")))
        elif tag == "select":
            self._select = found.get("name")
        elif tag == "option" and self._select and "selected" in found:
            self.fields.append((self._select, found.get("value", "")))
        elif tag == "textarea":
            self._textarea = found.get("name")
            self.fields.append((found["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            name, text = self.fields.pop()
            self.fields.append((name, text + data))


def _form_of(page: httpx.Response) -> list[tuple[str, str]]:
    form = page.text[page.text.index('<form class="alert-form"') :]
    parser = _Form()
    parser.feed(form[: form.index("</form>")])
    return parser.fields


def _changed(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    return [(name, value) for name, value in fields if name not in values] + list(values.items())


def _send(client: httpx.Client, path: str, fields: list[tuple[str, str]]) -> httpx.Response:
    """A form as a browser posts it: a field sent once per value (the channels ticked)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return client.post(path, content=urlencode(fields), headers=headers)


def _save_link(page: httpx.Response) -> str:
    found = SAVE.search(page.text)
    assert found, f"no “Save this search” on {page.url}"
    return found.group(1).replace("&amp;", "&")


def _saved_from(client: httpx.Client, path: str, **fields: str) -> httpx.Response:
    """Open the page, follow its “Save this search”, send the form as shown (with `fields` changed)."""
    form = client.get(_save_link(client.get(path)))
    assert form.status_code == 200, form.text
    return _send(client, "/alerts", _changed(_form_of(form), **fields))


def _searches(server: SharedServer) -> list[dict[str, Any]]:
    with server.client() as admin:  # an administrator's list holds everyone's
        items: list[dict[str, Any]] = admin.get("/api/v1/saved-searches", params={"limit": 100}).json()[
            "items"
        ]
    return items


def _card(page: str, name: str) -> str:
    """The list's entry of the search called `name`."""
    start = page.index(f">{name}</h2>")
    return page[start : page.index("</li>", start)]


def test_an_anonymous_reader_is_sent_to_sign_in(server: tuple[SharedServer, dict[str, int]]) -> None:
    shared, ids = server
    with httpx.Client(base_url=shared.live.base_url) as client:
        for path in ("/alerts", f"/alerts/new?kind=needs_for_solution&solution_id={ids['solution']}"):
            answer = client.get(path)
            assert answer.status_code == 303
            assert answer.headers["location"] == f"/login?next={quote(path, safe='/')}", "and back"
        assert "Save this search" not in client.get("/search", params={"q": "lekkasjer"}).text
        assert 'href="/alerts"' not in client.get("/").text


def test_a_supplier_saves_from_the_demand_page_and_sees_it_in_the_list(
    server: tuple[SharedServer, dict[str, int]],
) -> None:
    shared, ids = server
    with _signed_in(shared, SUPPLIER) as client:
        form = client.get(_save_link(client.get(f"/my/solutions/{ids['solution']}/demand")))
        assert f'value="{LEAK_SOLUTION["title"]}"' in form.text, "the name defaults to the solution's title"
        assert re.search(r'value="email" checked', form.text) and re.search(
            r'value="daily" checked', form.text
        )
        saved = _send(client, "/alerts", _changed(_form_of(form), name="Lekkasjebehov"))
        assert saved.status_code == 303 and saved.headers["location"] == "/alerts?done=saved"
        listed = client.get("/alerts")
    [search] = [item for item in _searches(shared) if item["name"] == "Lekkasjebehov"]
    assert (
        search | {"kind": "needs_for_solution", "solution_id": ids["solution"], "frequency": "daily"}
        == search
    )
    assert (search["min_band"], search["channels"], search["language"]) == ("moderate", ["email"], "en")
    card = _card(listed.text, "Lekkasjebehov")
    assert "New needs that match a solution" in card
    assert f'<a href="/solutions/{ids["solution"]}">{LEAK_SOLUTION["title"]}</a>' in card
    for words in ("Once a day", "moderate", "E-mail, the notifications page", "active", "nothing yet"):
        assert words in card, words
    assert 'href="/alerts/notifications"' in listed.text
    assert '<a class="ds-link" href="/alerts" aria-current="page">Alerts</a>' in listed.text


def test_each_search_page_saves_its_own_kind_with_its_filters(
    server: tuple[SharedServer, dict[str, int]],
) -> None:
    shared, ids = server
    with _signed_in(shared, SUPPLIER) as client:
        assert _saved_from(client, f"/solutions/{ids['solution']}", name="Fra løsningen").status_code == 303
        assert "Save this search" not in client.get("/").text, "no filters, nothing to follow"
        text = "lekkasjer i vannledninger"
        assert _saved_from(client, "/?county=03", name="Behov i Oslo", text=text).status_code == 303
    with _signed_in(shared, OFFICER) as client:
        need_page = f"/needs/{ids['need']}?trl_min=5"
        assert _saved_from(client, need_page, name="Til vårt behov").status_code == 303
        assert _saved_from(client, "/search?q=lekkasjer+i+vannledninger").status_code == 303
    with _signed_in(shared, STAFF) as client:
        assert _saved_from(client, f"/?kpi={WATER_LOSS}", name="Vanntap").status_code == 303
        assert _saved_from(client, "/buyer-groups", name="Innkjøpsgrupper").status_code == 303
        staff_list = client.get("/alerts").text
    searches = {item["name"]: item for item in _searches(shared)}
    assert searches["Fra løsningen"]["kind"] == "needs_for_solution"
    assert (searches["Behov i Oslo"]["kind"], searches["Behov i Oslo"]["filters"]) == (
        "needs_for_text",
        {"county": "03"},
    )
    assert searches["Behov i Oslo"]["text"] == text
    assert (
        searches["Til vårt behov"] | {"kind": "solutions_for_need", "need_id": ids["need"]}
        == searches["Til vårt behov"]
    )
    assert searches["Til vårt behov"]["filters"] == {"trl_min": 5}
    assert searches["lekkasjer i vannledninger"]["kind"] == "solutions_for_text", "the text names it"
    assert (searches["Vanntap"]["kind"], searches["Vanntap"]["filters"]) == ("new_needs", {"kpi": WATER_LOSS})
    assert searches["Innkjøpsgrupper"]["kind"] == "new_buyer_groups"
    vanntap = _card(staff_list, "Vanntap")
    assert "New needs on a topic" in vanntap and f'<span class="code">{WATER_LOSS}</span>' in vanntap
    assert "Til vårt behov" not in staff_list, "each person sees their own"


def test_the_button_is_shown_only_to_those_who_may_save(server: tuple[SharedServer, dict[str, int]]) -> None:
    shared, ids = server
    with _signed_in(shared, BERGEN_OFFICER) as client:
        assert "Save this search" not in client.get(f"/needs/{ids['need']}").text, (
            "another municipality's need"
        )
        refused = client.get(f"/alerts/new?kind=solutions_for_need&need_id={ids['need']}")
        assert refused.status_code == 403 and "You may not save this search" in refused.text
    with _signed_in(shared, OTHER_SUPPLIER) as client:
        assert "Save this search" not in client.get(f"/solutions/{ids['solution']}").text
        assert client.get("/alerts/new?kind=new_buyer_groups").status_code == 403
    with _signed_in(shared, OFFICER) as client:
        assert "Save this search" in client.get(f"/needs/{ids['need']}").text


def test_bad_input_is_answered_next_to_its_field_and_nothing_is_stored(
    server: tuple[SharedServer, dict[str, int]],
) -> None:
    shared, _ids = server
    with _signed_in(shared, SUPPLIER) as client:
        form = client.get(_save_link(client.get("/?county=03")))
        before = shared.counts()
        refused = _send(client, "/alerts", _changed(_form_of(form), name="  ", min_band="excellent", text=""))
    assert refused.status_code == 422
    for field, words in (
        ("alert-name", "The name is empty"),
        ("alert-band", "The weakest match must be one of"),
        ("alert-text", "Write what the search looks for."),
    ):
        found = re.search(rf'id="{field}-error">([^<]*)<', refused.text)
        assert found and words in found.group(1), (field, found and found.group(1))
        assert re.search(rf'aria-describedby="[^"]*{field}-error"', refused.text), field
    assert 'name="filter_county" value="03"' in refused.text, "the search is kept"
    assert shared.counts() == before


def _own_search(shared: SharedServer, client: httpx.Client, solution_id: int, name: str) -> int:
    assert _saved_from(client, f"/solutions/{solution_id}", name=name).status_code == 303
    [search] = [item for item in _searches(shared) if item["name"] == name]
    return int(search["id"])


def _post(client: httpx.Client, path: str, form_page: str = "/alerts", **fields: str) -> httpx.Response:
    return client.post(path, data={"csrf_token": csrf_token(client.get(form_page)), **fields})


def test_pause_resume_change_and_delete_by_the_owner(server: tuple[SharedServer, dict[str, int]]) -> None:
    shared, ids = server
    with _signed_in(shared, SUPPLIER) as client:
        search_id = _own_search(shared, client, ids["solution"], "Skal endres")
        paused = _post(client, f"/alerts/{search_id}/pause")
        assert paused.status_code == 303 and paused.headers["location"] == f"/alerts#search-{search_id}"
        card = _card(client.get("/alerts").text, "Skal endres")
        assert "paused" in card and ">Resume</button>" in card
        assert _post(client, f"/alerts/{search_id}/resume").status_code == 303
        assert "active" in _card(client.get("/alerts").text, "Skal endres")

        edit = client.get(f"/alerts/{search_id}/edit")
        assert edit.status_code == 200 and 'value="Skal endres"' in edit.text
        fields = _changed(_form_of(edit), name="Endret", frequency="weekly", min_band="strong")
        fields = [(name, value) for name, value in fields if name != "channels"] + [("channels", "feed")]
        assert _send(client, f"/alerts/{search_id}", fields).headers["location"] == "/alerts?done=changed"
        emptied = _send(client, f"/alerts/{search_id}", _changed(fields, name=""))
        assert emptied.status_code == 422 and 'id="alert-name-error"' in emptied.text
        [search] = [item for item in _searches(shared) if item["id"] == search_id]
        assert (search["name"], search["frequency"], search["min_band"]) == ("Endret", "weekly", "strong")
        assert (search["channels"], search["paused"]) == (["feed"], False)
        card = _card(client.get("/alerts").text, "Endret")
        assert "Once a week" in card and "Atom feed, the notifications page" in card

        confirm = client.get(f"/alerts/{search_id}/delete")
        assert confirm.status_code == 200 and "Delete the saved search “Endret”?" in confirm.text
        deleted = _post(client, f"/alerts/{search_id}/delete", f"/alerts/{search_id}/delete")
        assert deleted.headers["location"] == "/alerts?done=deleted"
    assert search_id not in [item["id"] for item in _searches(shared)]


def test_another_person_is_refused_and_changes_nothing(server: tuple[SharedServer, dict[str, int]]) -> None:
    shared, ids = server
    with _signed_in(shared, SUPPLIER) as client:
        search_id = _own_search(shared, client, ids["solution"], "Bare min")
    before = [item for item in _searches(shared) if item["id"] == search_id]
    with _signed_in(shared, OTHER_SUPPLIER) as stranger:
        assert _post(stranger, f"/alerts/{search_id}/pause").status_code == 403
        assert _post(stranger, f"/alerts/{search_id}/delete").status_code == 403
        assert _post(stranger, f"/alerts/{search_id}", name="Min nå").status_code == 403
        refused = stranger.get(f"/alerts/{search_id}/edit")
        assert refused.status_code == 403 and "belongs to someone else" in refused.text
        assert "Bare min" not in stranger.get("/alerts").text
        assert stranger.get("/alerts/999999/edit").status_code == 404
        assert _post(stranger, "/alerts/999999/pause").status_code == 404
    assert [item for item in _searches(shared) if item["id"] == search_id] == before


def test_forms_without_their_csrf_token_are_refused(server: tuple[SharedServer, dict[str, int]]) -> None:
    shared, ids = server
    with _signed_in(shared, SUPPLIER) as client:
        search_id = _own_search(shared, client, ids["solution"], "Uten nøkkel")
        form = client.get(_save_link(client.get(f"/solutions/{ids['solution']}")))
        fields = [(name, value) for name, value in _form_of(form) if name != "csrf_token"]
        before = len(_searches(shared))
        assert _send(client, "/alerts", fields).status_code == 403
        assert client.post(f"/alerts/{search_id}/pause").status_code == 403
        assert client.post(f"/alerts/{search_id}/delete", data={"csrf_token": "forged"}).status_code == 403
    searches = _searches(shared)
    assert len(searches) == before
    assert [item["paused"] for item in searches if item["id"] == search_id] == [False]


def test_the_list_says_when_the_last_notification_went_and_how_many_records_it_held(
    server: tuple[SharedServer, dict[str, int]],
) -> None:
    shared, ids = server
    with _signed_in(shared, SUPPLIER) as client:
        search_id = _own_search(shared, client, ids["solution"], "Sendt før")
        sent = datetime(2026, 12, 6, 20, 5, tzinfo=UTC)  # 21:05 in Norway
        engine = make_engine(shared.database_url)
        with make_session_factory(engine)() as session:
            search = session.get(SavedSearch, search_id)
            assert search is not None
            search.last_delivered_at = sent
            for number, notified in enumerate((sent, sent, sent - timedelta(days=1))):
                session.add(
                    AlertMatch(
                        saved_search_id=search_id,
                        record_kind="need",
                        record_id=str(1000 + number),
                        title=f"Behov {number}",
                        notified_at=notified,
                    )
                )
            session.commit()
        engine.dispose()
        card = _card(client.get("/alerts").text, "Sendt før")
        assert "Dec 6, 2026, 9:05:00\u202fPM: 2 records" in card, card
        client.cookies.set("lang", "nb")
        card = _card(client.get("/alerts").text, "Sendt før")
    assert "6. des. 2026, 21:05:00: 2 treff" in card, card
