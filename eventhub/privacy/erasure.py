"""Erasing everything eventhub holds about an email address (the right to erasure, GDPR Art. 17). Keeps no copy.

Rows that organisers count stay, with a stand-in in the person's place (``privacy.stand_ins``): registrations
(upcoming ones cancelled first, so the seat goes to the waiting list and reminders are dropped), invitations and
attendance, each with one stand-in per event. Everything else that is the person's goes: answers, requests for an
invitation, memberships, comments, tokens and links of every kind, the account, every outbox row to the address
(queued ones never go out), the do-not-send entry, rate-limit counts, and finally the Person row. Published
minutes and other people's emails lose the person's name and address (``privacy.traces``); the audit log keeps
the actions and forgets who (``audit.log.forget_person``). The erasure itself is logged with counts only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from eventhub.accounts.models import ApiToken, Role, SignInLink, User
from eventhub.agenda.models import Agenda, AgendaItem
from eventhub.audit.log import forget_person, record
from eventhub.audit.models import AuditAction
from eventhub.calendar.models import FeedToken, FeedVersion
from eventhub.errors import Conflict
from eventhub.events.models import Event, Person, SeriesMembership
from eventhub.extensions import db
from eventhub.mail.models import ListUnsubscription, OutboxMessage, SuppressedAddress
from eventhub.minutes.models import ActionItem, Attendance, Minutes, MinutesComment, MinutesVersion, RoundTableEntry
from eventhub.privacy import holdings, traces
from eventhub.privacy.models import PrivacyLink
from eventhub.privacy.stand_ins import stand_in_for
from eventhub.ratelimit import RateLimitAttempt
from eventhub.registration.models import (
    Invitation,
    InvitationStatus,
    InvitationToken,
    Registration,
    RegistrationStatus,
)
from eventhub.registration.services import cancel_registration

# Names shorter than this are not looked for in the audit log's free text (a substring match: "Bo" is in "Board").
MIN_TRACE_LENGTH = 4


class LastAdminCannotBeErased(Conflict):
    """The address belongs to the only active administrator: nobody could manage accounts afterwards."""

    def __init__(self) -> None:
        super().__init__(
            "This address belongs to the last active administrator, who cannot be erased. Make another account an "
            "administrator first.",
            {"email": "the last active administrator cannot be erased"},
        )


@dataclass
class ErasureCounts:
    """What one erasure changed, by kind of row; all zero for an address eventhub does not know."""

    registrations_cancelled: int = 0
    registrations: int = 0
    invitations: int = 0
    invitation_requests: int = 0
    memberships: int = 0
    attendance: int = 0
    round_table: int = 0
    minutes_comments: int = 0
    published_minutes: int = 0
    action_items: int = 0
    agenda_items: int = 0
    emails_deleted: int = 0
    emails_redacted: int = 0
    personal_links: int = 0
    feed_tokens: int = 0
    api_tokens: int = 0
    accounts: int = 0
    do_not_send: int = 0
    rate_limit_records: int = 0
    audit_entries: int = 0
    people: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def erase_address(email: str, now: datetime, actor: User | None) -> ErasureCounts:
    """Erase what eventhub holds about ``email``; returns the counts. Raises LastAdminCannotBeErased before
    changing anything. ``actor``: the admin who asked, or None when the person did (through /privacy).
    Flushes, never commits: the caller commits the erasure as one unit of work."""
    counts = ErasureCounts()
    address = holdings.normalized_address(email)
    if address is None:
        return counts
    person = holdings.person_with_address(address)
    user = holdings.account_of(person)
    if user is not None:
        _refuse_last_admin(user)
    requests = holdings.requests_from(address)
    names = [name for name in {person.name if person else "", *(r.name for r in requests)} if name]
    event_ids = {request.event_id for request in requests}
    if person is not None:
        event_ids |= _erase_rows_of(person, now, counts)
    counts.invitation_requests = _delete_all(requests)
    counts.emails_deleted = _delete(OutboxMessage, holdings.emails_to(address, person))
    counts.emails_redacted = traces.redact_emails_to_others(address, person, names, event_ids)
    counts.do_not_send = _delete(SuppressedAddress, SuppressedAddress.email == address)
    counts.rate_limit_records = _delete(RateLimitAttempt, RateLimitAttempt.key == holdings.rate_limit_key(address))
    counts.personal_links += _delete(PrivacyLink, holdings.privacy_links_of(address))
    audit_traces = [address, *(name for name in names if len(name) >= MIN_TRACE_LENGTH)]
    counts.audit_entries = forget_person(person.id if person else 0, user.id if user else None, audit_traces)
    if user is not None:
        counts.api_tokens, counts.accounts = _delete_account(user)
    if person is not None:
        counts.people = _delete(Person, Person.id == person.id)
    acting = None if actor is not None and user is not None and actor.id == user.id else actor
    record(AuditAction.PERSON_ERASED, actor=acting, now=now, fields=_as_changes(counts))
    db.session.flush()
    return counts


def _as_changes(counts: ErasureCounts) -> dict[str, tuple[int, int]]:
    """Each non-zero count as ``[count, 0]``: that many of the person's rows before, none after."""
    return {name: (count, 0) for name, count in counts.as_dict().items() if count}


