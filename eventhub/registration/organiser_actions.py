"""What an organiser does to someone's registration: cancel it, or move it between confirmed and the waiting list.

Each action reuses the rules the invitee's own cancel and the waiting list follow (``registration.services``):
a cancelled confirmed place goes to the first on the waiting list exactly as when the person cancels. The
organiser who acted is recorded on the registration (``status_changed_by_id``) and the emails say the organiser
did it. Decisions (documented in the README):

- Moving someone to the waiting list puts them at its end and promotes nobody: the organiser freed the seat on
  purpose, and the next cancellation fills free seats as usual.
- Moving someone to confirmed when the event is full is refused unless the organiser confirms going over
  capacity (``over_capacity=True``): the page asks with a checkbox, the API with a field.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from eventhub.accounts.models import User
from eventhub.audit import log as audit
from eventhub.errors import Conflict, NotFound
from eventhub.events.models import Event, Person
from eventhub.extensions import db
from eventhub.registration import emails
from eventhub.registration.invitations import lock_event
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.registration.services import (
    AUDITED_FIELDS,
    cancel_registration,
    confirmed_count,
    next_waitlist_position,
    record_registration_change,
    waiting_list,
)
from eventhub.texts import lazy_text as _l
from eventhub.tokens import new_token


class RegistrationAction(enum.StrEnum):
    CANCEL = "cancel"
    WAITLIST = "waitlist"
    CONFIRM = "confirm"


class OverCapacity(Conflict):
    """Confirming one more would take the event past its capacity, and the organiser has not said to go ahead."""

    code = "over_capacity"


# Which registrations each action applies to.
# Why an action does not apply (the registration changed since the page was shown), by the status it has now.
_CANNOT_CHANGE = {
    RegistrationStatus.CONFIRMED: _l("This registration is confirmed: it cannot be changed like that."),
    RegistrationStatus.WAITLISTED: _l("This registration is on the waiting list: it cannot be changed like that."),
    RegistrationStatus.CANCELLED: _l("This registration is cancelled: it cannot be changed like that."),
}
_APPLIES_TO = {
    RegistrationAction.CANCEL: (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED),
    RegistrationAction.WAITLIST: (RegistrationStatus.CONFIRMED,),
    RegistrationAction.CONFIRM: (RegistrationStatus.WAITLISTED,),
}


@dataclass
class ActionPreview:
    """What an action will do, for the confirmation page: who is emailed, who gets a freed place."""

    registration: Registration
    action: RegistrationAction
    promoted: list[Person] = field(default_factory=list)
    over_capacity: bool = False
    waitlist_position: int | None = None

    @property
    def emailed(self) -> list[Person]:
        return [self.registration.person, *self.promoted]


def get_registration(event: Event, registration_id: int) -> Registration:
    """The registration of ``event``; NotFound for one of another event (ids are not secret, events are)."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        raise NotFound(_l("No registration %(id)d for this event.", id=registration_id))
    return registration


def is_full(event: Event) -> bool:
    return event.capacity is not None and confirmed_count(event) >= event.capacity


def check_action(registration: Registration, action: RegistrationAction) -> None:
    """Raises Conflict when ``action`` does not apply to ``registration`` as it is now (or to its event)."""
    if registration.event.is_cancelled:
        raise Conflict(_l("The event is cancelled: its registrations cannot change any more."))
    if registration.status not in _APPLIES_TO[action]:
        raise Conflict(_CANNOT_CHANGE[registration.status])


def preview_action(registration: Registration, action: RegistrationAction, now: datetime) -> ActionPreview:
    """What ``perform_action`` would do now, without doing it. Raises Conflict as ``check_action`` does."""
    check_action(registration, action)
    event = registration.event
    preview = ActionPreview(registration, action)
    if action == RegistrationAction.CONFIRM:
        preview.over_capacity = is_full(event)
    elif action == RegistrationAction.WAITLIST:
        preview.waitlist_position = next_waitlist_position(event)
    elif registration.status == RegistrationStatus.CONFIRMED and not event.is_cancelled and now < event.starts_at:
        free = None if event.capacity is None else event.capacity - confirmed_count(event) + 1
        waiting = waiting_list(event)
        preview.promoted = [r.person for r in (waiting if free is None else waiting[: max(free, 0)])]
    return preview


def perform_action(
    registration: Registration, action: RegistrationAction, actor: User, now: datetime, over_capacity: bool = False
) -> Registration:
    """Do ``action`` for the organiser ``actor``. Raises Conflict when it does not apply, OverCapacity when
    confirming into a full event without ``over_capacity``."""
    lock_event(registration.event_id)
    db.session.refresh(registration)
    check_action(registration, action)
    if action == RegistrationAction.CANCEL:
        return cancel_registration(registration, now, actor=actor)
    if action == RegistrationAction.WAITLIST:
        return move_to_waiting_list(registration, actor, now)
    return move_to_confirmed(registration, actor, now, over_capacity)


def move_to_waiting_list(
    registration: Registration, actor: User | None, now: datetime, position: int | None = None
) -> Registration:
    """Take a confirmed place away: the person goes on the waiting list (at its end, or at ``position``) and is
    emailed with a calendar CANCEL and a fresh self-service link; the audit log records it for ``actor``. The
    caller holds the event lock."""
    before = audit.snapshot(registration, AUDITED_FIELDS)
    # The position first: querying it autoflushes, and a waitlisted row needs its position (a CHECK says so).
    position = position or next_waitlist_position(registration.event)
    registration.status, registration.waitlist_position = RegistrationStatus.WAITLISTED, position
    registration.confirmed_at = None
    registration.status_changed_by_id = actor.id if actor is not None else None
    registration.updated_at = now
    token, registration.manage_token_hash = new_token()
    db.session.flush()
    emails.queue_moved_to_waiting_list(registration, token, now)
    record_registration_change(registration, before, actor, now)
    return registration


def move_to_confirmed(registration: Registration, actor: User, now: datetime, over_capacity: bool) -> Registration:
    """Give a waiting person a confirmed place (the promotion email with a calendar REQUEST). The caller holds
    the event lock. Raises OverCapacity when the event is full and ``over_capacity`` is not set."""
    event = registration.event
    full = is_full(event)
    if full and not over_capacity:
        raise OverCapacity(
            _l(
                "The event is full (%(capacity)d places). Confirm going over capacity to give this place anyway.",
                capacity=event.capacity,
            ),
            {"over_capacity": _l("the event is full: confirm going over capacity")},
        )
    before = audit.snapshot(registration, AUDITED_FIELDS)
    registration.status, registration.waitlist_position, registration.confirmed_at = (
        RegistrationStatus.CONFIRMED,
        None,
        now,
    )
    registration.status_changed_by_id = actor.id
    registration.updated_at = now
    token, registration.manage_token_hash = new_token()
    db.session.flush()
    emails.queue_promotion(registration, token, now, by_organiser=True)
    record_registration_change(registration, before, actor, now, **({"over_capacity": (None, True)} if full else {}))
    return registration
