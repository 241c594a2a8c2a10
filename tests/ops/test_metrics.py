"""``GET /metrics``: Prometheus text for the holder of ``EVENTHUB_METRICS_TOKEN`` only; the outbox and planner
numbers come from the database (right whichever process answers), requests and feeds are counted per process."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from eventhub import PROJECT_ROOT
from eventhub.db import utcnow
from eventhub.extensions import db, mail
from eventhub.mail.sender import claim_due
from eventhub.mail.services import RenderedEmail, queue_email
from eventhub.metrics import PLANNER_JOB
from eventhub.scheduler.worker import PLANNER_LEASE, run_planner_job, run_sender

TOKEN = "metrics-token-for-tests"
AUTHORIZED = {"Authorization": f"Bearer {TOKEN}"}


def parse(text: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of the exposition, keyed by sample name and labels (the parser is prometheus_client's)."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: dict[tuple[str, frozenset], float], name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


@pytest.fixture
def scrape(app, client):
    """``scrape()`` GETs /metrics with the right token and returns its parsed samples."""
    app.config["METRICS_TOKEN"] = TOKEN

    def do_scrape() -> dict[tuple[str, frozenset], float]:
        response = client.get("/metrics", headers=AUTHORIZED)
        assert response.status_code == 200
        assert response.mimetype == "text/plain"
        return parse(response.get_data(as_text=True))

    return do_scrape


@pytest.mark.parametrize("configured", [None, "", TOKEN])
@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}", "Bearer ", f"Bearer {TOKEN}x"])
def test_metrics_is_a_404_without_the_configured_token(app, client, configured, header):
    app.config["METRICS_TOKEN"] = configured
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 404
    assert b"eventhub_" not in response.data


def test_metrics_is_a_404_with_a_token_when_none_is_configured(app, client):
    app.config["METRICS_TOKEN"] = None
    assert client.get("/metrics", headers=AUTHORIZED).status_code == 404


def queue(person, key: str, now) -> None:
    email = RenderedEmail(subject=f"Subject {key}", text="Hello\n", html="<p>Hello</p>")
    queue_email(dedup_key=key, kind="test", recipient=person, email=email, now=now)


def test_outbox_gauges_and_send_results_follow_mail_from_queued_to_sent(
    app, scrape, smtp_server, make_person, frozen_clock, now
):
    app.config.update(smtp_server.config())
    mail.init_app(app)
    smtp_server.handler.refuse["refused@example.org"] = "550 No such user here"
    empty = scrape()
    assert [value(empty, "eventhub_outbox_messages", status=s) for s in ("queued", "sending", "failed")] == [0, 0, 0]
    assert value(empty, "eventhub_outbox_oldest_due_age_seconds") == 0
    assert value(empty, "eventhub_outbox_send_results_total", outcome="sent") == 0

    for number, address in enumerate(["a@example.org", "b@example.org", "refused@example.org"]):
        queue(make_person(email=address), f"metrics:{number}", now)
    db.session.commit()
    frozen_clock.advance(timedelta(minutes=3))
    queued = scrape()
    assert value(queued, "eventhub_outbox_messages", status="queued") == 3
    assert value(queued, "eventhub_outbox_oldest_due_age_seconds") == 180

    # A worker claims one and dies (its lease is already over): the row is "sending" until someone retakes it.
    claim_due(utcnow(), "crashed-worker", 1, timedelta(0))
    db.session.commit()
    claimed = scrape()
    assert value(claimed, "eventhub_outbox_messages", status="queued") == 2
    assert value(claimed, "eventhub_outbox_messages", status="sending") == 1
    assert value(claimed, "eventhub_outbox_oldest_due_age_seconds") == 180

    report = run_sender(app, "worker-1")  # the worker's real job, against the real SMTP server
    assert (report.sent, report.failed) == (2, 1)
    assert smtp_server.wait_for(2) == 2
    sent = scrape()
    assert [value(sent, "eventhub_outbox_messages", status=s) for s in ("queued", "sending", "failed")] == [0, 0, 1]
    assert value(sent, "eventhub_outbox_oldest_due_age_seconds") == 0
    assert value(sent, "eventhub_outbox_send_results_total", outcome="sent") == 2
    assert value(sent, "eventhub_outbox_send_results_total", outcome="failed") == 1
    assert value(sent, "eventhub_outbox_send_results_total", outcome="retrying") == 0


def test_a_message_not_due_yet_does_not_age(app, scrape, make_person, now):
    person = make_person()
    email = RenderedEmail(subject="Later", text="Later\n", html="<p>Later</p>")
    later = now + timedelta(hours=1)
    queue_email(dedup_key="later", kind="test", recipient=person, email=email, now=now, not_before=later)
    db.session.commit()
    samples = scrape()
    assert value(samples, "eventhub_outbox_messages", status="queued") == 1
    assert value(samples, "eventhub_outbox_oldest_due_age_seconds") == 0


def test_planner_tick_is_recorded_for_every_process_to_report(app, scrape):
    assert PLANNER_JOB == PLANNER_LEASE
    before = scrape()
    assert not any(name.startswith("eventhub_planner_") for name, _ in before)
    started = utcnow()
    run_planner_job(app, "worker-1")
    samples = scrape()
    last_tick = value(samples, "eventhub_planner_last_tick_timestamp_seconds")
    assert started.timestamp() <= last_tick <= utcnow().timestamp()
    assert value(samples, "eventhub_planner_last_success_timestamp_seconds") == last_tick
    assert 0 <= value(samples, "eventhub_planner_tick_duration_seconds") < 60


def test_requests_latency_and_feed_answers_are_counted_by_endpoint(scrape, client, make_event, commit):
    event = make_event(visibility="public")
    commit()
    built = client.get(f"/events/{event.id}.ics")
    assert built.status_code == 200
    assert client.get(f"/events/{event.id}.ics", headers={"If-None-Match": built.headers["ETag"]}).status_code == 304
    assert client.get("/no/such/page").status_code == 404
    samples = scrape()
    requests = "eventhub_http_requests_total"
    assert value(samples, requests, method="GET", endpoint="calendar.event_feed", status="200") == 1
    assert value(samples, requests, method="GET", endpoint="calendar.event_feed", status="304") == 1
    assert value(samples, requests, method="GET", endpoint="unmatched", status="404") == 1
    latency = "eventhub_http_request_duration_seconds_count"
    assert value(samples, latency, method="GET", endpoint="calendar.event_feed") == 2
    assert value(samples, "eventhub_feed_responses_total", feed="event", result="built") == 1
    assert value(samples, "eventhub_feed_responses_total", feed="event", result="not_modified") == 1


def test_each_app_counts_its_own_requests(app, scrape, tmp_path, database_urls):
    from tests.support import make_app

    other = make_app(database_urls["sqlite"], tmp_path)
    for _ in range(3):
        other.test_client().get("/healthz")
    samples = scrape()
    assert value(samples, "eventhub_http_requests_total", method="GET", endpoint="health.healthz", status="200") is None


CHILD = """
import sys
from pathlib import Path
from tests.support import make_app

app = make_app(sys.argv[1], Path(sys.argv[2]))
client = app.test_client()
for _ in range(3):
    assert client.get("/healthz").status_code == 200
"""


def test_multiprocess_mode_adds_up_the_requests_of_every_process(app, scrape, sqlite_database, tmp_path, monkeypatch):
    """With PROMETHEUS_MULTIPROC_DIR (as under gunicorn), the process scraped reports another's requests."""
    directory = tmp_path / "prometheus"
    directory.mkdir()
    environment = {**sqlite_database.env(), "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    subprocess.run(
        [sys.executable, "-c", CHILD, sqlite_database.url, str(sqlite_database.instance)],
        cwd=PROJECT_ROOT,
        env=environment,
        check=True,
        timeout=120,
    )
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    samples = scrape()
    assert value(samples, "eventhub_http_requests_total", method="GET", endpoint="health.healthz", status="200") == 3
    assert value(samples, "eventhub_outbox_messages", status="queued") == 0  # the database part is still there