def _refuse_last_admin(user: User) -> None:
    """Raise when ``user`` is the only active admin; the admins' rows are locked as ``accounts.services`` does
    when demoting, so two admins erasing each other at once cannot both succeed."""
    if not (user.role == Role.ADMIN and user.active):
        return
    admins = sa.select(User.id).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)
    if len(db.session.scalars(admins.with_for_update()).all()) <= 1:
        raise LastAdminCannotBeErased()


def _erase_rows_of(person: Person, now: datetime, counts: ErasureCounts) -> set[int]:
    """Everything that points at ``person`` by id; returns the ids of the events involved."""
    stand_ins = StandIns(person, now)
    counts.registrations_cancelled, counts.registrations = _registrations(person, now, stand_ins, counts)
    counts.invitations = _invitations(person, now, stand_ins, counts)
    counts.attendance = _move(Attendance, Attendance.person_id, person, lambda row: stand_ins.at(row.event_id))
    minutes_ids = _minutes_of(person)
    counts.round_table = _move(
        RoundTableEntry, RoundTableEntry.person_id, person, lambda row: stand_ins.at(row.minutes.event_id)
    )
    counts.published_minutes = traces.forget_in_published_minutes(person, minutes_ids)
    counts.action_items = _unlink(ActionItem, ActionItem.owner_person_id, person)
    counts.agenda_items = _unlink(AgendaItem, AgendaItem.owner_person_id, person)
    _unlink(MinutesVersion, MinutesVersion.published_by_person_id, person)
    counts.minutes_comments = _delete(MinutesComment, MinutesComment.person_id == person.id)
    counts.memberships = _delete(SeriesMembership, SeriesMembership.person_id == person.id)
    _delete(ListUnsubscription, ListUnsubscription.person_id == person.id)
    counts.feed_tokens = _delete(FeedToken, FeedToken.person_id == person.id)
    _delete(FeedVersion, FeedVersion.feed_key == f"person:{person.id}")
    counts.personal_links += _delete(SignInLink, SignInLink.person_id == person.id)
    return stand_ins.event_ids | _events_of_minutes(minutes_ids)


class StandIns:
    """One stand-in per event for the person's rows there, so their registration, invitation and attendance at
    one event still belong together; made on first use, with the organisation only where the series keeps it."""

    def __init__(self, person: Person, now: datetime) -> None:
        self.person, self.now, self.by_event = person, now, {}

    def at(self, event_id: int) -> Person:
        if event_id not in self.by_event:
            event = db.session.get(Event, event_id)
            keep = bool(event is not None and event.series is not None and event.series.retention_keeps_organisations)
            self.by_event[event_id] = stand_in_for(self.person, self.now, keep_organisation=keep)
        return self.by_event[event_id]

    @property
    def event_ids(self) -> set[int]:
        return set(self.by_event)


