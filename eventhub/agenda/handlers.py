"""How the agenda answers other areas: it adds the published agenda to the calendar entries of invitation emails.

Connected in ``create_app`` (``_connect_signals``), like every area's handlers.
"""

from __future__ import annotations

from typing import Any

from eventhub.agenda.services import agenda_as_text
from eventhub.events.models import Event
from eventhub.registration.signals import calendar_entry_text


def on_calendar_entry_text(event: Event, **_: Any) -> str:
    """The published agenda as plain text ("" while there is none)."""
    return agenda_as_text(event)


def connect_handlers() -> None:
    """Connect this area's handlers. Idempotent: blinker keeps one connection per receiver."""
    calendar_entry_text.connect(on_calendar_entry_text, weak=False)
