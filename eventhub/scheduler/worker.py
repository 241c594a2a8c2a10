"""The worker: APScheduler running the outbox sender and the reminder planner as thin jobs.

Each job is a wrapper around a ``run_due(now)``-style function that is safe to run twice: the schedule lives in
rows (the outbox, reminder settings), never in a job store. The scheduler is started by ``flask worker`` (and
by ``flask serve`` in development), never by ``create_app``, so gunicorn workers never run jobs.
"""

from __future__ import annotations

import signal
import threading
import time
from datetime import timedelta
from types import FrameType

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from eventhub.db import utcnow
from eventhub.extensions import db
from eventhub.mail.outcomes import SendReport
from eventhub.mail.sender import new_worker_id, send_all_due
from eventhub.metrics import record_send_report, record_tick_started, record_tick_succeeded
from eventhub.scheduler.lease import acquire_lease, release_lease
from eventhub.scheduler.planning import run_planning

PLANNER_LEASE = "reminder-planner"


def run_sender(app: Flask, worker_id: str, stop: threading.Event | None = None) -> SendReport:
    """The sender job: send everything due now, in batches, in an app context with its own session."""
    with app.app_context():
        config = app.config
        report = send_all_due(
            utcnow,
            worker_id,
            batch_size=int(config["MAIL_BATCH_SIZE"]),
            lease=timedelta(seconds=float(config["MAIL_LEASE_SECONDS"])),
            stop=stop,
        )
        record_send_report(report)  # for /metrics, which any web process answers
        db.session.commit()
        return report


def run_planner_job(app: Flask, worker_id: str) -> int | None:
    """The planner job: run every planning step if this worker holds the planner lease. None when another holds it.

    The lease is committed before planning starts, so a second worker sees it at once; the planner's own work
    is a second commit.
    """
    with app.app_context():
        now = utcnow()
        ttl = timedelta(seconds=float(app.config["PLANNER_LEASE_SECONDS"]))
        if not acquire_lease(PLANNER_LEASE, worker_id, now, ttl):
            db.session.commit()
            return None
        record_tick_started(PLANNER_LEASE, now)  # committed with the renewal: /healthz reads it
        db.session.commit()
        started = time.monotonic()
        try:
            queued = run_planning(now)
            record_tick_succeeded(PLANNER_LEASE, now, time.monotonic() - started)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        if any(queued.values()):
            app.logger.info(
                "planner queued %s", ", ".join(f"{count} {name}" for name, count in queued.items() if count)
            )
        return sum(queued.values())


def add_jobs(scheduler: BaseScheduler, app: Flask, worker_id: str, stop: threading.Event) -> None:
    """The sender every few seconds and the planner every minute; never two runs of one job at once."""
    common = {"max_instances": 1, "coalesce": True, "replace_existing": True, "next_run_time": utcnow()}
    scheduler.add_job(
        run_sender,
        "interval",
        seconds=float(app.config["SENDER_INTERVAL_SECONDS"]),
        args=(app, worker_id, stop),
        id="outbox-sender",
        **common,
    )
    scheduler.add_job(
        run_planner_job,
        "interval",
        seconds=float(app.config["PLANNER_INTERVAL_SECONDS"]),
        args=(app, worker_id),
        id="reminder-planner",
        **common,
    )


def release_planner(app: Flask, worker_id: str) -> None:
    """Let another worker plan at once instead of after the lease expires."""
    with app.app_context():
        release_lease(PLANNER_LEASE, worker_id, utcnow())
        db.session.commit()


def run_worker(app: Flask) -> None:
    """Run the jobs until SIGTERM or SIGINT; then finish the message in flight and return (exit status 0)."""
    worker_id = new_worker_id()
    stop = threading.Event()
    scheduler = BlockingScheduler(timezone="UTC", job_defaults={"misfire_grace_time": 30})
    add_jobs(scheduler, app, worker_id, stop)

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        """Stop taking work; ``shutdown(wait=True)`` returns once the running jobs end (a batch stops after its
        message in flight, because ``stop`` is set)."""
        app.logger.info("worker %s: signal %s, finishing the message in flight", worker_id, signum)
        stop.set()
        if scheduler.running:
            scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    app.logger.info("worker %s started", worker_id)
    scheduler.start()  # blocks until a signal shuts the scheduler down
    release_planner(app, worker_id)
    app.logger.info("worker %s stopped", worker_id)
