"""``GET /healthz``: 200 while the database answers; a quick 503 when it does not, whatever the reason."""

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import make_app


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and then never says a word, like a hung database server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


def unreachable_url(kind: str, tmp_path: Path, silent_port: int) -> str:
    return {
        "postgresql-refused": "postgresql+psycopg://postgres@127.0.0.1:1/eventhub",
        "postgresql-silent": f"postgresql+psycopg://postgres@127.0.0.1:{silent_port}/eventhub",
        "sqlite-unopenable": f"sqlite:///{tmp_path}/no/such/folder/eventhub.sqlite",
    }[kind]


@pytest.mark.parametrize("kind", ["postgresql-refused", "postgresql-silent", "sqlite-unopenable"])
def test_healthz_answers_503_quickly_when_the_database_does_not(kind, tmp_path, silent_server):
    app = make_app(unreachable_url(kind, tmp_path, silent_server), tmp_path, HEALTH_TIMEOUT_SECONDS=2)
    started = time.monotonic()
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
    assert time.monotonic() - started < 6
