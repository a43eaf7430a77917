"""The notifications page ("Varsler") over a real server on a copy of the demo data: two officers'
saved searches find a new solution and a new need, and one delivery round sends them (one e-mail
delivered into the outbox, one refused for good, one waiting to be tried again). Each person sees what
their own searches found and sent, never the other's; a failed sending shows its error; the English
page gives the English reason; a person without searches is told what will appear, and an anonymous
reader is sent to sign in."""

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from embeddings import Encoder
from service.alerts.channels import DeliveryError
from service.config import Settings
from tests.support.accounts import add_person, sign_in, signed_in_client
from tests.support.alert_rows import (
    REFUSED,
    UNREACHABLE,
    Outcome,
    matches_of,
    new_records,
    run_round,
    save_search,
)
from tests.support.records import LEAK_NEED, LEAK_SOLUTION
from tests.support.servers import ADMIN_TOKEN, LiveServer, start_server

pytestmark = pytest.mark.slow
KARI, PER, ANNE = "kari@bodo.kommune.no", "per@stavanger.kommune.no", "anne@innomatch.no"
NOTIFICATIONS = "/alerts/notifications"


@dataclass
class Round:
    live: LiveServer
    database_url: str
    refused: int  # Kari's search whose e-mail was refused for good
    retried: int  # Kari's search whose e-mail waits to be tried again
    delivered: int  # Per's search, whose e-mail lies in the outbox
    solution_id: int
    need_id: int


@pytest.fixture(scope="module")
def alerts(
    tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder
) -> Iterator[Round]:
    directory = tmp_path_factory.mktemp("notification-pages")
    shutil.copy(demo_template, directory / "innomatch.sqlite3")
    url = f"sqlite:///{directory / 'innomatch.sqlite3'}"
    settings = Settings(data_dir=directory / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none")
    live = start_server(settings, encoder)
    add_person(url, KARI, name="Kari Nordmann", role="officer", municipality_number="1804")
    add_person(url, PER, name="Per Hansen", role="officer", municipality_number="1103")
    add_person(url, ANNE, name="Anne Admin", role="admin")
    refused = save_search(
        live.base_url,
        KARI,
        name="Lekkasjesøk",
        kind="solutions_for_text",
        text="finne lekkasjer i vannledningsnettet",
    )
    retried = save_search(
        live.base_url,
        KARI,
        name="Lyttelogger",
        kind="solutions_for_text",
        text="lyttelogger som finner lekkasjer",
    )
    delivered = save_search(
        live.base_url, PER, name="Vanntap hos andre", kind="needs_for_text", text="vanntap i ledningsnettet"
    )
    with live.client() as admin:
        solution_id, need_id = new_records(admin)
    run_round(
        settings,
        encoder,
        directory / "worker-index",
        [
            Outcome(refused, DeliveryError(REFUSED, permanent=True)),
            Outcome(retried, DeliveryError(UNREACHABLE)),
            Outcome(delivered),
        ],
    )
    yield Round(live, url, refused, retried, delivered, solution_id, need_id)
    live.stop()


def _rows(page: str, row_class: str) -> list[str]:
    return re.findall(rf'<tr class="{row_class}[^"]*"[^>]*>.*?</tr>', page, flags=re.S)


def test_a_person_sees_what_their_own_searches_found_and_never_anothers(alerts: Round) -> None:
    assert matches_of(alerts.database_url, alerts.refused), "the round found the new solution"
    with signed_in_client(alerts.live.base_url, KARI) as kari:
        page = kari.get(NOTIFICATIONS)
    assert page.status_code == 200, page.text
    found = _rows(page.text, "found-row")
    assert len(found) == 2, "the new solution, once for each of Kari's searches"
    for row in found:
        assert f'href="/solutions/{alerts.solution_id}"' in row and LEAK_SOLUTION["title"] in row
        assert re.search(r"(Strong|Moderate|Weak) match", row), "the band in words"
    assert {"Lekkasjesøk", "Lyttelogger"} == {
        name for name in ("Lekkasjesøk", "Lyttelogger") if any(name in row for row in found)
    }
    assert "Vanntap hos andre" not in page.text and LEAK_NEED["title"] not in page.text, "Per's, not Kari's"
    assert PER not in page.text
    assert 'href="/alerts"' in page.text, "the saved searches are under My alerts"


def test_a_failed_sending_shows_its_error_and_a_retried_one_when_it_is_tried_again(alerts: Round) -> None:
    with signed_in_client(alerts.live.base_url, KARI) as kari:
        page = kari.get(NOTIFICATIONS).text
    sent = _rows(page, "delivery-row")
    assert len(sent) == 2
    [dead] = [row for row in sent if "Lekkasjesøk" in row]
    assert 'data-color="danger"' in dead and "Failed for good" in dead
    assert "5.1.1 mailbox unavailable" in dead and KARI in dead and "E-mail" in dead
    [waiting] = [row for row in sent if "Lyttelogger" in row]
    assert "Will be tried again" in waiting and "Connection refused" in waiting
    assert "attempt 1" in waiting.lower() and "Next attempt" in waiting


def test_a_delivered_email_says_when_it_was_sent(alerts: Round) -> None:
    with signed_in_client(alerts.live.base_url, PER) as per:
        page = per.get(NOTIFICATIONS).text
    [row] = _rows(page, "delivery-row")
    assert "Vanntap hos andre" in row and PER in row and "Sent" in row and 'data-color="danger"' not in row
    [found] = _rows(page, "found-row")
    assert f'href="/needs/{alerts.need_id}"' in found
    assert "Lekkasjesøk" not in page and KARI not in page, "Kari's, not Per's"


def test_the_reason_is_in_the_pages_language(alerts: Round) -> None:
    [match] = matches_of(alerts.database_url, alerts.delivered)
    assert match.reason_en and match.reason_no and match.reason_en != match.reason_no
    with signed_in_client(alerts.live.base_url, PER) as per:
        english = per.get(NOTIFICATIONS).text
        norwegian = per.get(NOTIFICATIONS, params={"lang": "nb"}).text
    escaped = lambda text: text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # noqa: E731
    assert escaped(match.reason_en) in english and escaped(match.reason_no) not in english
    assert escaped(match.reason_no) in norwegian and "<h1>Varsler</h1>" in norwegian


def test_an_administrator_sees_their_own_notifications_only(alerts: Round) -> None:
    with signed_in_client(alerts.live.base_url, ANNE) as anne:
        page = anne.get(NOTIFICATIONS).text
    assert not _rows(page, "found-row") and not _rows(page, "delivery-row")
    assert "Lekkasjesøk" not in page and "Vanntap hos andre" not in page
    assert "Nothing found yet" in page and 'href="/alerts"' in page


def test_an_anonymous_reader_is_sent_to_sign_in(alerts: Round) -> None:
    with httpx.Client(base_url=alerts.live.base_url) as anonymous:
        answer = anonymous.get(NOTIFICATIONS)
        assert answer.status_code == 303 and answer.headers["location"] == f"/login?next={NOTIFICATIONS}"
        assert sign_in(anonymous, KARI).status_code == 303
        assert anonymous.get(NOTIFICATIONS).status_code == 200


def test_a_page_past_the_end_leads_back(alerts: Round) -> None:
    with signed_in_client(alerts.live.base_url, KARI) as kari:
        page = kari.get(NOTIFICATIONS, params={"found_offset": 40, "sent_offset": 0}).text
    assert not _rows(page, "found-row") and len(_rows(page, "delivery-row")) == 2
    assert f'href="{NOTIFICATIONS}#found"' in page, "the first page of the matches"
