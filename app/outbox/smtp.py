"""The SMTP connection: a timeout, and a thread of its own for the talking.

Flask-Mail's own connection sets no timeout; without one, a server that accepts the
connection and then says nothing would hold the worker forever.
"""

import queue
import smtplib
import threading

from flask import current_app
from flask_mail import Connection

from .outcomes import connection_lost
from .render import Outgoing


class TimeoutConnection(Connection):
    def configure_host(self) -> smtplib.SMTP:
        timeout = current_app.config["MAIL_TIMEOUT"]
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=timeout)
        host.set_debuglevel(int(self.mail.debug))
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host

    def __exit__(self, exc_type, exc_value, tb) -> None:
        # A server that has gone away cannot be said goodbye to; that is not a send failure.
        try:
            super().__exit__(exc_type, exc_value, tb)
        except (smtplib.SMTPException, OSError):
            if self.host is not None:
                self.host.close()


def open_connection() -> TimeoutConnection:
    return TimeoutConnection(current_app.extensions["mail"])


class Sender:
    """Talks to the mail server on a thread of its own, so that the worker can render the
    next messages while the server takes these.

    Messages go out one at a time, in the order given, and each gets an answer, in the same
    order: None once the server has accepted it, or the error. The thread touches nothing but
    the SMTP connection. Once the connection is lost it sends nothing more, and answers every
    message still given to it with that error; a withdrawn message is answered WITHDRAWN.
    """

    def __init__(self, connection: TimeoutConnection) -> None:
        self._host = connection.host  # None when Flask-Mail is told to suppress sending
        self._outgoing: queue.SimpleQueue = queue.SimpleQueue()
        self._answers: queue.SimpleQueue = queue.SimpleQueue()
        self._withdrawn: set[int] = set()
        self._closing = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="outbox-smtp", daemon=True)
        self._thread.start()

    def submit(self, key: int, outgoing: Outgoing) -> None:
        self._outgoing.put((key, outgoing))

    def withdraw(self, keys: set[int]) -> None:
        """Do not send these after all, if they have not gone yet."""
        with self._lock:
            self._withdrawn |= keys

    def answer(self, timeout: float | None) -> tuple[int, object] | None:
        """The next answer, waiting up to `timeout` seconds for it (None: as long as it takes;
        0: not at all); None if there is none by then."""
        try:
            return self._answers.get(block=timeout != 0, timeout=timeout or None)
        except queue.Empty:
            return None

    def close(self) -> None:
        """Send nothing more, and wait for the thread to finish the message in hand (bounded
        by MAIL_TIMEOUT). Messages not yet begun are answered WITHDRAWN, to nobody: after an
        error in the worker, nothing goes out that it could not record."""
        with self._lock:
            self._closing = True
        self._outgoing.put(None)
        self._thread.join()

    def _run(self) -> None:
        lost = None
        while (item := self._outgoing.get()) is not None:
            key, outgoing = item
            with self._lock:
                withdrawn = self._closing or key in self._withdrawn
            if withdrawn or lost is not None:
                self._answers.put((key, WITHDRAWN if withdrawn else lost))
                continue
            try:
                if self._host is not None:
                    self._host.sendmail(outgoing.sender, outgoing.recipients, outgoing.raw)
            except Exception as error:  # handed to the worker, which decides what it means
                if connection_lost(error):
                    lost = error
                self._answers.put((key, error))
            else:
                self._answers.put((key, None))


WITHDRAWN = object()
