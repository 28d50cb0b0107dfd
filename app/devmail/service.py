"""Reading the messages the catcher stored in its Maildir."""

import mailbox
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path


@dataclass
class CaughtMessage:
    key: str
    message: EmailMessage

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part else ""


def _maildir(path: str) -> mailbox.Maildir:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return mailbox.Maildir(path, factory=None, create=True)


def _parse(box: mailbox.Maildir, key: str) -> CaughtMessage:
    with box.get_file(key) as handle:
        return CaughtMessage(key, BytesParser(policy=policy.default).parse(handle))


def list_messages(path: str, limit: int = 200) -> list[CaughtMessage]:
    box = _maildir(path)
    # A Maildir message's date is when it was delivered.
    newest_first = sorted(box.keys(), key=lambda k: box.get_message(k).get_date(), reverse=True)
    return [_parse(box, key) for key in newest_first[:limit]]


def get_message(path: str, key: str) -> CaughtMessage | None:
    box = _maildir(path)
    if key not in box:
        return None
    return _parse(box, key)
