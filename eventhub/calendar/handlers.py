"""How the calendar area reacts to what other areas announce (``eventhub.accounts.signals``,
``eventhub.registration.signals``) and to every change of the rows its feeds are made of."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from eventhub.accounts.signals import members_joined
from eventhub.calendar.components import event_body_of
from eventhub.calendar.invalidation import connect_listeners
from eventhub.calendar.welcome import queue_welcome_emails
from eventhub.events.models import Event, Series, SeriesMembership
from eventhub.registration.signals import calendar_event_body


def on_members_joined(series: Series, *, memberships: Sequence[SeriesMembership], now: datetime, **_: Any) -> None:
    """New members are welcomed by email, with their personal calendar feed link."""
    queue_welcome_emails(series, memberships, now)


def on_calendar_event_body(event: Event, *, language: str, base_url: str, **_: Any) -> str:
    """The event's stored component text for an invitation email's calendar part (rendered if out of date)."""
    return event_body_of(event, language, base_url)


def connect_handlers() -> None:
    """Connect this area's handlers, and the session listeners that raise feed counters on every change
    (``calendar.invalidation``). Idempotent: blinker keeps one connection per receiver."""
    members_joined.connect(on_members_joined, weak=False)
    calendar_event_body.connect(on_calendar_event_body, weak=False)
    connect_listeners()
