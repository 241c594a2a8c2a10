"""Telling registrants that a published agenda changed: one email per settled burst of edits.

``run_agenda_notifications(now)`` is a planner job (the worker calls it): it is safe to run twice, since the
agenda's ``notified_version`` moves forward in the same transaction as the queued emails, and each email has a
dedup key naming the event, the agenda version and the recipient.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from eventhub.agenda.services import AGENDA_CHANGED_KIND, SETTLE_DELAY, agenda_as_text, agenda_changes_due
from eventhub.events.models import Event, Person
from eventhub.extensions import db
from eventhub.i18n import reader_language
from eventhub.mail import lists
from eventhub.mail.services import RenderedEmail, queue_email, render_email
from eventhub.registration.services import confirmed_people
from eventhub.urls import event_url


def run_agenda_notifications(now: datetime, settle: timedelta = SETTLE_DELAY) -> int:
    """Queue "the agenda changed" to the confirmed registrants of every agenda quiet for ``settle`` since its
    last change (as the series' list mail when the event belongs to one: List-Id, one-click unsubscribe).
    Returns how many emails were queued. Flushes; the caller commits."""
    queued = 0
    for agenda in agenda_changes_due(now, settle):
        event = agenda.event
        if not event.is_cancelled:
            text = agenda_as_text(event)
            for person in lists.subscribed(confirmed_people(event), event.series):
                email = render_agenda_changed(event, person, text)
                key = f"agenda-changed:{event.id}:{agenda.version}:{person.id}"
                headers = lists.list_headers(event.series, person.id) if event.series is not None else None
                if queue_email(
                    dedup_key=key,
                    kind=AGENDA_CHANGED_KIND,
                    recipient=person,
                    email=email,
                    now=now,
                    event=event,
                    headers=headers,
                ):
                    queued += 1
        agenda.notified_version = agenda.version
    db.session.flush()
    return queued


def render_agenda_changed(event: Event, person: Person, agenda_text: str) -> RenderedEmail:
    return render_email(
        "agenda_changed",
        reader_language(person, event),
        event=event,
        person=person,
        agenda_text=agenda_text,
        event_url=event_url(event),
    )
