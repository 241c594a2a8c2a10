"""Putting email in the outbox. Nothing here talks to SMTP: the sender does, after the transaction commits.

A feature that wants to send an email renders it with ``render_email`` and queues it with ``queue_email`` in
the same transaction as the change that caused it: if that transaction rolls back, no email exists; if it
commits, the email will go out. ``dedup_key`` names the logical email; queuing the same key twice is a no-op.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parseaddr
from typing import Any, Protocol
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import defer

from eventhub.db import insert_skipping_duplicates
from eventhub.errors import Conflict, NotFound
from eventhub.events.models import Event, Person
from eventhub.extensions import db
from eventhub.mail.addresses import is_never_deliverable
from eventhub.mail.models import OutboxMessage, OutboxStatus
from eventhub.pagination import text_search
from eventhub.texts import lazy_text as _l
from eventhub.validation import supported_languages

# Rows per multi-row INSERT of ``queue_emails`` (SQLAlchemy also splits a page that has too many parameters).
BULK_PAGE = 5_000


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    # The language it is written in (``render_email``'s): the outbox row records it, not the reader's raw
    # language, which may be one eventhub does not speak ("pt" reading the event's Polish).
    language: str = ""


class Recipient(Protocol):
    """Whom an email is for: a Person, or an Addressee not (yet) stored as one."""

    id: int | None
    email: str
    name: str
    language: str


@dataclass(frozen=True)
class Addressee:
    """Someone to write to who is no Person row, e.g. whoever asked for an invitation (no person is created
    for a request an organiser may still decline)."""

    email: str
    name: str
    language: str = "en"
    id: int | None = None


@dataclass(frozen=True)
class SenderIdentity:
    """Who an email is from, as its signature and calendar part say: a name and an address a person reads."""

    name: str
    contact: str


def sender_identity(event: Event | None = None) -> SenderIdentity:
    """The series' organiser (``organiser_name``) when the event's series has one, else the site (the name of
    ``MAIL_DEFAULT_SENDER``); the contact is ``MAIL_REPLY_TO``, else the sender's address."""
    config = current_app.config
    site_name, sender_address = parseaddr(config["MAIL_DEFAULT_SENDER"])
    series = event.series if event is not None else None
    name = (series.organiser_name if series is not None else None) or site_name or "eventhub"
    reply_to = parseaddr(config.get("MAIL_REPLY_TO") or "")[1]
    return SenderIdentity(name=name, contact=reply_to or sender_address)


def render_email(template: str, language: str, **context: Any) -> RenderedEmail:
    """Render ``templates/mail/<template>.{subject.txt,txt,html}`` in ``language``, which the caller chose with
    ``eventhub.i18n.reader_language`` (the one home of that rule). Raises ValueError for a language eventhub does
    not speak: passing a person's raw ``language`` here would skip the rule's fallbacks."""
    if language not in supported_languages():
        raise ValueError(f"render_email needs a language eventhub speaks (see i18n.reader_language), not {language!r}.")
    context.setdefault("signature", sender_identity(context.get("event")))
    with force_locale(language):
        context.setdefault("language", language)
        subject = render_template(f"mail/{template}.subject.txt", **context)
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
    return RenderedEmail(subject=" ".join(subject.split()), text=text.strip() + "\n", html=html, language=language)


def new_message_id() -> str:
    """A globally unique Message-ID on eventhub's own domain, fixed when the email is queued: the sender's
    domain, or the site's when the sender has none worth the name (the default ``eventhub@localhost``)."""
    domain = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2]
    if "." not in domain:
        domain = urlsplit(current_app.config["BASE_URL"]).hostname or "eventhub.invalid"
    return f"<{secrets.token_hex(16)}@{domain}>"


def queue_email(
    *,
    dedup_key: str,
    kind: str,
    recipient: Recipient,
    email: RenderedEmail,
    now: datetime,
    not_before: datetime | None = None,
    event: Event | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> OutboxMessage | None:
    """Add one email to the outbox. Returns the row, or None when ``dedup_key`` was queued before or the
    recipient's address can never receive mail (``.invalid``: an anonymised person's stand-in).

    The uniqueness of ``dedup_key`` is enforced by the database; a concurrent insert of the same key is
    caught inside a SAVEPOINT so the caller's transaction stays usable.
    """
    if is_never_deliverable(recipient.email):
        return None
    if db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.dedup_key == dedup_key)) is not None:
        return None
    due = not_before or now
    message = OutboxMessage(
        dedup_key=dedup_key,
        kind=kind,
        message_id=new_message_id(),
        recipient_email=recipient.email,
        recipient_name=recipient.name,
        person_id=recipient.id,
        event_id=event.id if event is not None else None,
        language=_written_in(email, recipient),
        subject=email.subject,
        body_text=email.text,
        body_html=email.html,
        headers=dict(headers or {}),
        attachments=list(attachments or []),
        not_before=due,
        next_attempt_at=due,
        status=OutboxStatus.QUEUED,
    )
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except sa.exc.IntegrityError:
        return None
    return message


