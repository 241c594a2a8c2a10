"""How the calendar area reacts to what other areas announce (see ``eventhub.accounts.signals``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from eventhub.accounts.signals import members_joined
from eventhub.calendar.welcome import queue_welcome_emails
from eventhub.events.models import Series, SeriesMembership


def on_members_joined(series: Series, *, memberships: Sequence[SeriesMembership], now: datetime, **_: Any) -> None:
    """New members are welcomed by email, with their personal calendar feed link."""
    queue_welcome_emails(series, memberships, now)


def connect_handlers() -> None:
    """Connect this area's handlers. Idempotent: blinker keeps one connection per receiver."""
    members_joined.connect(on_members_joined, weak=False)
