"""Faults with real parts: an SMTP server that is down, a sender killed mid-batch, two senders at once.

Each test has a migrated database of its own with real commits, because the senders are other processes.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from eventhub.db import utcnow
from eventhub.mail.sender import send_all_due, send_due
from tests.conftest import NOW
from tests.fixtures.mail import RealDatabase, SmtpServer, outbox_statuses, queue_many, run_in

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", "postgres"])
def real_database(request: pytest.FixtureRequest) -> RealDatabase:
    return request.getfixturevalue(f"{request.param}_database")


def start_flush(database: RealDatabase, server: SmtpServer, **env: str) -> subprocess.Popen[str]:
    """``flask --app eventhub outbox flush`` as a process of its own, on ``database`` and ``server``."""
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "eventhub", "outbox", "flush"],
        cwd=PROJECT,
        env={**database.env(), **server.env(), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_mail_queued_while_the_server_is_down_arrives_once_when_it_is_back(real_database, stopped_smtp_server):
    app = real_database.app(**stopped_smtp_server.config())
    message_ids = queue_many(app, 20)

    report = run_in(app, lambda: send_all_due(lambda: NOW, "w1", batch_size=8, lease=timedelta(minutes=5)))
    assert (report.sent, report.retrying, report.failed) == (0, 8, 0)  # one batch fails, then it stops trying
    report = run_in(app, lambda: send_due(NOW + timedelta(seconds=1), "w1", batch_size=100))
    assert (report.sent, report.retrying) == (0, 12)
    assert outbox_statuses(app)["queued"] == 20

    stopped_smtp_server.start()
    assert run_in(app, lambda: send_due(NOW + timedelta(seconds=59), "w1")).claimed == 0  # still backing off
    report = run_in(app, lambda: send_all_due(lambda: NOW + timedelta(minutes=2), "w1", 8, timedelta(minutes=5)))
    assert report.sent == 20

    stopped_smtp_server.wait_for(20)
    assert Counter(stopped_smtp_server.handler.message_ids()) == Counter(message_ids)
    assert outbox_statuses(app)["sent"] == 20


def test_sender_killed_mid_batch_resends_at_most_the_message_in_flight(sqlite_database):
    server = SmtpServer()
    server.handler.hold_after = 100  # the 101st message arrives, and its answer never comes: it is in flight
    server.start()
    try:
        app = sqlite_database.app(**server.config())
        message_ids = queue_many(app, 500, now=utcnow() - timedelta(minutes=1))
        process = start_flush(sqlite_database, server)
        try:
            assert server.handler.holding.wait(timeout=25), process.stderr.read() if process.poll() is not None else ""
            process.send_signal(signal.SIGKILL)
            assert process.wait(timeout=10) == -signal.SIGKILL
        finally:
            if process.poll() is None:
                process.kill()
        server.handler.hold_after = None
        server.handler.release.set()
        assert server.handler.count() == 101
        statuses = outbox_statuses(app)
        # Batch one went out; batch two (the one in flight and its 99 mates) is still leased to the dead sender.
        assert (statuses["sent"], statuses["sending"], statuses["queued"]) == (100, 100, 300)

        # The restart, with the clock past the dead sender's lease: everything goes out.
        later = utcnow() + timedelta(minutes=6)
        report = run_in(app, lambda: send_all_due(lambda: later, "restarted", 100, timedelta(minutes=5)))
        assert report.sent == 400
    finally:
        server.stop()

    received = Counter(server.handler.message_ids())
    assert set(received) == set(message_ids)
    assert sum(received.values()) <= 501
    assert [count for count in received.values() if count > 1] in ([], [2])
    assert outbox_statuses(app)["sent"] == 500


def test_two_senders_on_postgresql_send_each_message_exactly_once(postgres_database, smtp_server):
    app = postgres_database.app(**smtp_server.config())
    message_ids = queue_many(app, 1000, now=utcnow() - timedelta(minutes=1))

    processes = [start_flush(postgres_database, smtp_server, EVENTHUB_MAIL_BATCH_SIZE="25") for _ in range(2)]
    outputs = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, stderr
        outputs.append(stdout)

    smtp_server.wait_for(1000)
    received = Counter(smtp_server.handler.message_ids())
    assert received == Counter(message_ids), "some message arrived twice or not at all"
    sent_by_each = [int(output.split()[1].rstrip(",")) for output in outputs]
    assert sum(sent_by_each) == 1000, outputs
    assert outbox_statuses(app)["sent"] == 1000
