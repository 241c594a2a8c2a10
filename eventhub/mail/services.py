"""Putting email in the outbox. Nothing here talks to SMTP: the sender does, after the transaction commits.

A feature that wants to send an email renders it with ``render_email`` and queues it with ``queue_email`` in
the same transaction as the change that caused it: if that transaction rolls back, no email exists; if it
commits, the email will go out. ``dedup_key`` names the logical email; queuing the same key twice is a no-op.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale

from eventhub.events.models import Event, Person
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage, OutboxStatus


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(template: str, language: str, **context: Any) -> RenderedEmail:
    """Render ``templates/mail/<template>.{subject.txt,txt,html}`` in ``language`` (the recipient's)."""
    languages = current_app.config["LANGUAGES"]
    language = language if language in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        context.setdefault("language", language)
        subject = render_template(f"mail/{template}.subject.txt", **context)
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
    return RenderedEmail(subject=" ".join(subject.split()), text=text.strip() + "\n", html=html)


def new_message_id() -> str:
    """A globally unique Message-ID on eventhub's own domain, fixed when the email is queued."""
    domain = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2]
    domain = domain or urlsplit(current_app.config["BASE_URL"]).hostname or "eventhub.invalid"
    return f"<{secrets.token_hex(16)}@{domain}>"


def queue_email(
    *,
    dedup_key: str,
    kind: str,
    recipient: Person,
    email: RenderedEmail,
    now: datetime,
    not_before: datetime | None = None,
    event: Event | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> OutboxMessage | None:
    """Add one email to the outbox. Returns the row, or None when ``dedup_key`` was queued before.

    The uniqueness of ``dedup_key`` is enforced by the database; a concurrent insert of the same key is
    caught inside a SAVEPOINT so the caller's transaction stays usable.
    """
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
        language=recipient.language,
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
        .where(OutboxMessage.event_id == event.id, OutboxMessage.kind == kind, OutboxMessage.status == OutboxStatus.QUEUED)
        .values(status=OutboxStatus.CANCELLED, updated_at=now, last_error="cancelled: no longer needed")
    )
    return result.rowcount or 0
