"""``GET /healthz``: 200 while the database answers; a quick 503 when it does not, whatever the reason. The JSON
says whether a worker is planning (its lease renewed within two planner intervals), without changing the status."""

import socket
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.scheduler.worker import run_planner_job
from tests.conftest import make_app


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "worker": "unknown", "last_tick_at": None}


@pytest.fixture(params=["sqlite", "postgres"])
def real_database(request: pytest.FixtureRequest):
    """A migrated database whose commits other connections see (the probe engine reads through its own)."""
    return request.getfixturevalue(f"{request.param}_database")


def test_healthz_reports_the_worker_ok_until_its_lease_goes_unrenewed_for_two_intervals(real_database, frozen_clock):
    app = real_database.app(PLANNER_INTERVAL_SECONDS=60)
    client = app.test_client()
    assert client.get("/healthz").get_json()["worker"] == "unknown"

    run_planner_job(app, "worker-1")  # the real job: takes the lease, plans, records its tick
    tick = datetime.fromisoformat(client.get("/healthz").get_json()["last_tick_at"])

    frozen_clock.set(tick + timedelta(seconds=120))
    assert client.get("/healthz").get_json() == {"status": "ok", "worker": "ok", "last_tick_at": tick.isoformat()}
    frozen_clock.advance(timedelta(seconds=1))
    stale = client.get("/healthz")
    assert stale.status_code == 200
    assert stale.get_json() == {"status": "ok", "worker": "stale", "last_tick_at": tick.isoformat()}

    run_planner_job(app, "worker-1")  # renewed: fresh again
    renewed = client.get("/healthz").get_json()
    assert datetime.fromisoformat(renewed["last_tick_at"]) > tick
    frozen_clock.set(datetime.fromisoformat(renewed["last_tick_at"]))
    assert client.get("/healthz").get_json()["worker"] == "ok"
    with app.app_context():
        db.engine.dispose()


def test_healthz_stays_200_before_the_tick_table_exists(sqlite_database):
    """New code started before ``db upgrade``: the load balancer must keep the web process."""
    app = sqlite_database.app()
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE job_runs"))
        db.engine.dispose()
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["worker"] == "unknown"


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
