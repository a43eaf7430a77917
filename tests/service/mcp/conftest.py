"""One seeded database for the MCP tests: a live server (its /mcp endpoint and API), tokens of each
kind, a need whose contact person is private and a draft solution whose title is."""

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from embeddings import Encoder
from service.config import Settings
from tests.support.records import LEAK_NEED, LEAK_SOLUTION, WATER_LOSS, create, observe
from tests.support.servers import ADMIN_TOKEN, LiveServer, start_server

PRIVATE_EMAIL = "kari.privat.7731@trondheim.example"
DRAFT_TITLE = "Hemmelig utkast: lekkasjeradar XQ-7731"


@dataclass(frozen=True)
class World:
    server: LiveServer
    database_url: str
    officer_token: str  # Trondheim's (5001)
    supplier_token: str
    need_id: int  # Trondheim's, with PRIVATE_EMAIL as its contact
    solution_id: int  # published
    draft_id: int  # a draft solution titled DRAFT_TITLE

    @property
    def mcp_url(self) -> str:
        return f"{self.server.base_url}/mcp"


@pytest.fixture(scope="package")
def world(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, encoder: Encoder
) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("mcp")
    shutil.copy(sqlite_template, folder / "innomatch.sqlite3")
    database_url = f"sqlite:///{folder / 'innomatch.sqlite3'}"
    settings = Settings(
        data_dir=folder / "server",
        database_url=database_url,
        admin_token=ADMIN_TOKEN,
        seed="none",
        follow_interval=0,
    )
    server = start_server(settings, encoder)
    with server.client() as api:
        supplier = api.post("/api/v1/suppliers", json={"name": "Lytt AS", "organisation_number": "974760673"})
        assert supplier.status_code == 201, supplier.text
        supplier_id = supplier.json()["id"]
        solution = create(api, "solutions", **LEAK_SOLUTION, supplier_id=supplier_id)
        draft = create(
            api,
            "solutions",
            title=DRAFT_TITLE,
            description="Lekkasjeradar som finner lekkasjer i vannledningsnettet, ikke publisert ennå.",
            kpi_codes=[WATER_LOSS],
            supplier_id=supplier_id,
            status="draft",
        )
        need = create(
            api,
            "needs",
            **LEAK_NEED,
            municipality_number="5001",
            contact_name="Kari Privat",
            contact_email=PRIVATE_EMAIL,
        )
        create(
            api,
            "needs",
            title="Lekkasjer i vannledningsnettet",
            description="Vi taper mye drikkevann i lekkasjer på gamle vannledninger og vil finne dem tidlig.",
            kpi_codes=[WATER_LOSS],
            municipality_number="0301",
        )
        observe(api, [("5001", 38.0, 2022), ("5001", 40.0, 2023), ("0301", 60.0, 2023)])
        officer = api.post(
            "/api/v1/tokens",
            json={"name": "Trondheim innkjøp", "role": "officer", "municipality_number": "5001"},
        )
        assert officer.status_code == 201, officer.text
        supplier_token = api.post(
            "/api/v1/tokens", json={"name": "Lytt AS", "role": "supplier", "supplier_id": supplier_id}
        )
        assert supplier_token.status_code == 201, supplier_token.text
    yield World(
        server=server,
        database_url=database_url,
        officer_token=officer.json()["token"],
        supplier_token=supplier_token.json()["token"],
        need_id=need["id"],
        solution_id=solution["id"],
        draft_id=draft["id"],
    )
    server.stop()
