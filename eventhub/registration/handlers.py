"""How registration reacts to changes of an event (see ``eventhub.events.signals``).

One handler per signal does its steps in order, so the order in which areas' handlers run does not matter.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventhub.events.models import Event
from eventhub.events.services import SEQUENCED_FIELDS
from eventhub.events.signals import event_cancelled, event_changed
from eventhub.registration.invitations import lock_event
from eventhub.registration.services import (
    fill_free_seats,
    notify_registrants_of_cancellation,
    notify_registrants_of_change,
)


def on_event_changed(event: Event, *, changes: dict[str, tuple[Any, Any]], now: datetime, **_: Any) -> None:
    """Registrants get a calendar update for a new SEQUENCE; more seats go to the waiting list (under the lock)."""
    if any(name in changes for name in SEQUENCED_FIELDS):
        notify_registrants_of_change(event, now)
    if "capacity" in changes:
        lock_event(event.id)
        fill_free_seats(event, now)


def on_event_cancelled(event: Event, *, now: datetime, **_: Any) -> None:
    """Confirmed and waiting registrants are told the event is cancelled."""
    notify_registrants_of_cancellation(event, now)


def connect_handlers() -> None:
    """Connect this area's handlers. Idempotent: blinker keeps one connection per receiver, and create_app
    runs once per test."""
    event_changed.connect(on_event_changed, weak=False)
    event_cancelled.connect(on_event_cancelled, weak=False)
