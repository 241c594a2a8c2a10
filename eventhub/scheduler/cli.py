"""``flask worker`` runs the jobs; ``flask serve`` is the development server with the jobs in its one process."""

from __future__ import annotations

import signal
import sys
import threading

import click
from apscheduler.schedulers.background import BackgroundScheduler
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from eventhub.mail.sender import new_worker_id
from eventhub.scheduler.worker import add_jobs, release_planner, run_worker
from eventhub.security import QuietRequestHandler


@click.command("worker")
@with_appcontext
def worker_command() -> None:
    """Send queued email and plan reminders until SIGTERM or SIGINT (run one or more per deployment)."""
    run_worker(current_app._get_current_object())


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--scheduler/--no-scheduler", default=True, show_default=True, help="Run the worker's jobs in-process.")
@with_appcontext
def serve_command(host: str, port: int, scheduler: bool) -> None:
    """Development server with the worker's jobs in the same process (no reloader: it would start them twice)."""
    app = current_app._get_current_object()
    if not app.config["BASE_URL_CONFIGURED"]:
        # Links in emails and feeds must reach this server: `PORT=5055 make run` means 5055 in every link.
        app.config["BASE_URL"] = server_base_url(host, port)
    background, worker_id, stop = None, new_worker_id(), threading.Event()
    if scheduler:
        background = BackgroundScheduler(timezone="UTC", job_defaults={"misfire_grace_time": 30})
        add_jobs(background, app, worker_id, stop)
        background.start()
    # SIGTERM ends the server like Ctrl+C does, so the jobs below are stopped and the planner lease given up.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    try:
        run_simple(
            host, port, app, use_reloader=False, use_debugger=False, threaded=True, request_handler=QuietRequestHandler
        )
    finally:
        if background is not None:
            stop.set()
            background.shutdown(wait=True)
            release_planner(app, worker_id)


def server_base_url(host: str, port: int) -> str:
    """The address a browser on this machine reaches the development server at: a server listening on every
    interface (0.0.0.0, ::) is reached through the loopback address; IPv6 addresses are bracketed."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"
