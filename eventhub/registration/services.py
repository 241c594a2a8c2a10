"""The rules for registering, the waiting list and cancelling (inviting: ``eventhub.registration.invitations``).

Seats are counted under a lock on the event row (``invitations.lock_event``), so two invitees registering for the last
seat at the same moment cannot both get it: one is confirmed, the other waits. Every email a change causes is
queued in the same transaction. Functions flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from eventhub.audit import log as audit
from eventhub.audit.models import AuditAction
from eventhub.errors import Conflict, NotFound
from eventhub.events.models import Event, Person
from eventhub.events.people import get_or_create_organisation
from eventhub.extensions import db
from eventhub.registration import emails
from eventhub.registration.consents import ShownForm, as_written, record_consents
from eventhub.registration.invitations import MAX_NAME, Gone, lock_event
from eventhub.registration.models import Invitation, InvitationStatus, Registration, RegistrationStatus
from eventhub.registration.question_translations import owner_language
from eventhub.registration.questions import clean_answers, questions_for
from eventhub.registration.signals import registration_cancelled
from eventhub.texts import lazy_text as _l
from eventhub.tokens import hash_token, new_token
from eventhub.validation import clean_fields, optional_text, required_text

if TYPE_CHECKING:
    from eventhub.accounts.models import User

# ---------------------------------------------------------------------------------------------------------
# Registering, the waiting list, cancelling
# ---------------------------------------------------------------------------------------------------------


@dataclass
class RegistrationOutcome:
    registration: Registration
    manage_token: str | None  # None when nothing new happened (a double submit)
    created: bool


def register_invitee(
    invitation: Invitation,
    name: str,
    organisation: str | None,
    raw_answers: dict[str, Any],
    now: datetime,
    shown: ShownForm | None = None,
) -> RegistrationOutcome:
    """Register the invitee: confirmed while seats are free, else on the waiting list in order of arrival. Each
    consent box ticked is recorded with the text ``shown`` (the form's; by default the questions as written).

    Submitting twice registers once: the second call finds the registration and changes nothing. Raises Gone
    once registration has closed, ValidationFailed for bad answers.
    """
    lock_event(invitation.event_id)
    db.session.refresh(invitation)
    event = invitation.event
    existing = _registration_of(event, invitation.person)
    if (
        invitation.status == InvitationStatus.REGISTERED
        and existing
        and existing.status != RegistrationStatus.CANCELLED
    ):
        return RegistrationOutcome(existing, None, False)
    # A decliner may change their mind, while registration is open.
    answerable = invitation.status in (InvitationStatus.PENDING, InvitationStatus.DECLINED)
    if not answerable or not event.takes_registrations(now):
        raise Gone(_l("Registration has closed."), reason="closed")
    questions = questions_for(event)
    answers = clean_answers(questions, raw_answers)
    _update_person(invitation.person, name, organisation)
    registration = _take_seat(event, invitation.person, existing, now)
    registration.answers = answers
    # The form offers every consent box unticked, so each tick is a new consent (``before`` is empty).
    record_consents(registration, questions, {}, answers, shown or _as_written(event), now)
    token, registration.manage_token_hash = new_token()
    invitation.status, invitation.responded_at = InvitationStatus.REGISTERED, now
    db.session.flush()
    emails.queue_registration_received(registration, token, now)
    return RegistrationOutcome(registration, token, True)


def _update_person(person: Person, name: str, organisation: str | None) -> None:
    """The invitee corrects their own name (and gives an organisation if we had none).

    Both are checked for control characters and line breaks even when the organisation is not used: the
    name goes into the To: header of every email to this person, where such characters break the sender.
    """
    values = clean_fields(
        {
            "name": lambda: required_text(name, "name", MAX_NAME),
            "organisation": lambda: optional_text(organisation, "organisation", MAX_NAME),
        }
    )
    person.name = values["name"]
    if values["organisation"] and person.organisation is None:
        person.organisation = get_or_create_organisation(values["organisation"])


def _registration_of(event: Event, person: Person) -> Registration | None:
    return db.session.scalar(
        sa.select(Registration)
        .where(Registration.event_id == event.id, Registration.person_id == person.id)
        .execution_options(populate_existing=True)
    )


def _take_seat(event: Event, person: Person, registration: Registration | None, now: datetime) -> Registration:
    """Confirm when a seat is free, else append to the waiting list. The caller holds the event lock."""
    # Count before adding: an autoflushed new row would count itself as a confirmed seat.
    seat_free = event.capacity is None or confirmed_count(event) < event.capacity
    position = None if seat_free else next_waitlist_position(event)
    if registration is None:
        registration = Registration(event=event, person=person, answers={})
        db.session.add(registration)
    registration.cancelled_at = None
    if seat_free:
        registration.status, registration.confirmed_at, registration.waitlist_position = (
            RegistrationStatus.CONFIRMED,
            now,
            None,
        )
    else:
        registration.status, registration.waitlist_position = RegistrationStatus.WAITLISTED, position
    db.session.flush()
    return registration


def confirmed_count(event: Event) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
    )


def registrants_to_notify_count(event: Event) -> int:
    """How many people cancelling ``event`` would email: the confirmed and the waiting list (as
    ``notify_registrants_of_cancellation`` does), for the confirmation page."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(Registration.event_id == event.id, Registration.status != RegistrationStatus.CANCELLED)
    )


