"""An officer's need pages over a real server on a copy of the demo data: write a need (bad input is
answered next to its field and stores nothing), see it matched, mark a match not relevant and see it
leave the list as the API's feedback takes it out; another municipality's officer and a form without
its CSRF token are refused and change nothing."""

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from embeddings import Encoder
from service.config import Settings
from tests.api.conftest import SharedServer
from tests.support.accounts import add_person, csrf_token, signed_in_client
from tests.support.servers import ADMIN_TOKEN, start_server

pytestmark = pytest.mark.slow
OSLO, BERGEN = "0301", "4601"
OFFICER, STRANGER = "kari@oslo.kommune.no", "ola@bergen.kommune.no"
LEAKS = {
    "title": "Vanntap i ledningsnettet",
    "description": "Vi mister mye drikkevann gjennom lekkasjer i gamle vannledninger og trenger å finne"
    " lekkasjene raskere, før de blir til brudd.",
    "language": "nb",
    "trl_min": "",
    "cpv_codes": "",
    "contact_name": "Kari Nordmann",
    "contact_email": "kari@oslo.kommune.no",
}
SOLUTION_LINK = re.compile(r'<a href="/solutions/(\d+)"')


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[SharedServer]:
    directory = tmp_path_factory.mktemp("need-pages")
    shutil.copy(demo_template, directory / "innomatch.sqlite3")
    url = f"sqlite:///{directory / 'innomatch.sqlite3'}"
    settings = Settings(data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none")
    shared = SharedServer(live=start_server(settings, encoder), database_url=url)
    add_person(url, OFFICER, name="Kari Nordmann", role="officer", municipality_number=OSLO)
    add_person(url, STRANGER, name="Ola Nordmann", role="officer", municipality_number=BERGEN)
    yield shared
    shared.live.stop()


def _new_need(browser: httpx.Client, **fields: str) -> httpx.Response:
    form = browser.get("/needs/new")
    assert form.status_code == 200
    return browser.post("/needs/new", data={**LEAKS, **fields, "csrf_token": csrf_token(form)})


def _written(server: SharedServer) -> int:
    with server.client() as admin:
        return int(admin.get("/api/v1/needs", params={"municipality": OSLO, "limit": 1}).json()["total"])


def test_bad_input_is_answered_next_to_its_field_and_nothing_is_stored(server: SharedServer) -> None:
    before = _written(server)
    with signed_in_client(server.live.base_url, OFFICER) as browser:
        answer = _new_need(browser, title="   ", trl_min="12", contact_email="not an address")
    assert answer.status_code == 422
    for field in ("need-title", "need-trl", "need-contact-email"):
        assert f'id="{field}-error"' in answer.text, field
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', answer.text, re.DOTALL), field
    assert 'id="need-description-error"' not in answer.text
    assert "gamle vannledninger" in answer.text, "what was typed is kept"
    assert _written(server) == before


def test_an_officer_writes_a_need_and_marks_a_match_not_relevant(server: SharedServer) -> None:
    with signed_in_client(server.live.base_url, OFFICER) as browser:
        assert 'href="/needs/new"' in browser.get("/").text, "the header offers to write a need"
        saved = _new_need(browser)
        assert saved.status_code == 303
        address = saved.headers["location"]
        need_id = int(address.rsplit("/", 1)[1])
        page = browser.get(address)
        assert page.status_code == 200 and "Vanntap i ledningsnettet" in page.text
        shown = SOLUTION_LINK.findall(page.text)
        assert len(shown) >= 3
        rejected = int(shown[0])
        marked = browser.post(
            f"/needs/{need_id}/feedback",
            data={"solution_id": rejected, "verdict": "not_useful", "csrf_token": csrf_token(page)},
        )
        assert marked.status_code == 303 and marked.headers["location"].startswith(f"/needs/{need_id}")
        after = SOLUTION_LINK.findall(browser.get(address).text)
    assert rejected not in map(int, after) and len(after) >= 3
    with server.client() as admin:
        stored = admin.get(f"/api/v1/needs/{need_id}").json()
        api_matches = admin.get(f"/api/v1/needs/{need_id}/matches").json()["items"]
        history = admin.get(f"/api/v1/needs/{need_id}/feedback").json()
    assert stored["language"] == "no" and stored["municipality_number"] == OSLO
    assert [item["verdict"] for item in history] == ["not_useful"]
    assert [int(solution) for solution in after] == [m["solution"]["id"] for m in api_matches][: len(after)]


def test_the_officer_closes_reopens_and_changes_the_need_and_downloads_its_matches(
    server: SharedServer,
) -> None:
    with signed_in_client(server.live.base_url, OFFICER) as browser:
        need = _new_need(browser, title="Lekkasjer i vannledninger").headers["location"]
        page = browser.get(need)
        closed = browser.post(f"{need}/status", data={"status": "closed", "csrf_token": csrf_token(page)})
        assert closed.status_code == 303
        assert 'name="status" value="open"' in browser.get(need).text, "it can be opened again"
        form = browser.get(f"{need}/edit")
        assert form.status_code == 200 and "Lekkasjer i vannledninger" in form.text
        changed = browser.post(
            f"{need}/edit", data={**LEAKS, "title": "Lekkasjer i gamle rør", "csrf_token": csrf_token(form)}
        )
        assert changed.status_code == 303 and changed.headers["location"] == need
        download = browser.get(f"{need}/matches.csv")
        in_bokmal = browser.get(f"{need}/matches.csv", cookies={"lang": "nb"})
    assert "Lekkasjer i gamle rør" in browser_text(server, need)
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    lines = download.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Rank,")  # in the reader's language: English for this reader
    assert in_bokmal.text.lstrip("\ufeff").startswith("Plass,")
    assert len(lines) > 3


def browser_text(server: SharedServer, address: str) -> str:
    with httpx.Client(base_url=server.live.base_url) as anonymous:
        return anonymous.get(address).text


def test_another_municipalitys_officer_may_not_change_the_need(server: SharedServer) -> None:
    with signed_in_client(server.live.base_url, OFFICER) as owner:
        need = _new_need(owner, title="Vannlekkasjer i Oslo").headers["location"]
    with signed_in_client(server.live.base_url, STRANGER) as stranger:
        page = stranger.get(f"{need}?lang=en")
        assert f'href="{need}/edit"' not in page.text and "/feedback" not in page.text
        assert stranger.get(f"{need}/edit").status_code == 403
        refused = stranger.post(
            f"{need}/edit", data={**LEAKS, "title": "Kapret", "csrf_token": csrf_token(page)}
        )
        closing = stranger.post(f"{need}/status", data={"status": "closed", "csrf_token": csrf_token(page)})
    assert refused.status_code == 403 and "municipality" in refused.text
    assert closing.status_code == 403
    with server.client() as admin:
        stored = admin.get(f"/api/v1/needs/{need.rsplit('/', 1)[1]}").json()
    assert stored["title"] == "Vannlekkasjer i Oslo" and stored["status"] == "open"


def test_a_form_without_its_csrf_token_is_refused(server: SharedServer) -> None:
    before = _written(server)
    with signed_in_client(server.live.base_url, OFFICER) as browser:
        refused = browser.post("/needs/new", data=LEAKS)
        wrong = browser.post("/needs/new", data={**LEAKS, "csrf_token": "x" * 40})
    assert refused.status_code == 403 and wrong.status_code == 403
    assert _written(server) == before


def test_signing_in_comes_first(server: SharedServer) -> None:
    with httpx.Client(base_url=server.live.base_url) as anonymous:
        answer = anonymous.get("/needs/new")
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/needs/new"


def test_the_contact_person_is_shown_to_signed_in_readers_only(server: SharedServer) -> None:
    bare = {"title": LEAKS["title"], "description": LEAKS["description"], "municipality_number": OSLO}
    contact = {"contact_name": LEAKS["contact_name"], "contact_email": LEAKS["contact_email"]}
    with server.client() as admin:
        created = admin.post("/api/v1/needs", json={**bare, **contact})
        without = admin.post("/api/v1/needs", json=bare)
    assert created.status_code == without.status_code == 201, created.text
    address, bare_address = f"/needs/{created.json()['id']}", f"/needs/{without.json()['id']}"
    with httpx.Client(base_url=server.live.base_url, cookies={"lang": "en"}, timeout=30) as anonymous:
        public = anonymous.get(address).text
    assert "kari@oslo.kommune.no" not in public and "Kari Nordmann" not in public
    assert "The contact person is shown to signed-in" in public
    assert f'href="/login?next={address}"' in public, "sign in and come back"
    with signed_in_client(server.live.base_url, STRANGER) as reader:
        assert (
            'Kari Nordmann <a class="ds-link" href="mailto:kari@oslo.kommune.no">' in reader.get(address).text
        )
        assert "No contact person is given for this need." in reader.get(bare_address).text
