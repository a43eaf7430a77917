"""End to end on a real server with its alert jobs on (as `innomatch serve` runs them) and no SMTP
server configured: an officer saves a search signed in, a supplier's new solution matches it, and
within the round after it the e-mail lies in the outbox, once, with its unsubscribe link."""

import shutil
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from embeddings import Encoder
from service.accounts.browser_secrets import CSRF_HEADER
from service.config import Settings
from tests.support.accounts import add_person, csrf_token, signed_in_client
from tests.support.records import LEAK_SOLUTION, create
from tests.support.servers import ADMIN_TOKEN, start_server

pytestmark = pytest.mark.slow
OFFICER = "kari@bodo.kommune.no"


def test_a_new_solution_reaches_the_officers_outbox_within_a_round(
    tmp_path: Path, demo_template: Path, encoder: Encoder
) -> None:
    shutil.copy(demo_template, tmp_path / "innomatch.sqlite3")
    url = f"sqlite:///{tmp_path / 'innomatch.sqlite3'}"
    settings = Settings(
        data_dir=tmp_path / "data", database_url=url, admin_token=ADMIN_TOKEN, seed="none", alerts_worker=True
    )
    server = start_server(settings, encoder)
    try:
        add_person(url, OFFICER, name="Kari Nordmann", role="officer", municipality_number="1804")
        with signed_in_client(server.base_url, OFFICER) as kari:
            saved = kari.post(
                "/api/v1/saved-searches",
                json={
                    "name": "Lekkasjesøk",
                    "kind": "solutions_for_text",
                    "text": "finne lekkasjer i vannledningsnettet",
                    "frequency": "immediately",
                    "min_band": "weak",
                    "channels": ["email"],
                },
                headers={CSRF_HEADER: csrf_token(kari.get("/profile"))},
            )
            assert saved.status_code == 201, saved.text
        with server.client() as admin:
            solution = create(admin, "solutions", **LEAK_SOLUTION)
        outbox = settings.data_dir / "outbox"
        deadline = time.monotonic() + 150  # a round starts every minute
        while time.monotonic() < deadline and not list(outbox.glob("*.eml")):
            time.sleep(1)
        time.sleep(3)
        [mail] = list(outbox.glob("*.eml"))
    finally:
        server.stop()
    message = message_from_bytes(mail.read_bytes(), policy=policy.default)
    assert message["To"] == OFFICER and "Lekkasjesøk" in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert f"/solutions/{solution['id']}" in text and LEAK_SOLUTION["title"] in text
