"""Mail servers that misbehave, one per test."""

import pytest

from ..support.mailservers import SilentServer, closed_port


@pytest.fixture
def down_port() -> int:
    return closed_port()


@pytest.fixture
def silent_server():
    server = SilentServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def second_silent_server():
    server = SilentServer()
    server.start()
    yield server
    server.stop()
