"""The rules for invitations, registering, the waiting list and cancelling.

Seats are counted under a lock on the event row (``lock_event``), so two invitees registering for the last
seat at the same moment cannot both get it: one is confirmed, the other waits. Every email a change causes is
queued in the same transaction. Functions flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from eventhub.accounts.models import User
from eventhub.errors import Conflict, DomainError, NotFound, ValidationFailed
from eventhub.events.models import Event, Person
from eventhub.events.people import get_or_create_organisation, get_or_create_person
from eventhub.extensions import db
from eventhub.registration import emails
from eventhub.registration.invitee_lists import InviteeRow, RowError
from eventhub.registration.models import (
    Invitation,
    InvitationStatus,
    InvitationToken,
    Registration,
    RegistrationStatus,
)
from eventhub.registration.questions import clean_answers, questions_for
from eventhub.registration.signals import registration_cancelled
from eventhub.tokens import hash_token, new_token
from eventhub.validation import clean_fields, normalize_email, optional_text, required_text, validate_language

MAX_NAME = 200
SQLITE_LOCK_WAIT_MS = 120_000


class Gone(DomainError):
    """The link was real but no longer works (revoked, expired, or its event was cancelled)."""

    status = 410
    code = "gone"


# ---------------------------------------------------------------------------------------------------------
# Tokens and locks
# ---------------------------------------------------------------------------------------------------------


def lock_event(event_id: int | sa.ScalarSelect[Any]) -> None:
    """Serialise everything that counts seats of one event until the transaction ends.

    PostgreSQL: ``SELECT ... FOR UPDATE`` on the event row. SQLite has no row locks; a write takes the database's
    write lock, so we write the row without changing it. On SQLite this must be the transaction's first
    statement: a transaction that has read cannot wait for the write lock (SQLite returns "database is locked"
    at once to avoid a deadlock), which is why the views call the ``lock_event_for_*`` functions first.
    """
    condition = Event.id == event_id if isinstance(event_id, int) else Event.id.in_(event_id)
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(Event.id).where(condition).with_for_update())
        return
    table = Event.__table__
    # Everyone registering for one event queues here, so wait longer than the connection's usual busy timeout
    # (a stampede of 200 took ~20 s on SQLite); a PRAGMA takes no lock, and the usual timeout is restored after.
    usual = db.session.execute(sa.text("PRAGMA busy_timeout")).scalar()
    db.session.execute(sa.text(f"PRAGMA busy_timeout = {SQLITE_LOCK_WAIT_MS}"))
    try:
        db.session.execute(sa.update(table).where(condition).values(sequence=table.c.sequence, updated_at=table.c.updated_at))
    finally:
        db.session.execute(sa.text(f"PRAGMA busy_timeout = {int(usual or 0)}"))


def lock_event_for_invitation_token(token: str) -> None:
    """``lock_event`` for the event a link token belongs to, before anything is read (unknown tokens lock nothing)."""
    lock_event(
        sa.select(Invitation.event_id)
        .join(InvitationToken, InvitationToken.invitation_id == Invitation.id)
        .where(InvitationToken.token_hash == hash_token(token))
        .scalar_subquery()
    )


def lock_event_for_manage_token(token: str) -> None:
    lock_event(sa.select(Registration.event_id).where(Registration.manage_token_hash == hash_token(token)).scalar_subquery())


# ---------------------------------------------------------------------------------------------------------
# Inviting
# ---------------------------------------------------------------------------------------------------------


@dataclass
class InviteResult:
    """What ``invite_people`` did, row by row: invitations created, addresses skipped and why, rows refused."""

    created: list[Invitation] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def invite_people(event: Event, rows: Iterable[InviteeRow], actor: User | None, now: datetime, parse_errors: Iterable[RowError] = ()) -> InviteResult:
    """Invite each row's person (created if new) and queue their invitation email.

    A bad row is reported with its line and reason and the others go on; an address invited before (or twice
    in the list, whatever its capitals) is skipped, so importing the same file again creates nothing.
    Raises Conflict when the event cannot take invitations (cancelled, registration closed).
    """
    _check_open(event, now)
    result = InviteResult(errors=[error.as_dict() for error in parse_errors])
    seen: set[str] = set()
    for row in rows:
        try:
            email, name, organisation, language = _clean_row(row)
        except ValidationFailed as exc:
            result.errors.append({"line": row.line, "email": row.email[:254], "reason": "; ".join(f"{k}: {v}" for k, v in exc.fields.items()) or exc.message})
            continue
        if email in seen or _invitation_of(event, email) is not None:
            reason = "listed twice" if email in seen else "already invited"
            result.skipped.append({"line": row.line, "email": email, "reason": reason})
            seen.add(email)
            continue
        seen.add(email)
        person = get_or_create_person(email, name or None, organisation or None, language or None)
        result.created.append(_create_invitation(event, person, actor, now))
    result.errors.sort(key=lambda error: error["line"])
    return result


def _clean_row(row: InviteeRow) -> tuple[str, str, str, str]:
    """The row's email, name, organisation and language ("" when not given); raises listing every bad column."""
    values = clean_fields({
        "email": lambda: normalize_email(row.email) if row.email.strip() else _missing("email"),
        "name": lambda: optional_text(row.name, "name", MAX_NAME) or "",
        "organisation": lambda: optional_text(row.organisation, "organisation", MAX_NAME) or "",
        "language": lambda: validate_language(row.language) if row.language.strip() else "",
    })
    return values["email"], values["name"], values["organisation"], values["language"]