def _registrations(person: Person, now: datetime, stand_ins: StandIns, counts: ErasureCounts) -> tuple[int, int]:
    """Cancel upcoming registrations through the registration rules (the seat goes to the waiting list, queued
    reminders are dropped), then hand every registration to a stand-in without answers or self-service link."""
    cancelled = 0
    query = sa.select(Registration).where(Registration.person_id == person.id).order_by(Registration.id)
    registrations = list(db.session.scalars(query))
    for registration in registrations:
        upcoming = registration.event.starts_at > now and not registration.event.is_cancelled
        if upcoming and registration.status != RegistrationStatus.CANCELLED:
            cancel_registration(registration, now)
            cancelled += 1
        counts.personal_links += registration.manage_token_hash is not None
        registration.person = stand_ins.at(registration.event_id)
        registration.answers, registration.manage_token_hash = {}, None
    db.session.flush()
    return cancelled, len(registrations)


def _invitations(person: Person, now: datetime, stand_ins: StandIns, counts: ErasureCounts) -> int:
    """Hand every invitation to the stand-in; its links stop working, and one still open counts as declined
    (no follow-up email is planned for it, and the organiser's counts say nobody is coming)."""
    invitations = list(db.session.scalars(sa.select(Invitation).where(Invitation.person_id == person.id)))
    for invitation in invitations:
        counts.personal_links += _delete(InvitationToken, InvitationToken.invitation_id == invitation.id)
        if invitation.status == InvitationStatus.PENDING and invitation.event.takes_registrations(now):
            invitation.status, invitation.responded_at = InvitationStatus.DECLINED, now
        invitation.person = stand_ins.at(invitation.event_id)
    db.session.flush()
    return len(invitations)


def _minutes_of(person: Person) -> set[int]:
    """The minutes whose generated parts may name the person: of meetings they attended, spoke at the round
    table of, or owned an action item or agenda item in."""
    attended = sa.select(Minutes.id).join(Attendance, Attendance.event_id == Minutes.event_id)
    queries = (
        attended.where(Attendance.person_id == person.id),
        sa.select(RoundTableEntry.minutes_id).where(RoundTableEntry.person_id == person.id),
        sa.select(ActionItem.minutes_id).where(ActionItem.owner_person_id == person.id),
        sa.select(Minutes.id)
        .join(Agenda, Agenda.event_id == Minutes.event_id)
        .join(AgendaItem, AgendaItem.agenda_id == Agenda.id)
        .where(AgendaItem.owner_person_id == person.id),
    )
    return {minutes_id for query in queries for minutes_id in db.session.scalars(query)}


def _events_of_minutes(minutes_ids: set[int]) -> set[int]:
    return set(db.session.scalars(sa.select(Minutes.event_id).where(Minutes.id.in_(list(minutes_ids)))))


def _move(model: type, column: Any, person: Person, stand_in: Any) -> int:
    rows = list(db.session.scalars(sa.select(model).where(column == person.id)))
    for row in rows:
        setattr(row, column.key, stand_in(row).id)
    db.session.flush()
    return len(rows)


def _unlink(model: type, column: Any, person: Person) -> int:
    result = db.session.execute(
        sa.update(model).where(column == person.id).values({column.key: None}),
        execution_options={"synchronize_session": "fetch"},
    )
    return result.rowcount or 0


def _delete(model: type, condition: sa.ColumnElement[bool]) -> int:
    result = db.session.execute(sa.delete(model).where(condition), execution_options={"synchronize_session": "fetch"})
    return result.rowcount or 0


def _delete_all(rows: list[Any]) -> int:
    for row in rows:
        db.session.delete(row)
    db.session.flush()
    return len(rows)


def _delete_account(user: User) -> tuple[int, int]:
    """Delete the account and its API tokens; returns (tokens, 1). Rows naming it as the organiser who acted keep
    the action and lose the link (their foreign keys are ON DELETE SET NULL)."""
    tokens = _delete(ApiToken, ApiToken.user_id == user.id)
    db.session.expire(user, ["api_tokens"])
    db.session.delete(user)
    db.session.flush()
    return tokens, 1
