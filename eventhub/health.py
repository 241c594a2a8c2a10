"""``GET /healthz`` for load balancers and monitors: 200 when the database answers, 503 when it does not.

The JSON also says whether a worker is planning: ``"worker": "ok"`` while the planner's lease is renewed (each
renewal is a tick record, ``eventhub.metrics.JobRun``), ``"stale"`` when it has not been renewed for twice
``PLANNER_INTERVAL_SECONDS``, ``"unknown"`` before any worker ever ran; ``last_tick_at`` is that renewal. A
stale worker does not make the web unhealthy (the status stays 200): restarting web processes would not help,
and a load balancer must keep serving pages while the worker is looked after.

A monitor needs its answer within seconds. The application's own engine may wait minutes for a server that
accepts the TCP connection but never speaks (libpq's default), so the check goes through a separate
pool-less probe engine with a short connect and statement timeout. Its ``HEALTH_TIMEOUT_SECONDS`` (default 3)
bounds the answer.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Blueprint, Flask, current_app, jsonify
from flask.sansio.blueprints import BlueprintSetupState
from sqlalchemy.pool import NullPool

from eventhub import clock
from eventhub.metrics import PLANNER_JOB, JobRun

bp = Blueprint("health", __name__)

DEFAULT_TIMEOUT_SECONDS = 3
PROBE_ENGINE_KEY = "eventhub.health_probe_engine"


@bp.record_once
def _create_probe_engine(state: BlueprintSetupState) -> None:
    """Build the probe engine once per app (creating an engine does not connect)."""
    state.app.extensions[PROBE_ENGINE_KEY] = probe_engine_for(state.app)


def probe_engine_for(app: Flask) -> sa.Engine:
    """An engine on the app's database whose connections give up after the health timeout."""
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    timeout = int(app.config.get("HEALTH_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
    if url.get_backend_name() == "postgresql":
        connect_args = {"connect_timeout": timeout, "options": f"-c statement_timeout={timeout * 1000}"}
    elif url.get_backend_name() == "sqlite":
        connect_args = {"timeout": timeout}
    else:
        connect_args = {}
    return sa.create_engine(url, poolclass=NullPool, connect_args=connect_args)


@bp.get("/healthz")
def healthz():
    """Report whether this process can reach its database, and whether a worker is planning."""
    try:
        with current_app.extensions[PROBE_ENGINE_KEY].connect() as connection:
            connection.execute(sa.text("SELECT 1"))
            last_tick = last_planner_tick(connection)
    except sa.exc.SQLAlchemyError:
        current_app.logger.warning("health check: database unreachable", exc_info=True)
        return jsonify(status="unavailable", database="unreachable"), 503
    interval = timedelta(seconds=float(current_app.config["PLANNER_INTERVAL_SECONDS"]))
    return jsonify(
        status="ok",
        worker=worker_state(last_tick, clock.now(), interval),
        last_tick_at=None if last_tick is None else last_tick.isoformat(),
    )


def last_planner_tick(connection: sa.Connection) -> datetime | None:
    """When the planner last renewed its lease; None when it never did, or the table is not there yet (a new
    release whose migration has not run must not take every web process out of the load balancer)."""
    try:
        return connection.scalar(sa.select(JobRun.started_at).where(JobRun.name == PLANNER_JOB))
    except (sa.exc.ProgrammingError, sa.exc.OperationalError) as exc:
        current_app.logger.warning("health check: no planner tick record to read (%s)", type(exc.orig).__name__)
        return None


def worker_state(last_tick: datetime | None, now: datetime, interval: timedelta) -> str:
    """``unknown`` before the first tick, ``stale`` when the lease went unrenewed for two intervals, else ``ok``."""
    if last_tick is None:
        return "unknown"
    return "stale" if now - last_tick > 2 * interval else "ok"
