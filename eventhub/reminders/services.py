"""The rules for setting reminder offsets, cancelling queued reminders and turning reminders off.

What offsets are and how they are inherited is the events area's rule (``eventhub.events.reminder_offsets``).
"""

from __future__ import annotations

import functools
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, Signer

from eventhub.events.models import Event, Person, Series
from eventhub.events.reminder_offsets import clean_reminder_offsets, resolve_offsets
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage, OutboxStatus
from eventhub.mail.services import cancel_unsent

REMINDER_KIND = "reminder"
UNSUBSCRIBE_SALT = "eventhub.reminders.unsubscribe"


def set_reminder_offsets(target: Event | Series, offsets: list[int] | None) -> Event | Series:
    """Set the reminder offsets of an event or a series; None resets it to inherit. Raises ValidationFailed.

    Reminders already queued stay queued: they were due when they were queued.
    """
    target.reminder_offsets = clean_reminder_offsets(offsets)
    db.session.flush()
    return target


def effective_offsets(event: Event) -> tuple[int, ...]:
    """The offsets that apply to ``event``: its own, else its series', else the default."""
    return resolve_offsets(event.reminder_offsets, event.series.reminder_offsets if event.series else None)


def cancel_unsent_reminders(event: Event, now: datetime, person: Person | None = None) -> int:
    """Cancel the queued, not yet sent reminders of ``event`` (only ``person``'s when given). Returns how many.

    Called when the event is cancelled or moved (the queued ones name the old start) and when a registration
    is cancelled; the rows stay, cancelled, as a record.
    """
    if person is None:
        return cancel_unsent(REMINDER_KIND, event, now)
    return _cancel_queued_reminders(now, OutboxMessage.event_id == event.id, OutboxMessage.person_id == person.id)


def _cancel_queued_reminders(now: datetime, *conditions: sa.ColumnElement[bool]) -> int:
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.kind == REMINDER_KIND, OutboxMessage.status == OutboxStatus.QUEUED, *conditions)
        .values(status=OutboxStatus.CANCELLED, updated_at=now, last_error="cancelled: no longer needed")
    )
    return result.rowcount or 0


def unsubscribe_token(person_id: int) -> str:
    """A signed, URL-safe token naming a person: the link proves itself, so no secret is stored.

    itsdangerous' ``Signer`` (not ``URLSafeSerializer``): the serializer tries zlib on every payload, which made
    signing 10,000 links in one planner tick cost 0.7 s; an id needs no serializing. Token: ``<id>.<signature>``.
    """
    return _signer(current_app.config["SECRET_KEY"]).sign(str(person_id).encode()).decode()


def person_for_unsubscribe_token(token: str) -> Person | None:
    """The person a token names, or None when the token is tampered with or the person is gone."""
    try:
        value = _signer(current_app.config["SECRET_KEY"]).unsign(token.encode())
    except BadSignature:
        return None
    if not value.isdigit():
        return None
    return db.session.get(Person, int(value))


@functools.lru_cache(maxsize=4)
def _signer(secret_key: str) -> Signer:
    return Signer(secret_key, salt=UNSUBSCRIBE_SALT)


def turn_off_reminders(person: Person, now: datetime) -> Person:
    """Stop every future reminder to ``person`` and cancel the ones queued but not sent. Doing it twice is fine."""
    person.reminders_enabled = False
    _cancel_queued_reminders(now, OutboxMessage.person_id == person.id)
    db.session.flush()
    return person