def _missing(field_name: str) -> str:
    raise ValidationFailed(f"{field_name} is missing.", {field_name: "missing"})


def _invitation_of(event: Event, email: str) -> Invitation | None:
    return db.session.scalar(
        sa.select(Invitation).join(Person, Invitation.person_id == Person.id).where(Invitation.event_id == event.id, Person.email == email)
    )


def _create_invitation(event: Event, person: Person, actor: User | None, now: datetime) -> Invitation:
    invitation = Invitation(event=event, person=person, invited_by_id=actor.id if actor else None, last_sent_at=now, send_count=1)
    db.session.add(invitation)
    db.session.flush()
    token = _add_token(invitation, now)
    emails.queue_invitation(invitation, token, now)
    return invitation


def _add_token(invitation: Invitation, now: datetime) -> str:
    token, digest = new_token()
    db.session.add(InvitationToken(invitation_id=invitation.id, token_hash=digest, created_at=now))
    db.session.flush()
    return token


def _check_open(event: Event, now: datetime) -> None:
    if event.is_cancelled:
        raise Conflict("The event is cancelled.")
    if now >= (event.registration_closes_at or event.starts_at):
        raise Conflict("Registration for this event has closed.")


def resend_invitation(invitation: Invitation, now: datetime) -> Invitation:
    """Email the invitation again with a new link (earlier links keep working). Only unanswered ones."""
    if not invitation.can_resend(now):
        raise Conflict(f"This invitation is {invitation.status_at(now).value}; only pending invitations are resent.")
    invitation.send_count += 1
    invitation.last_sent_at = now
    emails.queue_invitation(invitation, _add_token(invitation, now), now)
    db.session.flush()
    return invitation


def revoke_invitation(invitation: Invitation, now: datetime) -> Invitation:
    """Make every link of the invitation stop working. A registered invitee's registration is cancelled instead."""
    if invitation.status == InvitationStatus.REVOKED:
        return invitation
    if not invitation.can_revoke(now):
        raise Conflict("The invitee has registered: cancel the registration instead.")
    invitation.status = InvitationStatus.REVOKED
    invitation.revoked_at = now
    db.session.flush()
    return invitation


def get_invitation(event: Event, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.event_id != event.id:
        raise NotFound(f"No invitation {invitation_id} for this event.")
    return invitation


def invitation_for_token(token: str, now: datetime) -> Invitation:
    """The invitation a link token opens. Raises NotFound for a token that never existed and Gone (410) for a
    revoked or expired one or a cancelled event; neither says anything about who was invited."""
    if not token or len(token) > 100:
        raise NotFound("This invitation link is not valid.")
    invitation = db.session.scalar(
        sa.select(Invitation)
        .join(InvitationToken, InvitationToken.invitation_id == Invitation.id)
        .where(InvitationToken.token_hash == hash_token(token))
        .execution_options(populate_existing=True)
    )
    if invitation is None:
        raise NotFound("This invitation link is not valid.")
    status = invitation.status_at(now)
    if status in (InvitationStatus.REVOKED, InvitationStatus.EXPIRED) or invitation.event.is_cancelled:
        raise Gone("This invitation link no longer works: the invitation was withdrawn or registration has closed.")
    return invitation


def list_invitations(event: Event, status: InvitationStatus | None, now: datetime) -> list[Invitation]:
    """The event's invitations by invitee name; ``status`` filters on the status as shown (expired included)."""
    query = sa.select(Invitation).join(Person, Invitation.person_id == Person.id).where(Invitation.event_id == event.id)
    query = query.options(joinedload(Invitation.person).joinedload(Person.organisation))  # the list shows both
    invitations = list(db.session.scalars(query.order_by(Person.name, Invitation.id)))
    return [i for i in invitations if status is None or i.status_at(now) == status]


def decline_invitation(invitation: Invitation, now: datetime) -> Invitation:
    """The invitee says no. Registered invitees cancel through their own link instead."""
    if invitation.status == InvitationStatus.REGISTERED:
        raise Conflict("You are registered; use the link in your confirmation email to cancel.")
    invitation.status = InvitationStatus.DECLINED
    invitation.responded_at = now
    db.session.flush()
    return invitation


# ---------------------------------------------------------------------------------------------------------
# Registering, the waiting list, cancelling
# ---------------------------------------------------------------------------------------------------------


@dataclass
class RegistrationOutcome:
    registration: Registration
    manage_token: str | None  # None when nothing new happened (a double submit)
    created: bool


def register_invitee(
    invitation: Invitation, name: str, organisation: str | None, raw_answers: dict[str, Any], now: datetime
) -> RegistrationOutcome:
    """Register the invitee: confirmed while seats are free, else on the waiting list in order of arrival.

    Submitting twice registers once: the second call finds the registration and changes nothing. Raises Gone
    once registration has closed, ValidationFailed for bad answers.
    """
    lock_event(invitation.event_id)
    db.session.refresh(invitation)
    event = invitation.event
    existing = _registration_of(event, invitation.person)
    if invitation.status == InvitationStatus.REGISTERED and existing and existing.status != RegistrationStatus.CANCELLED:
        return RegistrationOutcome(existing, None, False)
    if invitation.status_at(now) not in (InvitationStatus.PENDING, InvitationStatus.DECLINED) or event.is_cancelled:
        raise Gone("Registration has closed.")
    answers = clean_answers(questions_for(event), raw_answers)
    _update_person(invitation.person, name, organisation)
    registration = _take_seat(event, invitation.person, existing, now)
    registration.answers = answers
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
    values = clean_fields({
        "name": lambda: required_text(name, "name", MAX_NAME),
        "organisation": lambda: optional_text(organisation, "organisation", MAX_NAME),
    })
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
    position = None if seat_free else _next_waitlist_position(event)
    if registration is None:
        registration = Registration(event=event, person=person, answers={})
        db.session.add(registration)
    registration.cancelled_at = None
    if seat_free:
        registration.status, registration.confirmed_at, registration.waitlist_position = RegistrationStatus.CONFIRMED, now, None
    else:
        registration.status, registration.waitlist_position = RegistrationStatus.WAITLISTED, position
    db.session.flush()
    return registration


def confirmed_count(event: Event) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Registration).where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED
        )
    )


