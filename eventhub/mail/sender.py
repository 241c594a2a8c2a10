"""The only code that talks to SMTP: claim due outbox rows, send them, record each outcome at once.

The guarantees, and how they are kept:

* **Never lost.** A row leaves ``queued`` only to become ``sending`` under a lease; a sender that dies leaves
  its rows ``sending`` with an expired lease, and the next run claims them again.
* **Never sent twice (but for one).** Each message is marked sent and committed right after the server accepts
  it, so a kill mid-batch resends at most the one message that was in flight.
* **Several senders at once** (PostgreSQL): the claim is ``SELECT ... FOR UPDATE SKIP LOCKED`` in a short
  transaction of its own, so two senders never claim the same row. SQLite has no SKIP LOCKED; there the claim
  is one ``UPDATE ... RETURNING`` statement (atomic under SQLite's single writer lock), meant for one sender.
* **Failures**: 5xx answers fail the message at once; connection problems and 4xx answers retry with
  exponential backoff until ``MAIL_MAX_ATTEMPTS``; a broken connection puts the rest of the batch back.
* **One bad message never stops the rest.** Any exception while building or sending one message fails that
  message alone (an error that will happen again, such as an address the server cannot take, at once; any other
  after its attempts), and a row whose sender keeps dying on it is failed when claimed beyond its attempts.
* **Suppression**: a recipient refused for good (5xx to RCPT TO) goes on the do-not-send list; rows to listed
  addresses are failed with that reason instead of being sent.
"""

from __future__ import annotations

import os
import smtplib
import socket
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app

from eventhub.events.models import Event, Series
from eventhub.extensions import db
from eventhub.logs import log_send
from eventhub.mail import suppression
from eventhub.mail.addresses import UnsendableAddress, is_never_deliverable
from eventhub.mail.message import OutgoingEmail, build_message, envelope_address
from eventhub.mail.models import OutboxMessage, OutboxStatus, SuppressionReason
from eventhub.mail.outcomes import (
    DETERMINISTIC_ERRORS,
    Outcome,
    SendReport,
    classify,
    describe,
    mark_sent,
    put_back,
    record_failure,
    sent_marks,
    update_claimed,
)
from eventhub.mail.transport import Transport, open_transport

DEFAULT_LEASE = timedelta(minutes=5)


