"""The worker's jobs, the ``flask worker`` process and its clean stop, and ``flask outbox``."""

from __future__ import annotations

import signal
import subprocess
import sys
import types
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventhub.db import utcnow
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage, OutboxStatus
from eventhub.scheduler.models import JobLease
from eventhub.scheduler.worker import run_planner_job
from tests.fixtures.mail import outbox_statuses, queue_many, run_in

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def planner_calls(monkeypatch) -> list:
    """Replace the reminder planner by a stub that records the instants it was run at."""
    calls: list = []
    stub = types.ModuleType("eventhub.reminders.planner")
    stub.run_planner = lambda now: calls.append(now) or 3
    monkeypatch.setitem(sys.modules, "eventhub.reminders.planner", stub)
    return calls


def test_only_the_lease_holder_runs_the_planner(app, planner_calls):
    assert run_planner_job(app, "w1") == 3
    assert run_planner_job(app, "w2") is None
    assert run_planner_job(app, "w1") == 3
    assert len(planner_calls) == 2


def test_another_worker_plans_once_the_lease_expired(app, planner_calls):
    run_planner_job(app, "w1")
    db.session.execute(sa.update(JobLease).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert run_planner_job(app, "w2") == 3
    assert run_planner_job(app, "w1") is None


def test_worker_sends_mail_and_stops_cleanly_on_sigterm(sqlite_database, smtp_server):
    app = sqlite_database.app()
    queue_many(app, 3, now=utcnow() - timedelta(minutes=1))
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "eventhub", "worker"],
        cwd=PROJECT,
        env={**sqlite_database.env(), **smtp_server.env(), "EVENTHUB_SENDER_INTERVAL_SECONDS": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert smtp_server.wait_for(3, timeout=20) == 3
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert outbox_statuses(app)["sent"] == 3
    with app.app_context():
        lease = db.session.get(JobLease, "reminder-planner")
        assert lease is not None and lease.expires_at <= utcnow()  # given up on the way out
        db.engine.dispose()


def test_outbox_flush_status_and_retry_commands(sqlite_database, smtp_server):
    app = sqlite_database.app(**smtp_server.config())
    smtp_server.handler.refuse["bulk1@example.org"] = "550 5.1.1 No such user"
    queue_many(app, 3, now=utcnow() - timedelta(minutes=1))
    runner = app.test_cli_runner()

    result = runner.invoke(args=["outbox", "flush"])
    assert result.exit_code == 0 and "sent 2, retrying later 0, failed 1" in result.output
    status = runner.invoke(args=["outbox", "status"]).output
    assert "sent       2" in status and "failed     1" in status

    assert runner.invoke(args=["outbox", "retry"]).exit_code == 2
    failed_id = run_in(
        app, lambda: db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.FAILED))
    )
    assert runner.invoke(args=["outbox", "retry", str(failed_id)]).output.strip() == "queued again: 1"
    assert "is queued, not failed" in runner.invoke(args=["outbox", "retry", str(failed_id)]).output
    assert outbox_statuses(app)["queued"] == 1
    smtp_server.handler.refuse.clear()
    # The 550 put the address on the do-not-send list: the retry is not sent until an admin lifts that.
    assert "sent 0, retrying later 0, failed 1" in runner.invoke(args=["outbox", "flush"]).output
    assert runner.invoke(args=["mail", "unsuppress", "bulk1@example.org"]).exit_code == 0
    assert runner.invoke(args=["outbox", "retry", str(failed_id)]).output.strip() == "queued again: 1"
    assert "sent 1," in runner.invoke(args=["outbox", "flush"]).output
    assert runner.invoke(args=["outbox", "retry", "--all-failed"]).output.strip() == "queued again: 0"
    assert len(smtp_server.handler.received) == 3


def test_the_planner_job_runs_every_planning_step(app, monkeypatch):
    """Event reminders, invitation follow-ups, agenda-change emails, action-item reminders, retention and the sweep
    of unused material files all run in the one planner tick."""
    from eventhub.scheduler import planning

    ran = []
    steps = [(name, (lambda name: lambda at: ran.append(name) or 1)(name)) for name, _ in planning.planning_steps()]
    monkeypatch.setattr(planning, "planning_steps", lambda: steps)
    assert run_planner_job(app, "w1") == len(steps)
    assert ran == [
        "event reminders",
        "invitation follow-ups",
        "invitation request digests",
        "agenda changes",
        "action item reminders",
        "old email bodies redacted",
        "registrations' answers deleted after the event",
        "events anonymised",
        "unused material files removed",
    ]


def test_the_real_planning_steps_are_safe_to_run_twice_on_an_empty_database(app, now):
    from eventhub.scheduler.planning import run_planning

    nothing = {
        "event reminders": 0,
        "invitation follow-ups": 0,
        "invitation request digests": 0,
        "agenda changes": 0,
        "action item reminders": 0,
        "old email bodies redacted": 0,
        "registrations' answers deleted after the event": 0,
        "events anonymised": 0,
        "unused material files removed": 0,
    }
    assert run_planning(now) == nothing
    assert run_planning(now) == nothing