def waitlist_place(registration: Registration) -> int | None:
    """The registration's place in its event's waiting list (1: the next to get a place), or None when it is not
    waiting. Counted, not read: stored positions only order the list and keep the gaps of people promoted or
    gone, so "number 3" could be the first in line."""
    if registration.status != RegistrationStatus.WAITLISTED or registration.waitlist_position is None:
        return None
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            Registration.waitlist_position <= registration.waitlist_position,
        )
    )


def next_waitlist_position(event: Event) -> int:
    highest = db.session.scalar(
        sa.select(sa.func.max(Registration.waitlist_position)).where(Registration.event_id == event.id)
    )
    return (highest or 0) + 1


def register(event: Event, person: Person, now: datetime) -> Registration:
    """Give ``person`` a place (or a place on the waiting list) without an invitation or emails (organisers,
    the demo). Registering again, even after cancelling, reuses the same row."""
    lock_event(event.id)
    registration = _registration_of(event, person)
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        return registration
    return _take_seat(event, person, registration, now)


def registration_for_token(token: str) -> Registration:
    """The registration a self-service link opens; NotFound for anything else."""
    if not token or len(token) > 100:
        raise NotFound(_l("This link is not valid."))
    registration = db.session.scalar(
        sa.select(Registration)
        .where(Registration.manage_token_hash == hash_token(token))
        .execution_options(populate_existing=True)
    )
    if registration is None:
        raise NotFound(_l("This link is not valid."))
    return registration


def change_answers(
    registration: Registration, raw_answers: dict[str, Any], now: datetime, shown: ShownForm | None = None
) -> Registration:
    """Replace the answers (self-service) until registration closes. A consent box ticked now is recorded with
    the text ``shown``; one unticked is recorded as withdrawn; one left ticked records nothing (it was ticked
    already: leaving it so is no new act, even under a newer wording)."""
    if registration.status == RegistrationStatus.CANCELLED:
        raise Conflict(_l("This registration is cancelled."))
    event = registration.event
    _check_open_for_changes(event, now)
    questions = questions_for(event)
    before, after = registration.answers or {}, clean_answers(questions, raw_answers)
    registration.answers = after
    registration.updated_at = now
    record_consents(registration, questions, before, after, shown or _as_written(event), now)
    db.session.flush()
    return registration


def _as_written(event: Event) -> ShownForm:
    """The questions as written, in the event's language: what a caller without a form (the demo) showed."""
    return as_written(owner_language(event))


def _check_open_for_changes(event: Event, now: datetime) -> None:
    if not event.takes_registrations(now):
        raise Gone(_l("Registration has closed; please contact the organiser."), reason="closed")


def cancel_registration(registration: Registration, now: datetime, actor: User | None = None) -> Registration:
    """Cancel the registration and tell the person (METHOD:CANCEL for a confirmed seat); sends
    ``registration_cancelled`` (reminders cancels the person's unsent reminders). ``actor`` is the organiser
    who cancelled it for the person (recorded on the registration and in the audit log, and the email says so);
    None when the person cancelled (their own act: not an organiser's change, so not in the audit log).

    A freed seat goes to the first on the waiting list. Cancelling twice is a no-op (the first time is kept).
    """
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    lock_event(registration.event_id)
    before = audit.snapshot(registration, AUDITED_FIELDS)
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.waitlist_position = None
    registration.status_changed_by_id = actor.id if actor is not None else None
    _mark_invitation_declined(registration, now)
    db.session.flush()
    registration_cancelled.send(registration, now=now)
    emails.queue_cancellation(registration, was_confirmed, now, by_organiser=actor is not None)
    promoted = fill_free_seats(registration.event, now) if was_confirmed else []
    if actor is not None:
        freed = {"promoted_person_ids": (None, [r.person_id for r in promoted])} if promoted else {}
        record_registration_change(registration, before, actor, now, **freed)
    return registration


