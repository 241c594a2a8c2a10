"""The outbox rules, on SQLite and PostgreSQL: queuing, claiming, leases, backoff, failures and retries."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventhub.errors import Conflict
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage, OutboxStatus
from eventhub.mail.outcomes import backoff
from eventhub.mail.sender import claim_due, send_due
from eventhub.mail.services import RenderedEmail, count_by_status, queue_email, retry_failed, retry_message

LEASE = timedelta(minutes=5)
EMAIL = RenderedEmail(subject="Reminder", text="See you soon\n", html="<p>See you soon</p>")


@pytest.fixture
def queue(make_person, now):
    """``queue(key, **kwargs)`` queues one email to a new person (flushed, not committed)."""

    def do_queue(key: str = "k1", email: str | None = None, **kwargs):
        person = make_person(email=email)
        return queue_email(dedup_key=key, kind="test", recipient=person, email=EMAIL, now=now, **kwargs)

    return do_queue


@pytest.fixture
def use_smtp(app):
    """Point the app at a test SMTP server (the transport reads ``MAIL_*`` when it opens)."""

    def configure(server) -> None:
        app.config.update(server.config())

    return configure


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_queued_email_rolled_back_with_its_transaction_leaves_no_row(queue):
    queue()
    db.session.rollback()
    assert rows() == []


def test_committed_email_is_a_queued_row(queue, now):
    queue(not_before=None)
    db.session.commit()
    [row] = rows()
    assert (row.status, row.attempts, row.next_attempt_at) == (OutboxStatus.QUEUED, 0, now)
    assert row.message_id.startswith("<") and row.message_id.endswith("@eventhub.test>")  # BASE_URL's host


def test_same_dedup_key_twice_is_one_row(queue):
    assert queue("same") is not None
    assert queue("same") is None
    db.session.commit()
    assert len(rows()) == 1


def test_email_is_not_claimed_before_it_is_due(queue, now):
    message = queue(not_before=now + timedelta(hours=1))
    db.session.commit()
    assert claim_due(now, "w1", 10, LEASE) == []
    assert claim_due(now + timedelta(hours=1), "w1", 10, LEASE) == [message.id]


def test_claim_marks_rows_sending_under_a_lease_others_cannot_take(queue, now):
    message = queue()
    db.session.commit()
    assert claim_due(now, "w1", 10, LEASE) == [message.id]
    db.session.commit()
    [row] = rows()
    assert (row.status, row.claimed_by, row.lease_expires_at) == (OutboxStatus.SENDING, "w1", now + LEASE)
    assert claim_due(now + LEASE - timedelta(seconds=1), "w2", 10, LEASE) == []


def test_expired_lease_is_claimed_again_and_counts_as_an_attempt(queue, now):
    message = queue()
    db.session.commit()
    claim_due(now, "dead-worker", 10, LEASE)
    db.session.commit()
    assert claim_due(now + LEASE, "w2", 10, LEASE) == [message.id]
    [row] = rows()
    assert (row.claimed_by, row.attempts) == ("w2", 1)


def test_claim_takes_at_most_a_batch_oldest_first(queue, now):
    first = queue("a", not_before=now - timedelta(minutes=2))
    second = queue("b", not_before=now - timedelta(minutes=1))
    queue("c")
    db.session.commit()
    assert claim_due(now, "w1", 2, LEASE) == [first.id, second.id]


def test_backoff_doubles_from_a_minute_up_to_an_hour():
    delays = [backoff(n, timedelta(minutes=1), timedelta(hours=1)) for n in range(1, 10)]
    assert delays == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60, 60)]


def test_refused_connection_requeues_with_growing_backoff(queue, now, stopped_smtp_server, use_smtp):
    use_smtp(stopped_smtp_server)
    queue()
    db.session.commit()
    report = send_due(now, "w1")
    assert (report.claimed, report.sent, report.retrying) == (1, 0, 1)
    [row] = rows()
    assert (row.status, row.attempts, row.next_attempt_at) == (OutboxStatus.QUEUED, 1, now + timedelta(minutes=1))
    assert "ConnectionRefusedError" in row.last_error
    assert send_due(now + timedelta(seconds=59), "w1").claimed == 0
    send_due(now + timedelta(minutes=1), "w1")
    [row] = rows()
    assert (row.attempts, row.next_attempt_at) == (2, now + timedelta(minutes=1 + 2))


@pytest.mark.parametrize("reply", ["550 5.1.1 Mailbox unavailable", "553 5.1.3 Bad destination mailbox address"])
def test_permanent_smtp_error_fails_at_once(queue, now, smtp_server, use_smtp, reply):
    use_smtp(smtp_server)
    smtp_server.handler.refuse["nobody@example.org"] = reply
    queue("bad", email="nobody@example.org")
    queue("good", email="somebody@example.org")
    db.session.commit()
    report = send_due(now, "w1")
    assert (report.sent, report.failed) == (1, 1)
    bad, good = rows()
    assert (bad.status, bad.attempts, bad.last_error) == (OutboxStatus.FAILED, 1, reply)
    assert good.status == OutboxStatus.SENT and good.sent_at == now
    assert smtp_server.handler.count() == 1


def test_temporary_smtp_error_retries_until_max_attempts_then_fails(app, queue, now, smtp_server, use_smtp):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    use_smtp(smtp_server)
    smtp_server.handler.refuse["busy@example.org"] = "451 4.3.0 Try again later"
    queue(email="busy@example.org")
    db.session.commit()
    moment = now
    for expected_status, expected_attempts in [
        (OutboxStatus.QUEUED, 1),
        (OutboxStatus.QUEUED, 2),
        (OutboxStatus.FAILED, 3),
    ]:
        send_due(moment, "w1")
        [row] = rows()
        assert (row.status, row.attempts) == (expected_status, expected_attempts)
        moment = row.next_attempt_at
    assert row.last_error == "451 4.3.0 Try again later"
    assert send_due(now + timedelta(days=1), "w1").claimed == 0


def test_connection_closed_mid_batch_puts_the_rest_back_unfailed(app, queue, now, smtp_server, use_smtp):
    use_smtp(smtp_server)
    smtp_server.handler.refuse["closing@example.org"] = "421 4.3.2 Shutting down"
    first, closing, rest = queue("1"), queue("2", email="closing@example.org"), queue("3")
    db.session.commit()
    report = send_due(now, "w1")
    assert (report.sent, report.retrying, report.failed) == (1, 2, 0)
    by_id = {row.id: row for row in rows()}
    assert by_id[first.id].status == OutboxStatus.SENT
    assert (by_id[closing.id].status, by_id[closing.id].attempts) == (OutboxStatus.QUEUED, 1)
    untried = by_id[rest.id]
    assert (untried.status, untried.attempts, untried.claimed_by) == (OutboxStatus.QUEUED, 0, None)
    assert untried.next_attempt_at == now + timedelta(minutes=1)


def test_stop_request_puts_unsent_rows_back_as_due(queue, now, smtp_server, use_smtp):
    use_smtp(smtp_server)
    queue("1"), queue("2")
    db.session.commit()
    stop = threading.Event()
    stop.set()
    report = send_due(now, "w1", stop=stop)
    assert (report.claimed, report.sent) == (2, 0)
    assert [(row.status, row.attempts, row.next_attempt_at) for row in rows()] == [(OutboxStatus.QUEUED, 0, now)] * 2
    assert smtp_server.handler.count() == 0


def test_header_that_cannot_be_sent_fails_without_trying(queue, now, smtp_server, use_smtp):
    use_smtp(smtp_server)
    queue(headers={"X-Injected": "a\r\nBcc: victim@example.org"})
    db.session.commit()
    assert send_due(now, "w1").failed == 1
    [row] = rows()
    assert row.status == OutboxStatus.FAILED and row.last_error.startswith("cannot build message")
    assert smtp_server.handler.count() == 0


def test_without_smtp_mail_is_written_to_files_that_sort_by_time(app, queue, now):
    queue("1"), queue("2")
    db.session.commit()
    assert send_due(now, "w1").sent == 2
    queue("3")
    db.session.commit()
    send_due(now + timedelta(seconds=1), "w1")
    files = sorted(path.name for path in Path(app.config["MAIL_FOLDER"]).iterdir())
    assert len(files) == 3 and all(name.endswith(".eml") for name in files)
    assert files[-1].startswith("20261123T120001")
    assert {row.status for row in rows()} == {OutboxStatus.SENT}


def test_retry_requeues_failed_rows_with_fresh_attempts(queue, now):
    failed, other = queue("f"), queue("g")
    queued = queue("q")
    db.session.commit()
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_([failed.id, other.id]))
        .values(status=OutboxStatus.FAILED, attempts=10)
    )
    db.session.commit()
    later = now + timedelta(hours=2)
    retried = retry_message(failed.id, later)
    assert (retried.status, retried.attempts, retried.next_attempt_at) == (OutboxStatus.QUEUED, 0, later)
    with pytest.raises(Conflict):
        retry_message(queued.id, later)
    assert retry_failed(later) == 1
    assert count_by_status()[OutboxStatus.FAILED] == 0


@pytest.mark.parametrize("breaker", ["\x0b", "\x0c", "\x1c", "\x1e", "\x85", "\u2028", "\x1b"])
def test_name_that_cannot_be_a_header_fails_its_row_alone_and_the_batch_goes_out(
    queue, now, smtp_server, use_smtp, breaker
):
    """A name the email package cannot fold (it raises HeaderParseError, not ValueError) must not crash the
    batch and leave its row 'sending' to crash every later batch: it fails, the others are sent."""
    use_smtp(smtp_server)
    first, jammed, last = queue("1"), queue("2"), queue("3")
    db.session.commit()
    # Inserted directly: the row is what older versions let through the forms.
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == jammed.id)
        .values(recipient_name=f"Alice{breaker}Bcc: x@evil.example")
    )
    db.session.commit()
    report = send_due(now, "w1")
    assert (report.sent, report.failed) == (2, 1)
    statuses = {row.id: (row.status, row.last_error) for row in rows()}
    assert statuses[first.id] == statuses[last.id] == (OutboxStatus.SENT, None)
    assert statuses[jammed.id][0] == OutboxStatus.FAILED and statuses[jammed.id][1].startswith("cannot build message")
    assert smtp_server.handler.count() == 2