def _next_waitlist_position(event: Event) -> int:
    highest = db.session.scalar(sa.select(sa.func.max(Registration.waitlist_position)).where(Registration.event_id == event.id))
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
        raise NotFound("This link is not valid.")
    registration = db.session.scalar(
        sa.select(Registration).where(Registration.manage_token_hash == hash_token(token)).execution_options(populate_existing=True)
    )
    if registration is None:
        raise NotFound("This link is not valid.")
    return registration


def change_answers(registration: Registration, raw_answers: dict[str, Any], now: datetime) -> Registration:
    """Replace the answers (self-service) until registration closes."""
    if registration.status == RegistrationStatus.CANCELLED:
        raise Conflict("This registration is cancelled.")
    _check_open_for_changes(registration.event, now)
    registration.answers = clean_answers(questions_for(registration.event), raw_answers)
    registration.updated_at = now
    db.session.flush()
    return registration


def _check_open_for_changes(event: Event, now: datetime) -> None:
    if event.is_cancelled or now >= (event.registration_closes_at or event.starts_at):
        raise Gone("Registration has closed; please contact the organiser.")


def cancel_registration(registration: Registration, now: datetime) -> Registration:
    """Cancel the registration and tell the person (METHOD:CANCEL for a confirmed seat); sends
    ``registration_cancelled`` (reminders cancels the person's unsent reminders).

    A freed seat goes to the first on the waiting list. Cancelling twice is a no-op (the first time is kept).
    """
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    lock_event(registration.event_id)
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.waitlist_position = None
    _mark_invitation_declined(registration, now)
    db.session.flush()
    registration_cancelled.send(registration, now=now)
    emails.queue_cancellation(registration, was_confirmed, now)
    if was_confirmed:
        fill_free_seats(registration.event, now)
    return registration


def _mark_invitation_declined(registration: Registration, now: datetime) -> None:
    """A cancelled invitee may change their mind again through the invitation link while registration is open."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.event_id == registration.event_id, Invitation.person_id == registration.person_id)
    )
    if invitation is not None and invitation.status == InvitationStatus.REGISTERED:
        invitation.status, invitation.responded_at = InvitationStatus.DECLINED, now


def fill_free_seats(event: Event, now: datetime) -> list[Registration]:
    """Promote the first on the waiting list while seats are free, emailing each. The caller holds the lock."""
    promoted: list[Registration] = []
    if event.is_cancelled:
        return promoted
    free = None if event.capacity is None else event.capacity - confirmed_count(event)
    for registration in waiting_list(event):
        if free is not None and free <= 0:
            break
        registration.status, registration.waitlist_position, registration.confirmed_at = RegistrationStatus.CONFIRMED, None, now
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
        (Registration.status == RegistrationStatus.CONFIRMED, 0), (Registration.status == RegistrationStatus.WAITLISTED, 1), else_=2
    )
    query = sa.select(Registration).join(Person, Registration.person_id == Person.id).where(Registration.event_id == event.id)
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