# What the audit log compares before and after an organiser changes a registration.
AUDITED_FIELDS = ("status", "waitlist_position")


def record_registration_change(
    registration: Registration, before: dict[str, Any], actor: User | None, now: datetime, **more: Any
) -> None:
    """An audit entry about the registration's person: ``before`` (a snapshot of ``AUDITED_FIELDS``) → now."""
    person = registration.person
    audit.record(
        AuditAction.REGISTRATION_CHANGED, actor=actor, now=now, event=registration.event, person=person,
        subject=audit.person_subject(person),
        fields={**audit.changes(before, audit.snapshot(registration, AUDITED_FIELDS)), **more},
    )  # fmt: skip


def _mark_invitation_declined(registration: Registration, now: datetime) -> None:
    """A cancelled invitee may change their mind again through the invitation link while registration is open."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(
            Invitation.event_id == registration.event_id, Invitation.person_id == registration.person_id
        )
    )
    if invitation is not None and invitation.status == InvitationStatus.REGISTERED:
        invitation.status, invitation.responded_at = InvitationStatus.DECLINED, now


def fill_free_seats(event: Event, now: datetime) -> list[Registration]:
    """Promote the first on the waiting list while seats are free, emailing each. The caller holds the lock.

    Nobody is promoted once the event has started: a seat freed by a late cancellation cannot be used any more,
    and an email saying "you have a seat" would arrive during or after the event."""
    promoted: list[Registration] = []
    if event.is_cancelled or now >= event.starts_at:
        return promoted
    free = None if event.capacity is None else event.capacity - confirmed_count(event)
    for registration in waiting_list(event):
        if free is not None and free <= 0:
            break
        registration.status, registration.waitlist_position, registration.confirmed_at = (
            RegistrationStatus.CONFIRMED,
            None,
            now,
        )
        registration.status_changed_by_id = None
        token, registration.manage_token_hash = new_token()
        db.session.flush()
        emails.queue_promotion(registration, token, now)
        promoted.append(registration)
        free = None if free is None else free - 1
    return promoted


def waiting_list(event: Event) -> list[Registration]:
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED)
            .order_by(Registration.waitlist_position)
        )
    )


def confirmed_people(event: Event) -> list[Person]:
    """People with a confirmed registration for ``event`` (agenda and minutes write to them)."""
    query = (
        sa.select(Person)
        .join(Registration, Registration.person_id == Person.id)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Person.id)
    )
    return list(db.session.scalars(query))


def list_registrations(event: Event, status: RegistrationStatus | None = None) -> list[Registration]:
    """The event's registrations: confirmed first, then the waiting list in order, then cancelled; by name."""
    order = sa.case(
        (Registration.status == RegistrationStatus.CONFIRMED, 0),
        (Registration.status == RegistrationStatus.WAITLISTED, 1),
        else_=2,
    )
    query = (
        sa.select(Registration)
        .join(Person, Registration.person_id == Person.id)
        .where(Registration.event_id == event.id)
    )
    query = query.options(joinedload(Registration.person).joinedload(Person.organisation))  # the list shows both
    if status is not None:
        query = query.where(Registration.status == status)
    return list(db.session.scalars(query.order_by(order, Registration.waitlist_position, Person.name, Registration.id)))


# ---------------------------------------------------------------------------------------------------------
# Changes of the event (called by registration.handlers)
# ---------------------------------------------------------------------------------------------------------


def notify_registrants_of_change(event: Event, now: datetime) -> int:
    """Send confirmed registrants an iTIP update (METHOD:REQUEST, the new SEQUENCE). Returns how many."""
    count = 0
    for registration in list_registrations(event, RegistrationStatus.CONFIRMED):
        count += emails.queue_event_update(registration, now) is not None
    return count


def notify_registrants_of_cancellation(event: Event, now: datetime) -> int:
    """Tell confirmed and waiting registrants the event is cancelled (METHOD:CANCEL for the confirmed)."""
    count = 0
    for registration in list_registrations(event):
        if registration.status != RegistrationStatus.CANCELLED:
            count += emails.queue_event_cancelled(registration, now) is not None
    return count
