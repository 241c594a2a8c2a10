"""The reminder email: its content, its links and its RFC 8058 unsubscribe headers.

Everyone registered for an event gets the same reminder but for their name and their unsubscribe link, so a
reminder is rendered once per event and language as a *stencil* with two slots, then filled in per reader
(escaped for the HTML part). That is what lets the planner queue 10,000 reminders in one tick: Jinja and
Flask-Babel cost about a millisecond per email, filling two slots a few microseconds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from markupsafe import escape

from eventhub.events.models import Event
from eventhub.i18n import format_day, format_time_in_zone
from eventhub.mail.services import RenderedEmail, render_email
from eventhub.reminders.services import unsubscribe_token
from eventhub.urls import absolute_url

NAME_SLOT = "[[eventhub:name]]"
UNSUBSCRIBE_SLOT = "[[eventhub:unsubscribe]]"
_SLOTS = re.compile("(" + re.escape(NAME_SLOT) + "|" + re.escape(UNSUBSCRIBE_SLOT) + ")")


def reader_language(language: str | None) -> str:
    """The reader's language when eventhub speaks it, else the default (as ``render_email`` decides)."""
    return language if language in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def event_url(event: Event) -> str:
    return absolute_url("events.event", event_id=event.id)


def unsubscribe_link_maker() -> Callable[[int], str]:
    """A function person id → absolute unsubscribe link. The URL is built once: building it costs more than
    signing the token, and only the token differs (its characters need no quoting in a path)."""
    prefix = absolute_url("reminders.unsubscribe", token="-")[:-1]
    return lambda person_id: prefix + unsubscribe_token(person_id)


def unsubscribe_url(person_id: int) -> str:
    return unsubscribe_link_maker()(person_id)


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


@dataclass(frozen=True)
class ReminderStencil:
    """The reminder of one event in one language, with slots for the reader's name and unsubscribe link."""

    email: RenderedEmail

    def fill(self, name: str, unsubscribe: str) -> RenderedEmail:
        """The reminder for one reader. Each part is cut at its slots once, so the reader's values are only
        joined in: a name that happens to contain a slot's text is shown as it is."""
        plain = {NAME_SLOT: name, UNSUBSCRIBE_SLOT: unsubscribe}
        html = {NAME_SLOT: str(escape(name)), UNSUBSCRIBE_SLOT: str(escape(unsubscribe))}
        return RenderedEmail(
            subject=_join(_pieces(self.email.subject), plain),
            text=_join(_pieces(self.email.text), plain),
            html=_join(_pieces(self.email.html), html),
        )


@functools.lru_cache(maxsize=512)
def _pieces(template: str) -> tuple[str, ...]:
    """``template`` cut into literal text and slot names (odd positions are slots)."""
    return tuple(_SLOTS.split(template))


def _join(pieces: tuple[str, ...], values: dict[str, str]) -> str:
    return "".join(values[piece] if index % 2 else piece for index, piece in enumerate(pieces))


def reminder_stencil(event: Event, language: str) -> ReminderStencil:
    """Render ``templates/mail/reminder.*`` for ``event`` in ``language`` (one of the app's languages)."""
    email = render_email(
        "reminder",
        language,
        event=event,
        when=event_when(event, language),
        event_url=event_url(event),
        name=NAME_SLOT,
        unsubscribe_url=UNSUBSCRIBE_SLOT,
    )
    return ReminderStencil(email)


def render_reminder(event: Event, name: str, language: str | None, unsubscribe: str) -> RenderedEmail:
    """The reminder for one reader (tests and one-off sends; the planner reuses stencils)."""
    return reminder_stencil(event, reader_language(language)).fill(name, unsubscribe)
