"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives for the tests."""

import asyncio
import socket
import threading
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.controller import Controller

# Any recipient address containing this is refused with a permanent 550.
REFUSED_MARKER = "refuse-me"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.raw)


class _Handler:
    def __init__(self, server: "SMTPTestServer") -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if REFUSED_MARKER in address:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.server.lock:
            self.server.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
            )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPTestServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.lock = threading.Lock()
        self.received: list[Received] = []
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def reset(self) -> None:
        with self.lock:
            self.received.clear()

    @property
    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [item.message for item in self.received]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


class _CutOffHandler(_Handler):
    async def handle_DATA(self, server, session, envelope):
        cut_off = self.server
        if len(cut_off.received) >= cut_off.accept and not cut_off.release.is_set():
            cut_off.cut_off.set()
            if cut_off.hang_up:
                server.transport.close()
                return "421 4.3.0 Closing the connection"
            while not cut_off.release.is_set():  # stop() ends this if nobody releases it
                await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


class CutOffSMTPServer(SMTPTestServer):
    """A working server that accepts the first `accept` messages and then, at the next one,
    hangs up (`hang_up=True`) or holds it unanswered until `release` is set, if ever. After
    that it accepts everything. `cut_off` is set when that moment comes."""

    def __init__(self, accept: int, hang_up: bool) -> None:
        super().__init__()
        self.accept = accept
        self.hang_up = hang_up
        self.cut_off = threading.Event()
        self.release = threading.Event()

    def start(self) -> None:
        self.controller = Controller(_CutOffHandler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()
