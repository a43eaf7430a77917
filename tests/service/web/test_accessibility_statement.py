"""The accessibility statement (/tilgjengelighet) is linked from every page, in Bokmål and English, says
what is tested and what falls short, and names where to report a problem."""

import re
from collections.abc import Iterator

import httpx
import pytest
from pydantic import ValidationError

from service.config import Settings
from tests.support.servers import LiveServer


@pytest.fixture
def reader(demo_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_server.base_url, timeout=30) as client:
        yield client


def test_every_page_links_the_statement_in_its_footer(reader: httpx.Client) -> None:
    for path in ("/", "/search", "/needs/999999999"):
        footer = reader.get(path).text.split("<footer", 1)[1]
        assert '<a href="/tilgjengelighet">Tilgjengelighetserklæring</a>' in footer, path


def test_the_statement_in_bokmal_and_in_english(reader: httpx.Client) -> None:
    norwegian = reader.get("/tilgjengelighet")
    assert norwegian.status_code == 200
    assert ">Tilgjengelighetserklæring</h1>" in norwegian.text
    for said in ("axe-core", "390 piksler", "Dette er ikke på plass ennå", "skjermlesere", "uutilsynet.no"):
        assert said in norwegian.text, said
    assert re.search(r"Sist oppdatert \d{1,2}\. \w+\.? \d{4}\.", norwegian.text)
    assert '<a href="https://www.uutilsynet.no/">uutilsynet.no</a>' in norwegian.text
    assert "Det er ikke satt opp noen kontaktadresse" in norwegian.text, "no contact in the demo settings"
    english = reader.get("/tilgjengelighet", params={"lang": "en"}).text
    assert ">Accessibility statement</h1>" in english and "What is not in place yet" in english


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"accessibility_contact": "uu@innomatch.example"})


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_statement_names_the_contact_the_installation_set(api: httpx.Client) -> None:
    page = api.get("/tilgjengelighet").text
    assert '<a href="mailto:uu@innomatch.example">uu@innomatch.example</a>' in page


@pytest.mark.parametrize("contact", ["javascript:alert(1)", "http://plain.example/form", "no address"])
def test_a_contact_must_be_an_address_or_a_secure_form(contact: str) -> None:
    with pytest.raises(ValidationError):
        Settings(accessibility_contact=contact)
    assert Settings(accessibility_contact="https://skjema.example/uu").accessibility_contact
