"""The rules for registering at an event and cancelling a registration.

Deliberately small: no capacity, waiting list or invitations yet (a later issue adds them on top of these).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from eventhub.events.models import Event, Person
from eventhub.extensions import db
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.reminders.services import cancel_unsent_reminders


def register(event: Event, person: Person, now: datetime) -> Registration:
    """Confirm ``person``'s place at ``event``; registering again (even after cancelling) re-confirms the same row."""
    registration = db.session.scalar(
        sa.select(Registration).where(Registration.event_id == event.id, Registration.person_id == person.id)
    )
    if registration is None:
        registration = Registration(event=event, person=person)
        db.session.add(registration)
    registration.status = RegistrationStatus.CONFIRMED
    registration.cancelled_at = None
    db.session.flush()
    return registration


def cancel_registration(registration: Registration, now: datetime) -> Registration:
    """Cancel the registration and the person's reminders for the event that are queued but not sent.

    Cancelling twice is a no-op, so the first ``cancelled_at`` is kept.
    """
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    cancel_unsent_reminders(registration.event, now, person=registration.person)
    db.session.flush()
    return registration
