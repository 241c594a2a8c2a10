"""What one send attempt leaves in its outbox row: sent (committed at once), queued again after a backoff, or
failed for good; and how an SMTP or socket error is read (5xx permanent, 4xx and network trouble not).

Only the sender (``eventhub.mail.sender``) calls these, always on rows it holds under its lease.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

import sqlalchemy as sa
from flask import current_app

from eventhub.extensions import db
from eventhub.logs import log_send
from eventhub.mail.message import OutgoingEmail
from eventhub.mail.models import OutboxMessage, OutboxStatus


@dataclass
class SendReport:
    """What one ``send_due`` run did: rows claimed, sent, put back to retry later, failed for good."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def add(self, other: SendReport) -> None:
        self.claimed += other.claimed
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed


class Outcome(Enum):
    PERMANENT = "permanent"  # the server said no for good (5xx), or the row cannot become a message
    TRANSIENT = "transient"  # try this message again later; the connection is still usable
    CONNECTION_LOST = "connection_lost"  # try again later, and stop using this connection


# Errors that depend on the row alone (an address or header no codec takes): they would recur on every retry.
DETERMINISTIC_ERRORS = (ValueError, UnicodeError, TypeError, LookupError)


def classify(exc: BaseException) -> Outcome:
    """Map an SMTP or socket error to what to do next: 5xx is permanent, 4xx and network trouble are not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        if 421 in codes:
            return Outcome.CONNECTION_LOST
        return Outcome.PERMANENT if codes and all(500 <= code < 600 for code in codes) else Outcome.TRANSIENT
    if isinstance(exc, smtplib.SMTPResponseException):
        if 500 <= exc.smtp_code < 600:
            return Outcome.PERMANENT
        # 421 means the server is closing the connection; other 4xx leave it usable.
        return Outcome.CONNECTION_LOST if exc.smtp_code == 421 else Outcome.TRANSIENT
    return Outcome.CONNECTION_LOST


def backoff(attempts: int, base: timedelta, cap: timedelta) -> timedelta:
    """Delay before attempt ``attempts + 1``: base, 2×base, 4×base, ... never more than ``cap``."""
    return min(base * (2 ** max(attempts - 1, 0)), cap)


def record_failure(
    email: OutgoingEmail, worker_id: str, now: datetime, outcome: Outcome, error: str, report: SendReport
) -> None:
    """Count the attempt; fail the row for good (5xx, or out of attempts) or queue it again after a backoff."""
    config = current_app.config
    attempts = email.attempts + 1
    values: dict[str, object] = {"attempts": attempts, "last_error": error[:2000], "updated_at": now}
    if outcome is Outcome.PERMANENT or attempts >= int(config["MAIL_MAX_ATTEMPTS"]):
        values.update(status=OutboxStatus.FAILED)
        report.failed += 1
        log_send(email, "failed", attempts, reason=outcome.value)
    else:
        delay = backoff(
            attempts,
            timedelta(seconds=float(config["MAIL_BACKOFF_BASE_SECONDS"])),
            timedelta(seconds=float(config["MAIL_BACKOFF_MAX_SECONDS"])),
        )
        values.update(status=OutboxStatus.QUEUED, next_attempt_at=now + delay)
        report.retrying += 1
        log_send(email, "retrying", attempts, reason=outcome.value)
    update_claimed(email.id, worker_id, claimed_by=None, lease_expires_at=None, **values)
    db.session.commit()


def put_back(
    emails: list[OutgoingEmail],
    worker_id: str,
    now: datetime,
    delay: timedelta | None,
    report: SendReport | None = None,
) -> None:
    """Return claimed rows that were never tried to ``queued``, without counting an attempt.

    ``delay=None`` means "the connection broke": wait the backoff of each row's next attempt so a dead server
    is not hammered; a stop or a crash puts them back as due at once.
    """
    config = current_app.config
    for email in emails:
        wait = delay
        if wait is None:
            wait = backoff(
                email.attempts + 1,
                timedelta(seconds=float(config["MAIL_BACKOFF_BASE_SECONDS"])),
                timedelta(seconds=float(config["MAIL_BACKOFF_MAX_SECONDS"])),
            )
        update_claimed(
            email.id,
            worker_id,
            status=OutboxStatus.QUEUED,
            next_attempt_at=now + wait,
            claimed_by=None,
            lease_expires_at=None,
            updated_at=now,
        )
        if report is not None:
            report.retrying += 1
    db.session.commit()


@contextmanager
def sent_marks() -> Iterator[sa.Connection | None]:
    """On PostgreSQL, one connection held for the batch in autocommit mode, on which each "sent" mark is a single
    UPDATE that is durable when it returns: one round trip instead of the session's checkout, ping, BEGIN, UPDATE
    and COMMIT, which made the mark the slowest step of sending. Elsewhere (SQLite, or a session joined to an
    outer connection, as in tests) marks go through the session and are committed one by one."""
    bind = db.session.get_bind()
    if not isinstance(bind, sa.Engine) or bind.dialect.name != "postgresql":
        yield None
        return
    with bind.connect() as connection:
        yield connection.execution_options(isolation_level="AUTOCOMMIT")


def mark_sent(email: OutgoingEmail, worker_id: str, now: datetime, marks: sa.Connection | None = None) -> None:
    """Record acceptance and commit at once: this commit is what bounds a crash to one duplicate."""
    values = dict(
        status=OutboxStatus.SENT, sent_at=now, claimed_by=None, lease_expires_at=None, last_error=None, updated_at=now
    )
    if marks is not None:
        updated = marks.execute(claimed_update(email.id, worker_id, values)).rowcount or 0
    else:
        updated = update_claimed(email.id, worker_id, **values)
        db.session.commit()
    if not updated:
        current_app.logger.warning(
            "outbox %s was sent but its lease had been taken over; it may go out twice", email.id
        )


def update_claimed(message_id: int, worker_id: str, **values: object) -> int:
    """Update a row only while this worker still holds it (a lease taken over by another is left alone)."""
    # A Core statement on the session's connection: the ORM's bulk-update machinery cost more than the UPDATE
    # itself on this hot path (one per message), and no ORM object of these rows is loaded to keep in sync.
    return db.session.connection().execute(claimed_update(message_id, worker_id, values)).rowcount or 0


def claimed_update(message_id: int, worker_id: str, values: dict[str, object]) -> sa.Update:
    table = OutboxMessage.__table__
    return (
        sa.update(table)
        .where(table.c.id == message_id, table.c.status == OutboxStatus.SENDING, table.c.claimed_by == worker_id)
        .values(**values)
    )


def describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {error}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {message.decode('utf-8', 'replace') if isinstance(message, bytes) else message}"
            for code, message in exc.recipients.values()
        )
    return f"{type(exc).__name__}: {exc}"
