"""Lowering an event's capacity below its confirmed registrations: the organiser decides, nothing over-books
silently.

``update_event`` (events) knows nothing of registrations, so the page and the API both change events through
``update_event_seats`` here when registrations exist: it applies the change and, when the new capacity is below
the confirmed count, needs ``over_capacity`` to say what to do:

- ``keep``: everyone stays confirmed; the new capacity applies to new registrations only (they wait).
- ``waitlist_latest``: the most recently confirmed go to the front of the waiting list (they had a place, so
  they are first to get one back), each emailed with a calendar CANCEL.

Without it the change is refused with ``CapacityDecisionNeeded`` (409), and the caller discards its unit of
work (the views roll back; the API's request ends without a commit).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from eventhub.accounts.models import User
from eventhub.errors import Conflict, ValidationFailed
from eventhub.events.models import Event
from eventhub.events.services import update_event
from eventhub.extensions import db
from eventhub.registration.invitations import lock_event
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.registration.organiser_actions import move_to_waiting_list
from eventhub.registration.services import confirmed_count, waiting_list
from eventhub.texts import lazy_text as _l


class OverCapacityChoice(enum.StrEnum):
    KEEP = "keep"
    WAITLIST_LATEST = "waitlist_latest"


class CapacityDecisionNeeded(Conflict):
    """The new capacity is below the confirmed count and the caller has not said what to do."""

    code = "capacity_below_confirmed"

    def __init__(self, capacity: int, confirmed: int):
        super().__init__(
            _l(
                "The new capacity (%(capacity)d) is below the %(confirmed)d confirmed registrations. Say what to do "
                "with over_capacity: 'keep' (everyone stays confirmed) or 'waitlist_latest' (the %(excess)d most "
                "recently confirmed move to the waiting list and are emailed).",
                capacity=capacity,
                confirmed=confirmed,
                excess=confirmed - capacity,
            ),
            {"over_capacity": _l("required: keep or waitlist_latest")},
        )
        self.capacity, self.confirmed, self.excess = capacity, confirmed, confirmed - capacity


def clean_choice(value: Any) -> OverCapacityChoice | None:
    if value in (None, ""):
        return None
    try:
        return OverCapacityChoice(value)
    except ValueError:
        raise ValidationFailed(
            _l("over_capacity must be 'keep' or 'waitlist_latest'."), {"over_capacity": _l("keep or waitlist_latest")}
        ) from None


def update_event_seats(
    event: Event, changes: dict[str, Any], over_capacity: Any, actor: User | None, now: datetime
) -> Event:
    """``update_event`` that asks before lowering the capacity below the confirmed count (see the module).

    Raises CapacityDecisionNeeded (409) when that happens without ``over_capacity``, ValidationFailed for an
    unknown choice, and whatever ``update_event`` raises."""
    choice = clean_choice(over_capacity)
    if "capacity" in changes:
        lock_event(event.id)
    event = update_event(event, changes, now=now, actor=actor)
    confirmed = confirmed_count(event) if "capacity" in changes else 0
    if event.capacity is None or confirmed <= event.capacity:
        return event
    if choice is None:
        raise CapacityDecisionNeeded(event.capacity, confirmed)
    if choice == OverCapacityChoice.WAITLIST_LATEST:
        waitlist_latest(event, confirmed - event.capacity, actor, now)
    return event


def capacity_shortfall(event: Event, new_capacity: int | None) -> int:
    """How many confirmed registrations a capacity of ``new_capacity`` leaves without a place (0 if none)."""
    if new_capacity is None:
        return 0
    return max(confirmed_count(event) - new_capacity, 0)


def waitlist_latest(event: Event, count: int, actor: User | None, now: datetime) -> list[Registration]:
    """Move the ``count`` most recently confirmed to the front of the waiting list, in the order they had
    registered. The caller holds the event lock."""
    latest = list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
            .order_by(Registration.confirmed_at.desc(), Registration.id.desc())
            .limit(count)
        )
    )
    _make_room_at_front(event, len(latest))
    for position, registration in enumerate(reversed(latest), start=1):
        move_to_waiting_list(registration, actor, now, position=position)
    return latest


def _make_room_at_front(event: Event, count: int) -> None:
    """Renumber the waiting list to start at ``count + 1``, keeping its order. Two passes of single-row updates,
    so no row ever takes a position another row still holds (``UniqueConstraint(event_id, waitlist_position)``
    is checked row by row on PostgreSQL)."""
    waiting = waiting_list(event)
    if not waiting or count == 0:
        return
    beyond = max(r.waitlist_position or 0 for r in waiting) + count + 1
    for offset, registration in enumerate(waiting):
        registration.waitlist_position = beyond + offset
    db.session.flush()
    for position, registration in enumerate(waiting, start=count + 1):
        registration.waitlist_position = position
    db.session.flush()
