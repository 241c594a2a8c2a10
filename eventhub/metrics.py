"""``GET /metrics`` in Prometheus text format, for the holder of ``EVENTHUB_METRICS_TOKEN`` (a 404 for anyone else).

Two kinds of numbers, kept where they are right:

* **From the database, at scrape time** (the same answer whichever web process is scraped): the outbox counts
  and the age of the oldest waiting email (one aggregate query over the outbox), the sender's results by
  outcome and the planner's last tick (two small tables written by the worker, below). The worker runs in
  other processes than the web, so its numbers cannot live in a web process's memory. The send results are a
  counters table rather than a count of outbox rows by state, because rows change state (a failed row retried
  becomes queued, then sent) and retries leave no row behind: a counter only ever goes up, as Prometheus wants.
  The worker adds one run's results (its ``SendReport``) in one UPDATE per outcome, not one per message.
* **Per process, in memory** (prometheus_client metrics on a registry of this app's own): requests and their
  latency by endpoint, and calendar feeds answered 304 versus built. Under gunicorn each web process counts its
  own; set ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory, cleared at each start) in gunicorn's environment
  and every process writes them there and any process answers for all of them (prometheus_client's
  multiprocess mode).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, abort, current_app, request
from flask.sansio.blueprints import BlueprintSetupState
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy.orm import Mapped, mapped_column

from eventhub import clock
from eventhub.accounts.auth import bearer_token_from_request
from eventhub.extensions import db
from eventhub.logs import request_duration
from eventhub.mail.models import OutboxMessage, OutboxStatus

bp = Blueprint("metrics", __name__)

METRICS_KEY = "eventhub.metrics"
# The planner lease's name (eventhub.scheduler.worker.PLANNER_LEASE): its tick record carries the same name.
PLANNER_JOB = "reminder-planner"
SEND_OUTCOMES = ("sent", "retrying", "failed")
WATCHED_STATUSES = (OutboxStatus.QUEUED, OutboxStatus.SENDING, OutboxStatus.FAILED)
WAITING_STATUSES = (OutboxStatus.QUEUED, OutboxStatus.SENDING)
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
FEED_ENDPOINTS = {
    "calendar.event_feed": "event",
    "calendar.series_feed": "series",
    "calendar.personal_feed": "personal",
}
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class MetricCounter(db.Model):
    """A counter that several processes add to (the sender's results by outcome); it only ever goes up."""

    __tablename__ = "metric_counters"

    name: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)

    __table_args__ = (sa.CheckConstraint("value >= 0", name="value_not_negative"),)


class JobRun(db.Model):
    """The last tick of a scheduled job: when it started (the planner: when its lease was last renewed), when it
    last succeeded and how long that took. ``/healthz`` and ``/metrics`` read it from any process."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    started_at: Mapped[datetime | None] = mapped_column()
    succeeded_at: Mapped[datetime | None] = mapped_column()
    duration_seconds: Mapped[float | None] = mapped_column(sa.Float)


# ------------------------------------------------------------------------------------------------------------
# Writing (the worker): flush, never commit; the job commits with its own work.
# ------------------------------------------------------------------------------------------------------------


def record_send_report(report: Any) -> None:
    """Add one sender run's results (a ``SendReport``: ``sent``, ``retrying``, ``failed``) to the counters."""
    for outcome in SEND_OUTCOMES:
        amount = int(getattr(report, outcome))
        if amount:
            _add_to_counter(f"outbox_send:{outcome}", amount)


def record_tick_started(name: str, now: datetime) -> None:
    """Note that job ``name`` started a tick at ``now`` (for the planner: in the transaction renewing its lease)."""
    _upsert(JobRun, name, {"started_at": now})


def record_tick_succeeded(name: str, now: datetime, duration_seconds: float) -> None:
    """Note that the tick of ``name`` that started at ``now`` succeeded after ``duration_seconds``."""
    _upsert(JobRun, name, {"succeeded_at": now, "duration_seconds": duration_seconds})


def _add_to_counter(name: str, amount: int) -> None:
    """``value + amount`` in the database (concurrent workers add, never overwrite)."""
    _upsert(MetricCounter, name, {"value": MetricCounter.value + amount}, {"value": amount})


def _upsert(model: type[Any], name: str, values: dict[str, Any], first: dict[str, Any] | None = None) -> None:
    """UPDATE the row ``name``; INSERT it the first time. A concurrent first INSERT makes ours fail on the
    primary key, and the UPDATE is then tried again (the other row is committed by then)."""
    update = sa.update(model).where(model.name == name).values(**values)
    options = {"synchronize_session": False}
    if db.session.execute(update, execution_options=options).rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.add(model(name=name, **(first if first is not None else values)))
    except sa.exc.IntegrityError:
        db.session.execute(update, execution_options=options)


# ------------------------------------------------------------------------------------------------------------
# Reading: the database collector, asked at every scrape.
# ------------------------------------------------------------------------------------------------------------


class DatabaseCollector:
    """Metrics computed from the database when scraped, so every process answers the same."""

    def describe(self) -> list[Metric]:
        return []  # computed at scrape time; nothing for the registry to check names against

    def collect(self) -> Iterator[Metric]:
        now = clock.now()
        yield from outbox_metrics(now)
        yield send_result_metric()
        yield from planner_metrics(PLANNER_JOB)