def cancel_unsent(kind: str, event: Event, now: datetime) -> int:
    """Cancel this event's queued emails of ``kind`` (e.g. reminders of a cancelled event). Returns how many."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.event_id == event.id, OutboxMessage.kind == kind, OutboxMessage.status == OutboxStatus.QUEUED
        )
        .values(status=OutboxStatus.CANCELLED, updated_at=now, last_error="cancelled: no longer needed")
    )
    return result.rowcount or 0


def count_by_status() -> dict[OutboxStatus, int]:
    """How many outbox rows are in each status (every status present, zero when none)."""
    counts = dict.fromkeys(OutboxStatus, 0)
    rows = db.session.execute(sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status))
    for status, count in rows:
        counts[OutboxStatus(status)] = count
    return counts


def outbox_query(status: OutboxStatus | None = None, search: str = "") -> sa.Select:
    """The outbox rows (of ``status`` if given; ``search`` in the recipient's address or name, or the subject),
    the most recently changed first: a failure or a send is what an admin looks for. The admin page cuts it into
    pages (the outbox may hold tens of thousands of rows)."""
    columns = [OutboxMessage.recipient_email, OutboxMessage.recipient_name, OutboxMessage.subject]
    conditions = [c for c in (text_search(search, columns),) if c is not None]
    if status is not None:
        conditions.append(OutboxMessage.status == status)
    # The rendered bodies (kilobytes a row) are not shown: sorting 10,000 rows with them spilled to disk.
    wide = (OutboxMessage.body_text, OutboxMessage.body_html, OutboxMessage.headers, OutboxMessage.attachments)
    return (
        sa.select(OutboxMessage)
        .where(*conditions)
        .options(*(defer(column) for column in wide))
        .order_by(OutboxMessage.updated_at.desc(), OutboxMessage.id.desc())
    )


def retry_message(message_id: int, now: datetime) -> OutboxMessage:
    """Queue a failed row again with a fresh set of attempts. Raises NotFound, or Conflict when not failed."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound(_l("No outbox message %(id)d.", id=message_id))
    if message.status != OutboxStatus.FAILED:
        raise Conflict(_NOT_FAILED[message.status](message_id))
    _requeue(sa.update(OutboxMessage).where(OutboxMessage.id == message_id), now)
    db.session.refresh(message)
    return message


# Why a row cannot be retried, a whole sentence per status (a status's name does not fit every language's sentence).
_NOT_FAILED = {
    OutboxStatus.QUEUED: lambda id: _l("Outbox message %(id)d is queued, not failed.", id=id),
    OutboxStatus.SENDING: lambda id: _l("Outbox message %(id)d is being sent, not failed.", id=id),
    OutboxStatus.SENT: lambda id: _l("Outbox message %(id)d is sent, not failed.", id=id),
    OutboxStatus.CANCELLED: lambda id: _l("Outbox message %(id)d is cancelled, not failed.", id=id),
}


def retry_failed(now: datetime) -> int:
    """Queue every failed row again. Returns how many."""
    return _requeue(sa.update(OutboxMessage), now)


def _requeue(statement: sa.Update, now: datetime) -> int:
    """The last error stays on the row until the next attempt replaces it: it explains why it was retried."""
    result = db.session.execute(
        statement.where(OutboxMessage.status == OutboxStatus.FAILED).values(
            status=OutboxStatus.QUEUED, attempts=0, next_attempt_at=now, updated_at=now
        ),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount or 0


@dataclass(frozen=True)
class EmailToQueue:
    """One email of a batch for ``queue_emails``: its key, its reader and its rendered content."""

    dedup_key: str
    recipient: Person
    email: RenderedEmail
    headers: dict[str, str] = field(default_factory=dict)


def queue_emails(kind: str, emails: list[EmailToQueue], now: datetime, event: Event | None = None) -> int:
    """Add many emails of one ``kind`` at once, each as ``queue_email`` would, in a few multi-row INSERTs (a list
    of 5,000 invitees must not cost 5,000 round trips). A key queued before is skipped, as ``queue_email`` skips
    it, by the database's unique constraint (``ON CONFLICT DO NOTHING``); one to an address that can never receive
    mail is left out, as ``queue_email`` leaves it out. Returns how many were sent to insert."""
    emails = [item for item in emails if not is_never_deliverable(item.recipient.email)]
    table = OutboxMessage.__table__
    statement = insert_skipping_duplicates(table, db.session)
    rows = [
        {
            "dedup_key": item.dedup_key, "kind": kind, "message_id": new_message_id(),
            "recipient_email": item.recipient.email, "recipient_name": item.recipient.name,
            "person_id": item.recipient.id, "event_id": event.id if event is not None else None,
            "language": _written_in(item.email, item.recipient),
            "subject": item.email.subject, "body_text": item.email.text, "body_html": item.email.html,
            "headers": dict(item.headers), "attachments": [],
            "not_before": now, "next_attempt_at": now, "status": OutboxStatus.QUEUED, "attempts": 0,
        }
        for item in emails
    ]  # fmt: skip
    for start in range(0, len(rows), BULK_PAGE):
        db.session.execute(statement, rows[start : start + BULK_PAGE])
    return len(rows)


def _written_in(email: RenderedEmail, recipient: Any) -> str:
    """The language the outbox records: the email's, else the recipient's own, else the site's default (a person
    may have no language of their own: ``Person.language``)."""
    return email.language or recipient.language or current_app.config["BABEL_DEFAULT_LOCALE"]
