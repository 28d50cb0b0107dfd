"""Mail servers that misbehave, for proving the outbox survives them.

`closed_port` is a server that is down; `SilentServer` one that accepts the connection and then
never speaks; `GatedSMTPServer` a working server that holds every connection's first message
until several workers are sending at once, so that "at once" is a fact and not a hope.
"""

import asyncio
import socket
import threading

from aiosmtpd.controller import Controller

from .smtp import SMTPTestServer, _Handler, free_port


def closed_port() -> int:
    """A loopback port with nothing listening: connecting is refused at once."""
    return free_port()


class SilentServer:
    """Accepts TCP connections and never sends the SMTP greeting, like a wedged mail server."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        # accept() wakes now and then so that stop() is noticed.
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._held: list[socket.socket] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._hold_connections, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _hold_connections(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            self._held.append(connection)

    @property
    def connections(self) -> int:
        """How many connections have been accepted so far."""
        return len(self._held)

    def stop(self) -> int:
        """Close everything and return how many connections were ever made.

        Connections the kernel completed but the thread had not yet accepted are counted too,
        so a client's second attempt cannot hide in the backlog.
        """
        if self._thread.is_alive():
            self._stopping.set()
            self._thread.join()
            self._listener.setblocking(False)
            while True:
                try:
                    connection, _ = self._listener.accept()
                except BlockingIOError:
                    break
                self._held.append(connection)
            for connection in self._held:
                connection.close()
            self._listener.close()
        return len(self._held)


class Gate:
    """Lets no message through until `quorum` connections are waiting to send one together.

    If the quorum never comes, the gate opens after `hang_guard` seconds so that nothing hangs,
    and `reached` stays False for the test to report.
    """

    def __init__(self, quorum: int, hang_guard: float) -> None:
        self.quorum = quorum
        self.hang_guard = hang_guard
        self.reached = False
        self._waiting: set = set()
        self._open: asyncio.Event | None = None

    async def pass_through(self, session) -> None:
        # Made here, inside the server's event loop, not in the thread that built the gate.
        if self._open is None:
            self._open = asyncio.Event()
        self._waiting.add(session)
        if len(self._waiting) >= self.quorum:
            self.reached = True
            self._open.set()
        try:
            await asyncio.wait_for(self._open.wait(), self.hang_guard)
        except TimeoutError:
            self._open.set()


class _GatedHandler(_Handler):
    async def handle_DATA(self, server, session, envelope):
        await self.server.gate.pass_through(session)
        return await super().handle_DATA(server, session, envelope)


class GatedSMTPServer(SMTPTestServer):
    def __init__(self, quorum: int, hang_guard: float = 60.0) -> None:
        super().__init__()
        self.gate = Gate(quorum, hang_guard)

    def start(self) -> None:
        self.controller = Controller(_GatedHandler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()