def outbox_metrics(now: datetime) -> list[Metric]:
    """Counts of queued, sending and failed emails, and how late the oldest one waiting is (one query)."""
    due_since = sa.case((OutboxMessage.not_before <= now, OutboxMessage.not_before))
    rows = db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count(), sa.func.min(due_since))
        .where(OutboxMessage.status.in_(WATCHED_STATUSES))
        .group_by(OutboxMessage.status)
    ).all()
    counts = GaugeMetricFamily(
        "eventhub_outbox_messages", "Outbox emails by status (queued, sending, failed).", labels=["status"]
    )
    by_status = {OutboxStatus(status): (count, oldest) for status, count, oldest in rows}
    for status in WATCHED_STATUSES:
        counts.add_metric([status.value], by_status.get(status, (0, None))[0])
    oldest = [item[1] for status, item in by_status.items() if status in WAITING_STATUSES and item[1] is not None]
    age = max((now - min(oldest)).total_seconds(), 0.0) if oldest else 0.0
    oldest_age = GaugeMetricFamily(
        "eventhub_outbox_oldest_due_age_seconds",
        "Seconds since the oldest unsent email (queued or sending) was due to go out; 0 when none waits.",
        value=age,
    )
    return [counts, oldest_age]


def send_result_metric() -> Metric:
    """The sender's results by outcome, added up by every worker."""
    values = dict(db.session.execute(sa.select(MetricCounter.name, MetricCounter.value)).tuples().all())
    family = CounterMetricFamily(
        "eventhub_outbox_send_results",
        "Emails the sender handled, by outcome: sent, retrying (to be tried again later), failed (for good).",
        labels=["outcome"],
    )
    for outcome in SEND_OUTCOMES:
        family.add_metric([outcome], values.get(f"outbox_send:{outcome}", 0))
    return family


def planner_metrics(name: str) -> list[Metric]:
    """When the planner last ticked and last succeeded, and how long that took; nothing before its first tick."""
    run = db.session.get(JobRun, name)
    if run is None:
        return []
    metrics = [
        _timestamp(
            "eventhub_planner_last_tick_timestamp_seconds",
            "When the planner last renewed its lease and started a tick.",
            run.started_at,
        ),
        _timestamp(
            "eventhub_planner_last_success_timestamp_seconds",
            "When the planner's last successful tick started.",
            run.succeeded_at,
        ),
    ]
    if run.duration_seconds is not None:
        metrics.append(
            GaugeMetricFamily(
                "eventhub_planner_tick_duration_seconds",
                "How long the planner's last successful tick took.",
                value=run.duration_seconds,
            )
        )
    return [metric for metric in metrics if metric is not None]


def _timestamp(name: str, documentation: str, moment: datetime | None) -> Metric | None:
    return None if moment is None else GaugeMetricFamily(name, documentation, value=moment.timestamp())


# ------------------------------------------------------------------------------------------------------------
# Per process: requests, latency, feeds.
# ------------------------------------------------------------------------------------------------------------


@dataclass
class ProcessMetrics:
    """This app's registry and the metrics it keeps in memory."""

    registry: CollectorRegistry
    requests: Counter
    latency: Histogram
    feeds: Counter


@bp.record_once
def _create_metrics(state: BlueprintSetupState) -> None:
    """A registry per app (never prometheus_client's global one: tests create many apps in one process)."""
    registry = CollectorRegistry(auto_describe=False)
    state.app.extensions[METRICS_KEY] = ProcessMetrics(
        registry=registry,
        requests=Counter(
            "eventhub_http_requests",
            "HTTP requests answered, by method, endpoint and status.",
            ["method", "endpoint", "status"],
            registry=registry,
        ),
        latency=Histogram(
            "eventhub_http_request_duration_seconds",
            "Time to answer a request, by method and endpoint.",
            ["method", "endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        ),
        feeds=Counter(
            "eventhub_feed_responses",
            "Calendar feed answers: built in full, or 304 from their validators.",
            ["feed", "result"],
            registry=registry,
        ),
    )
    registry.register(DatabaseCollector())


@bp.after_app_request
def _observe_request(response: Response) -> Response:
    """Count the request and its latency under its endpoint (a bounded label set, unlike paths)."""
    metrics: ProcessMetrics = current_app.extensions[METRICS_KEY]
    method = request.method if request.method in KNOWN_METHODS else "other"
    endpoint = request.endpoint or "unmatched"
    metrics.requests.labels(method, endpoint, str(response.status_code)).inc()
    duration = request_duration()
    if duration is not None:
        metrics.latency.labels(method, endpoint).observe(duration)
    feed = FEED_ENDPOINTS.get(endpoint)
    if feed is not None and response.status_code in (200, 304):
        metrics.feeds.labels(feed, "not_modified" if response.status_code == 304 else "built").inc()
    return response


@bp.get("/metrics")
def metrics_endpoint():
    """Every metric in Prometheus text format; a 404 unless the bearer token is ``EVENTHUB_METRICS_TOKEN``."""
    if not is_authorised(current_app.config.get("METRICS_TOKEN"), bearer_token_from_request()):
        abort(404)
    body = generate_latest(scrape_registry(current_app))
    return Response(body, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def is_authorised(expected: object, given: str | None) -> bool:
    """True when a token is configured and ``given`` equals it (compared in constant time)."""
    if expected in (None, "") or not given:
        return False
    return hmac.compare_digest(given.encode(), str(expected).encode())


def scrape_registry(app: Flask) -> CollectorRegistry:
    """This app's registry; in multiprocess mode, one that adds up every process's files instead."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return app.extensions[METRICS_KEY].registry
    registry = CollectorRegistry(auto_describe=False)
    MultiProcessCollector(registry, path=directory)
    registry.register(DatabaseCollector())
    return registry
