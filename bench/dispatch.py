"""(b) Sending the outbox: `flask outbox send-due` against plain smtplib, on PostgreSQL."""

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from app import create_app
from app.extensions import db
from tests.support import seed

from .common import (
    BIN,
    DB_PREFIX,
    HANG_GUARD_SECONDS,
    PROJECT_ROOT,
    base_env,
    free_port,
    fresh_postgres,
    migrated,
    running,
    stop,
)

DATABASE = f"{DB_PREFIX}_outbox"


@dataclass
class DispatchRun:
    name: str
    messages: int
    per_second: float
    connections: int
    duplicates: int


@dataclass
class MemoryRun:
    due: int
    peak_rss_mib: float


class Sink:
    """The SMTP server process, asked for its counts over stdin."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError("the SMTP sink did not start")

    def ask(self, command: str) -> str:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def stats(self) -> dict:
        return json.loads(self.ask("stats"))


def _seed(app, messages: int) -> None:
    with app.app_context():
        db.session.execute(text("TRUNCATE enquiry, outbox_message RESTART IDENTITY CASCADE"))
        now = seed.utc_now()
        made = seed.enquiries(messages // 2, now - timedelta(minutes=5), timedelta(seconds=1))
        seed.enquiry_emails(made, "pending", due=now - timedelta(minutes=1))
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def _flask(*args: str) -> list[str]:
    return [str(BIN / "flask"), "--app", "app", "outbox", *args]


def _send_due(env: dict, workers: int, sink: Sink, messages: int) -> DispatchRun:
    sink.ask("reset")
    processes = [subprocess.Popen(_flask("send-due"), cwd=PROJECT_ROOT, env=env,
                                  stdout=subprocess.DEVNULL) for _ in range(workers)]
    for process in processes:
        if process.wait(timeout=HANG_GUARD_SECONDS) != 0:
            raise RuntimeError("send-due failed")
    stats = sink.stats()
    if stats["messages"] != messages:
        raise RuntimeError(f"{workers} worker(s) sent {stats['messages']} of {messages}")
    return DispatchRun(f"flask outbox send-due, {workers} worker(s)", stats["messages"],
                       stats["messages"] / stats["seconds"], stats["connections"],
                       stats["duplicates"])


def _smtplib_limit(port: int, sink: Sink, messages: int) -> DispatchRun:
    with tempfile.TemporaryDirectory(prefix="clinic-bench-") as folder:
        saved = Path(folder) / "messages.json"
        sink.ask(f"save {saved}")
        sink.ask("reset")
        subprocess.run([sys.executable, "-m", "bench.smtp_baseline", str(port),
                        str(saved)], cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL,
                       timeout=HANG_GUARD_SECONDS)
    stats = sink.stats()
    return DispatchRun("smtplib, one connection (the limit)", stats["messages"],
                       stats["messages"] / stats["seconds"], stats["connections"],
                       stats["duplicates"])


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def _worker_memory(env: dict, sink: Sink, after: int) -> float:
    """The worker's peak resident memory once it has sent `after` messages."""
    sink.ask("reset")
    with running(_flask("worker", "--interval", "1"), env, stdout=subprocess.DEVNULL) as worker:
        deadline = time.monotonic() + HANG_GUARD_SECONDS
        while sink.stats()["messages"] < after:
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the worker stopped before sending enough")
            time.sleep(0.1)
        return _peak_rss_mib(worker.pid)


def run(messages: int, large: int) -> tuple[list[DispatchRun], list[MemoryRun]]:
    url = migrated(fresh_postgres(DATABASE))
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    port = free_port()
    sink_args = [sys.executable, "-m", "bench.smtpsink", str(port)]
    sink_process = subprocess.Popen(sink_args, cwd=PROJECT_ROOT, stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, text=True)
    try:
        sink = Sink(sink_process)
        env = base_env(DATABASE_URL=url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        runs = []
        for workers in (1, 2):
            _seed(app, messages)
            runs.append(_send_due(env, workers, sink, messages))
        runs.insert(0, _smtplib_limit(port, sink, messages))
        memory = []
        for due in (1000, large):
            _seed(app, due)
            memory.append(MemoryRun(due, _worker_memory(env, sink, after=1000)))
        return runs, memory
    finally:
        sink_process.stdin.close()
        stop(sink_process)
        with app.app_context():
            db.engine.dispose()
