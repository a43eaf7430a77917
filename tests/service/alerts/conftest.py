"""The demo data with its indexes open in the test's process (a session factory and the indexes), and
a real SMTP server (aiosmtpd on a free port) that keeps what it accepts."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from sqlalchemy.orm import Session, sessionmaker

from embeddings import Encoder
from service.db import make_engine, make_session_factory
from service.indexing import Indexes
from tests.support.servers import free_port

Demo = tuple[sessionmaker[Session], Indexes]
REFUSED = "gone@kommune.example"


@pytest.fixture(scope="package")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_template: Path, encoder: Encoder) -> Iterator[Demo]:
    """A copy of the demo database for the alert tests (each adds records of its own and looks only at
    those), with its indexes opened once."""
    directory = tmp_path_factory.mktemp("alerts-demo")
    shutil.copy(demo_template, directory / "innomatch.sqlite3")
    engine = make_engine(f"sqlite:///{directory / 'innomatch.sqlite3'}")
    sessions = make_session_factory(engine)
    indexes = Indexes.create(encoder=encoder, index_dir=directory / "index", session_factory=sessions)
    indexes.open()
    yield sessions, indexes
    engine.dispose()


class Collecting:
    """An SMTP server's handler that keeps what it accepts and refuses one address for good."""

    def __init__(self) -> None:
        self.received: list[bytes] = []

    async def handle_RCPT(
        self, server: SMTP, session: SmtpSession, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address == REFUSED:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.received.append(envelope.content)
        return "250 Message accepted"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Collecting, int]]:
    handler = Collecting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()
