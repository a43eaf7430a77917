"""A real SMTP server (aiosmtpd on a free loopback port) that keeps what it accepts, for the alert
e-mails of the service tests and the browser journey."""

from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession

from tests.support.servers import free_port

REFUSED = "gone@kommune.example"


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

    def mails_to(self, address: str) -> list[EmailMessage]:
        """The messages received so far whose To is `address`, parsed."""
        parsed = [message_from_bytes(raw, policy=policy.default) for raw in self.received]
        return [message for message in parsed if message["To"] == address]  # type: ignore[misc]


@contextmanager
def smtp_collector() -> Iterator[tuple[Collecting, int]]:
    """A running SMTP server and its port, stopped on leaving."""
    handler = Collecting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()