def new_worker_id() -> str:
    """Names this process in leases and ``claimed_by``: host, pid and a random part (pids get reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def send_due(
    now: datetime,
    worker_id: str,
    batch_size: int = 100,
    lease: timedelta = DEFAULT_LEASE,
    stop: threading.Event | None = None,
) -> SendReport:
    """Claim up to ``batch_size`` due rows and send them over one connection. Commits as it goes.

    ``stop`` (set on SIGTERM) ends the batch after the message in flight; the unsent rest is put back as due.
    """
    fail_exhausted(now)
    ids = claim_due(now, worker_id, batch_size, lease)
    db.session.commit()
    report = SendReport(claimed=len(ids))
    if not ids:
        return report
    emails = _load(ids)
    db.session.commit()  # end the read transaction: sending may take a while
    _send_batch(emails, worker_id, now, report, stop)
    return report


def claim_due(now: datetime, worker_id: str, batch_size: int, lease: timedelta) -> list[int]:
    """Mark up to ``batch_size`` due rows ``sending`` for ``worker_id`` until ``now + lease``; return their ids.

    Due means queued with ``next_attempt_at <= now``, or ``sending`` under an expired lease (a sender died
    mid-batch: its message may or may not have gone out, so the reclaim counts as an attempt). Flushes only.
    """
    due = sa.or_(
        sa.and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        sa.and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.lease_expires_at <= now),
    )
    candidates = (
        sa.select(OutboxMessage.id)
        .where(due)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(batch_size)
    )
    claim = sa.update(OutboxMessage).values(
        status=OutboxStatus.SENDING,
        claimed_by=worker_id,
        lease_expires_at=now + lease,
        updated_at=now,
        attempts=OutboxMessage.attempts + sa.case((OutboxMessage.status == OutboxStatus.SENDING, 1), else_=0),
    )
    if db.session.get_bind().dialect.name == "postgresql":
        ids = list(db.session.scalars(candidates.with_for_update(skip_locked=True)))
        if not ids:
            return []
        db.session.execute(claim.where(OutboxMessage.id.in_(ids)), execution_options={"synchronize_session": False})
        return sorted(ids)
    claimed = db.session.execute(
        claim.where(OutboxMessage.id.in_(candidates.scalar_subquery()), due).returning(OutboxMessage.id),
        execution_options={"synchronize_session": False},
    )
    return sorted(claimed.scalars())


def fail_exhausted(now: datetime) -> int:
    """Fail rows whose lease expired after their last allowed attempt, instead of claiming them once more.

    A row left ``sending`` means its sender died on it; if that happens every time (a message that crashes the
    process), reclaiming it forever would take the rest of each batch down with it. Returns how many. Flushes.
    """
    limit = int(current_app.config["MAIL_MAX_ATTEMPTS"])
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.lease_expires_at <= now,
            OutboxMessage.attempts + 1 >= limit,
        )
        .values(
            status=OutboxStatus.FAILED,
            attempts=OutboxMessage.attempts + 1,
            claimed_by=None,
            lease_expires_at=None,
            updated_at=now,
            last_error=f"gave up after {limit} attempts: the sender stopped while sending it every time",
        ),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount or 0


def _load(ids: list[int]) -> list[OutgoingEmail]:
    """Plain rows, not ORM objects: a session holding a hundred objects pays to expire them at every commit,
    and the sender commits once per message."""
    table = OutboxMessage.__table__
    # The organiser's name for From comes with the row (one outer join), so every kind of email gets it,
    # including the reminders the planner inserts in bulk.
    organiser = (
        sa.select(Series.organiser_name)
        .join(Event, Event.series_id == Series.id)
        .where(Event.id == table.c.event_id)
        .scalar_subquery()
        .label("sender_name")
    )
    query = sa.select(table, organiser).where(table.c.id.in_(ids)).order_by(table.c.id)
    return [OutgoingEmail.from_row(row) for row in db.session.connection().execute(query)]


def _send_batch(
    emails: list[OutgoingEmail], worker_id: str, now: datetime, report: SendReport, stop: threading.Event | None
) -> None:
    """Send ``emails`` in order over one transport; every outcome is committed before the next message."""
    app = current_app._get_current_object()
    sender = app.config["MAIL_DEFAULT_SENDER"]
    emails = _skip_suppressed(emails, worker_id, now, report)
    pending = list(emails)
    # MIME bytes are built one step ahead in a helper thread: building (CPU) overlaps with waiting for the SMTP
    # server and the database (I/O), which is where a single sender spends most of its time.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mime") as builder:
        reply_to = app.config.get("MAIL_REPLY_TO")
        built = [builder.submit(build_message, email, sender, now, reply_to=reply_to) for email in pending]
        try:
            _send_pending(app, pending, built, sender, worker_id, now, report, stop)
        finally:
            for future in built:
                future.cancel()


def _skip_suppressed(
    emails: list[OutgoingEmail], worker_id: str, now: datetime, report: SendReport
) -> list[OutgoingEmail]:
    """Fail the rows to addresses on the do-not-send list, and to addresses that can never receive mail (an
    anonymised person's ``.invalid`` stand-in), without an attempt: nothing was tried. Returns the rest."""
    listed = suppression.suppressed_among(email.recipient_email for email in emails)
    listed |= {email.recipient_email.lower() for email in emails if is_never_deliverable(email.recipient_email)}
    if not listed:
        return emails
    for email in emails:
        if email.recipient_email.lower() in listed:
            _fail_suppressed(email, worker_id, now, report)
    db.session.commit()
    return [email for email in emails if email.recipient_email.lower() not in listed]


def _fail_suppressed(email: OutgoingEmail, worker_id: str, now: datetime, report: SendReport) -> None:
    if is_never_deliverable(email.recipient_email):
        error = f"not sent: {email.recipient_email} can never receive mail (an anonymised person)"
    else:
        error = suppression.suppressed_error(email.recipient_email)
    update_claimed(
        email.id,
        worker_id,
        status=OutboxStatus.FAILED,
        last_error=error,
        claimed_by=None,
        lease_expires_at=None,
        updated_at=now,
    )
    report.failed += 1


def _send_pending(
    app: Flask,
    pending: list[OutgoingEmail],
    built: list[Future[bytes]],
    sender: str,
    worker_id: str,
    now: datetime,
    report: SendReport,
    stop: threading.Event | None,
) -> None:
    """Send ``pending`` (with their ``built`` bytes) over one transport; ``pending`` shrinks as they go out."""
    envelope_from = envelope_address(app.config.get("MAIL_RETURN_PATH") or sender)
    refused: set[str] = set()
    try:
        with open_transport(app) as transport, sent_marks() as marks:
            while pending:
                if stop is not None and stop.is_set():
                    put_back(pending, worker_id, now, delay=timedelta(0))
                    return
                email, data = pending.pop(0), built.pop(0)
                if email.recipient_email.lower() in refused:  # refused for good earlier in this batch
                    _fail_suppressed(email, worker_id, now, report)
                    db.session.commit()
                    continue
                outcome = _send_one(transport, email, data, envelope_from, worker_id, now, report, marks)
                if outcome is Outcome.PERMANENT and suppression.is_suppressed(email.recipient_email):
                    refused.add(email.recipient_email.lower())
                if outcome is Outcome.CONNECTION_LOST:
                    break
    except (smtplib.SMTPException, OSError) as exc:  # could not connect (or log in) at all
        for email in pending:
            record_failure(email, worker_id, now, Outcome.TRANSIENT, describe(exc), report)
        return
    except BaseException:
        put_back(pending, worker_id, now, delay=timedelta(0))
        raise
    put_back(pending, worker_id, now, delay=None, report=report)


def _send_one(
    transport: Transport,
    email: OutgoingEmail,
    built: Future[bytes],
    envelope_from: str,
    worker_id: str,
    now: datetime,
    report: SendReport,
    marks: sa.Connection | None = None,
) -> Outcome | None:
    """Send one message and record what happened; returns the failure outcome, or None when sent.

    Never raises for the message's sake: whatever goes wrong fails this row (or retries it), not the batch.
    """
    try:
        data = built.result()
    except Exception as exc:  # noqa: BLE001 - see below
        # Building depends on nothing but the row, so whatever it raises (ValueError from our checks, the email
        # package's MessageError/HeaderParseError, a bug) will be raised again on every retry: the row fails
        # for good, alone. Letting it out would crash the batch and leave the row 'sending', to crash the next
        # batch when its lease expires, and so on forever.
        current_app.logger.warning("outbox %s cannot become a message: %r", email.id, exc)
        record_failure(
            email, worker_id, now, Outcome.PERMANENT, f"cannot build message: {type(exc).__name__}: {exc}", report
        )
        return Outcome.PERMANENT
    try:
        transport.send(email, envelope_from, data, now)
    except UnsendableAddress as exc:
        record_failure(email, worker_id, now, Outcome.PERMANENT, f"cannot send to this address: {exc}", report)
        return Outcome.PERMANENT
    except (smtplib.SMTPException, OSError) as exc:
        outcome = classify(exc)
        if outcome is Outcome.PERMANENT and isinstance(exc, smtplib.SMTPRecipientsRefused):
            suppression.suppress_address(email.recipient_email, SuppressionReason.REJECTED, describe(exc))
        record_failure(email, worker_id, now, outcome, describe(exc), report)
        return outcome
    except Exception as exc:  # noqa: BLE001 - one message's trouble must not become the batch's
        return _unexpected_failure(transport, email, exc, worker_id, now, report)
    mark_sent(email, worker_id, now, marks)
    report.sent += 1
    log_send(email, "sent", email.attempts + 1)
    return None


def _unexpected_failure(
    transport: Transport, email: OutgoingEmail, exc: Exception, worker_id: str, now: datetime, report: SendReport
) -> Outcome:
    """An exception smtplib does not document (a codec error, a bug): fail or retry this row alone, then RSET so
    the next message starts clean; a connection that cannot even do that is given up (CONNECTION_LOST)."""
    current_app.logger.warning("outbox %s: unexpected error while sending: %r", email.id, exc)
    outcome = Outcome.PERMANENT if isinstance(exc, DETERMINISTIC_ERRORS) else Outcome.TRANSIENT
    record_failure(email, worker_id, now, outcome, f"unexpected error: {type(exc).__name__}: {exc}", report)
    try:
        transport.reset()
    except (smtplib.SMTPException, OSError):
        return Outcome.CONNECTION_LOST
    return outcome


def send_all_due(
    now_fn: Callable[[], datetime],
    worker_id: str,
    batch_size: int,
    lease: timedelta,
    stop: threading.Event | None = None,
) -> SendReport:
    """Run ``send_due`` until a run claims nothing (``outbox flush``, the worker's job). ``now_fn`` is the clock."""
    total = SendReport()
    while stop is None or not stop.is_set():
        report = send_due(now_fn(), worker_id, batch_size=batch_size, lease=lease, stop=stop)
        total.add(report)
        # Nothing due, or nothing but retries (the server is down): going on would only hammer it.
        if report.claimed == 0 or (report.sent == 0 and report.failed == 0):
            break
    return total
