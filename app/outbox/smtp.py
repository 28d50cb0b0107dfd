"""An SMTP connection with a timeout, which Flask-Mail's own connection does not set.

Without one, a server that accepts the connection and then says nothing would hold the
worker forever.
"""

import smtplib

from flask import current_app
from flask_mail import Connection


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
