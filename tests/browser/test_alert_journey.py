"""An alert from end to end, in Chromium and in Bokmål, on a real server with its alert jobs on (as
`innomatch serve` runs them) and a real SMTP server: a supplier saves the search for needs that match
their solution («Med en gang», weakest match «Svak», by e-post), an officer writes a need in the words
of that solution, and within a round the supplier's mailbox holds one e-mail naming the search, whose
plain text gives the need's title and link; the link opens the need in the supplier's browser, and
that page passes axe-core's WCAG 2.1 A and AA rules and is photographed at desktop and phone width."""

import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from embeddings import Encoder
from service.config import Settings
from tests.support.accounts import PASSWORD, add_person
from tests.support.browser import DESKTOP, PHONE, SCREENSHOTS, axe_violations, page_on, photograph
from tests.support.servers import ADMIN_TOKEN, LiveServer, free_port, start_server
from tests.support.smtp import Collecting, smtp_collector

pytestmark = pytest.mark.slow
SUPPLIER = "lars@leverandor.no"
OFFICER = "kari@bodo.kommune.no"
SEARCH = "Nye behov for løsningen vår"
FIRST_MAIL_WITHIN = 150  # seconds: the worker runs a round at start and then every minute
QUIET_AFTER = 5  # seconds after the first e-mail in which no second may come
JOURNEY_SCREENSHOTS = SCREENSHOTS / "alert-journey"


@dataclass(frozen=True)
class Scene:
    live: LiveServer
    mailbox: Collecting
    solution: dict[str, Any]


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder) -> Iterator[Scene]:
    """A server on a copy of the demo data whose e-mails go to a test SMTP server and whose links
    name the server itself, with a supplier's person for a demo solution and an officer in Bodø."""
    directory = tmp_path_factory.mktemp("browser-alert-journey")
    shutil.copy(demo_template, directory / "innomatch.sqlite3")
    url = f"sqlite:///{directory / 'innomatch.sqlite3'}"
    port = free_port()
    with smtp_collector() as (mailbox, smtp_port):
        settings = Settings(
            data_dir=directory / "data",
            database_url=url,
            admin_token=ADMIN_TOKEN,
            seed="none",
            alerts_worker=True,
            smtp_url=f"smtp://127.0.0.1:{smtp_port}",
            public_base_url=f"http://127.0.0.1:{port}",
        )
        live = start_server(settings, encoder, port=port)
        try:
            with httpx.Client(base_url=live.base_url) as client:
                found = client.get("/api/v1/solutions", params={"limit": 100}).json()["items"]
            solution = next(item for item in found if item["supplier_id"] is not None)
            add_person(
                url, SUPPLIER, name="Lars Leverandør", role="supplier", supplier_id=solution["supplier_id"]
            )
            add_person(url, OFFICER, name="Kari Nordmann", role="officer", municipality_number="1804")
            yield Scene(live, mailbox, solution)
        finally:
            live.stop()


def _sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("link", name="Varsler")).to_be_visible()


def _save_the_search(page: Page, solution_id: int) -> None:
    page.goto(f"/my/solutions/{solution_id}/demand")
    page.get_by_role("link", name="Lagre søket").click()
    page.get_by_label("Navn", exact=True).fill(SEARCH)
    page.get_by_label("Med en gang noe er funnet").check()
    page.get_by_label("Svak", exact=True).check()
    expect(page.get_by_label("E-post", exact=True)).to_be_checked()
    page.get_by_role("button", name="Lagre søket").click()
    expect(page.get_by_role("status")).to_contain_text("Søket er lagret")


def _write_the_need(page: Page, title: str, problem: str) -> int:
    page.get_by_role("link", name="Skriv et behov").click()
    page.get_by_label("Tittel").fill(title)
    page.get_by_label("Problemet").fill(problem)
    page.get_by_role("button", name="Publiser behovet").click()
    expect(page).to_have_url(re.compile(r"/needs/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def _first_mail(mailbox: Collecting, address: str) -> float:
    """Waits for the first e-mail to `address`; when it came (time.monotonic)."""
    deadline = time.monotonic() + FIRST_MAIL_WITHIN
    while not mailbox.mails_to(address):
        assert time.monotonic() < deadline, f"no e-mail to {address} within {FIRST_MAIL_WITHIN} s"
        time.sleep(0.5)
    return time.monotonic()


def test_a_supplier_hears_by_email_of_an_officers_new_need_and_opens_it_from_the_mail(
    browser: Browser, scene: Scene
) -> None:
    title = f"{scene.solution['title']} i Bodø"
    base_url = scene.live.base_url
    with page_on(browser, base_url) as (supplier, supplier_offsite):
        _sign_in(supplier, SUPPLIER)
        _save_the_search(supplier, scene.solution["id"])
        with page_on(browser, base_url) as (officer, officer_offsite):
            _sign_in(officer, OFFICER)
            need_id = _write_the_need(officer, title, scene.solution["description"])

        arrived = _first_mail(scene.mailbox, SUPPLIER)
        [mail] = scene.mailbox.mails_to(SUPPLIER)
        assert SEARCH in str(mail["Subject"])
        text = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        assert title in text
        [link] = re.findall(r"https?://\S+/needs/\d+", text)
        assert link == f"{base_url}/needs/{need_id}", "the link names the server's public address"

        supplier.goto(link)
        expect(supplier.get_by_role("heading", level=1)).to_have_text(title)
        for viewport in (DESKTOP, PHONE):
            supplier.set_viewport_size(viewport)
            assert axe_violations(supplier) == []
            assert supplier.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            photograph(supplier, "need-from-mail", JOURNEY_SCREENSHOTS)
    time.sleep(max(0.0, arrived + QUIET_AFTER - time.monotonic()))
    assert len(scene.mailbox.received) == 1, "one e-mail, and no other"
    assert supplier_offsite.refused == officer_offsite.refused == []
