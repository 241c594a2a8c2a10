"""The reminder email: its content, its links and its RFC 8058 unsubscribe headers."""

from __future__ import annotations

from flask import current_app

from eventhub.events.models import Event, Person
from eventhub.i18n import format_day, format_time_in_zone
from eventhub.mail.services import RenderedEmail, render_email
from eventhub.reminders.services import unsubscribe_token
from eventhub.urls import absolute_url


def reader_language(person: Person) -> str:
    """The person's language when eventhub speaks it, else the default (as ``render_email`` decides)."""
    languages = current_app.config["LANGUAGES"]
    return person.language if person.language in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def event_url(event: Event) -> str:
    return absolute_url("events.event", event_id=event.id)


def unsubscribe_url(person: Person) -> str:
    return absolute_url("reminders.unsubscribe", token=unsubscribe_token(person))


def reminder_headers(unsubscribe: str) -> dict[str, str]:
    """One-click unsubscribe (RFC 8058): mail clients POST ``List-Unsubscribe=One-Click`` to the link."""
    return {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def event_when(event: Event, language: str) -> str:
    """Date and time in the event's zone and the reader's language, e.g.
    "tirsdag den 15. november 2022 14.00–15.30 (Europe/Copenhagen)"; an event over several days names both days.
    """
    zone = event.timezone
    start_day, end_day = format_day(event.starts_at, zone, locale=language), format_day(event.ends_at, zone, locale=language)
    start, end = format_time_in_zone(event.starts_at, zone, locale=language), format_time_in_zone(event.ends_at, zone, locale=language)
    if start_day == end_day:
        return f"{start_day} {start}–{end} ({zone})"
    return f"{start_day} {start} – {end_day} {end} ({zone})"


def render_reminder(event: Event, person: Person, unsubscribe: str, when: str | None = None, url: str | None = None) -> RenderedEmail:
    """The reminder for ``person`` in their language. ``when`` and ``url`` may be passed in by a caller that
    renders many reminders of one event (the planner), so they are computed once per event and language."""
    language = reader_language(person)
    return render_email(
        "reminder",
        language,
        event=event,
        person=person,
        when=when or event_when(event, language),
        event_url=url or event_url(event),
        unsubscribe_url=unsubscribe,
    )
