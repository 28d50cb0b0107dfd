"""A discarding SMTP server in its own process: `python -m bench.smtpsink PORT`.

It counts connections, messages and repeated Message-IDs, and answers on stdin: `stats`
prints them as one JSON line, `reset` clears them, `save PATH` writes what was received (as
JSON, base64) so the smtplib baseline can send exactly the same bytes.
"""

import base64
import json
import re
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.connections = 0
        self.messages = 0
        self.duplicates = 0
        self.first = self.last = 0.0
        self.seen: set[bytes] = set()
        self.raw: list[bytes] = []

    def stats(self) -> dict:
        with self.lock:
            return {
                "connections": self.connections,
                "messages": self.messages,
                "duplicates": self.duplicates,
                # From the first message accepted to the last: the sending, not start-up.
                "seconds": self.last - self.first,
            }


TALLY = Tally()


class CountingSMTP(SMTP):
    def connection_made(self, transport) -> None:
        with TALLY.lock:
            TALLY.connections += 1
        super().connection_made(transport)


class Discard:
    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or b""
        found = MESSAGE_ID.search(content)
        key = found.group(1) if found else content
        with TALLY.lock:
            TALLY.messages += 1
            TALLY.last = time.perf_counter()
            TALLY.first = TALLY.first or TALLY.last
            if key in TALLY.seen:
                TALLY.duplicates += 1
            TALLY.seen.add(key)
            TALLY.raw.append(content)
        return "250 Message accepted and discarded"


class CountingController(Controller):
    def factory(self):
        return CountingSMTP(self.handler, **self.SMTP_kwargs)


def main() -> None:
    controller = CountingController(Discard(), hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    print("ready", flush=True)
    try:
        for line in sys.stdin:
            command, _, argument = line.strip().partition(" ")
            if command == "stats":
                print(json.dumps(TALLY.stats()), flush=True)
            elif command == "reset":
                with TALLY.lock:
                    TALLY.reset()
                print("ok", flush=True)
            elif command == "save":
                with TALLY.lock:
                    raw = [base64.b64encode(item).decode() for item in TALLY.raw]
                with open(argument, "w") as file:
                    json.dump(raw, file)
                print("ok", flush=True)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
