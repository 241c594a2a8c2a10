"""How reminders react to changes of events and registrations: queued reminders that no longer fit are cancelled.

The planner plans afresh on its next tick (a moved event's reminders carry its new start in their keys).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventhub.events.models import Event
from eventhub.events.signals import event_cancelled, event_changed
from eventhub.registration.models import Registration
from eventhub.registration.signals import registration_cancelled
from eventhub.reminders.services import cancel_unsent_reminders


def on_event_changed(event: Event, *, changes: dict[str, tuple[Any, Any]], now: datetime, **_: Any) -> None:
    """A moved event's queued reminders name the old start: cancel them."""
    if "starts_at" in changes:
        cancel_unsent_reminders(event, now)


def on_event_cancelled(event: Event, *, now: datetime, **_: Any) -> None:
    """Nobody needs a reminder of a cancelled event."""
    cancel_unsent_reminders(event, now)


def on_registration_cancelled(registration: Registration, *, now: datetime, **_: Any) -> None:
    """Only the cancelled person's queued reminders go."""
    cancel_unsent_reminders(registration.event, now, person=registration.person)


def connect_handlers() -> None:
    """Connect this area's handlers. Idempotent: blinker keeps one connection per receiver, and create_app
    runs once per test."""
    event_changed.connect(on_event_changed, weak=False)
    event_cancelled.connect(on_event_cancelled, weak=False)
    registration_cancelled.connect(on_registration_cancelled, weak=False)
