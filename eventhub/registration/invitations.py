"""Invitations: the event lock that serialises seat counting, inviting people, resending, revoking, declining,
and the link tokens that open an invitation.

Registering on an invitation, the waiting list and cancelling are in ``eventhub.registration.services``.
Functions flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from eventhub.accounts.models import User
from eventhub.audit import log as audit
from eventhub.audit.models import AuditAction
from eventhub.db import insert_skipping_duplicates
from eventhub.errors import Conflict, DomainError, NotFound
from eventhub.events.models import Event, Person
from eventhub.events.people import (
    IN_LIST_CHUNK,
    LanguageFallback,
    NewPerson,
    get_or_create_people,
    language_fallbacks,
    sort_listed_rows,
)
from eventhub.extensions import db
from eventhub.mail.services import EmailToQueue, queue_emails
from eventhub.registration import emails
from eventhub.registration.invitee_lists import InviteeRow, RowError
from eventhub.registration.models import Invitation, InvitationStatus, InvitationToken, Registration
from eventhub.texts import lazy_text as _l
from eventhub.tokens import hash_token, new_token

ALREADY_INVITED = _l("already invited")
# Why an invitation is not sent again, by its status (pending ones are).
_NOT_RESENT = {
    InvitationStatus.REGISTERED: _l("This invitation is answered: the invitee has registered."),
    InvitationStatus.DECLINED: _l("This invitation is answered: the invitee declined."),
    InvitationStatus.REVOKED: _l("This invitation was withdrawn; only pending invitations are resent."),
    InvitationStatus.EXPIRED: _l("This invitation has expired; only pending invitations are resent."),
}
MAX_NAME = 200
SQLITE_LOCK_WAIT_MS = 120_000


class Gone(DomainError):
    """The link was real but no longer works (revoked, expired, or its event was cancelled). ``reason``
    (``withdrawn``, ``closed``, ``cancelled``) picks the translated sentence of the 410 page; ``invitation`` (when
    the link was an invitation's) lets the page speak its invitee's language."""

    status = 410
    code = "gone"

    def __init__(
        self,
        message: Any,
        fields: dict[str, Any] | None = None,
        reason: str | None = None,
        invitation: Invitation | None = None,
    ):
        super().__init__(message, fields)
        self.reason = reason
        self.invitation = invitation


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
        db.session.execute(
            sa.update(table).where(condition).values(sequence=table.c.sequence, updated_at=table.c.updated_at)
        )
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
    lock_event(
        sa.select(Registration.event_id).where(Registration.manage_token_hash == hash_token(token)).scalar_subquery()
    )


# ---------------------------------------------------------------------------------------------------------
# Inviting
# ---------------------------------------------------------------------------------------------------------


@dataclass
class InviteResult:
    """What ``invite_people`` did, row by row: invitations created, addresses skipped and why, rows refused, and
    a warning for each invitee whose language eventhub does not speak (``people.LanguageFallback``)."""

    created: list[Invitation] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[LanguageFallback] = field(default_factory=list)


def invite_people(
    event: Event, rows: Iterable[InviteeRow], actor: User | None, now: datetime, parse_errors: Iterable[RowError] = ()
) -> InviteResult:
    """Invite each row's person (created if new) and queue their invitation email.

    A bad row is reported with its line and reason and the others go on; an address invited before (or twice
    in the list, whatever its capitals) is skipped, so importing the same file again creates nothing. A language
    eventhub does not speak is accepted and warned about: that invitee reads the event's language (the rule).
    Raises Conflict when the event cannot take invitations (cancelled, registration closed). The audit log gets
    one entry for the list (how many, and the invited people's ids) or, for one person, an entry about them.

    A list of 5,000 takes a few statements, not a few per row: the rows are checked in Python, then who is known
    and who is invited already are read with IN queries, and people, invitations, link tokens and emails are
    written with multi-row INSERTs (``_write_invitations``).
    """
    _check_open(event, now)
    result = InviteResult(errors=[error.as_dict() for error in parse_errors])
    rows_sorted = sort_listed_rows(rows, lambda emails: _invited_emails(event, emails), ALREADY_INVITED)
    result.errors.extend(rows_sorted.errors)
    result.skipped.extend(rows_sorted.skipped)
    to_invite = rows_sorted.new
    if to_invite:
        result.created, raced = _write_invitations(event, to_invite, actor, now)
        result.skipped.extend({"line": line, "email": email, "reason": ALREADY_INVITED} for line, email in raced)
        result.skipped.sort(key=lambda skipped: skipped["line"])
        lines = {entry.email: line for line, entry in to_invite}
        result.warnings = language_fallbacks(((lines[i.person.email], i.person) for i in result.created), event)
        invited = [invitation.person for invitation in result.created]
        audit.record_people(AuditAction.INVITATIONS_SENT, invited, actor=actor, now=now, event=event)
    result.errors.sort(key=lambda error: error["line"])
    return result


def _invited_emails(event: Event, emails: list[str]) -> set[str]:
    """Which of ``emails`` have an invitation to ``event`` already (one IN query per 5,000)."""
    invited: set[str] = set()
    for start in range(0, len(emails), IN_LIST_CHUNK):
        query = (
            sa.select(Person.email)
            .join(Invitation, Invitation.person_id == Person.id)
            .where(Invitation.event_id == event.id, Person.email.in_(emails[start : start + IN_LIST_CHUNK]))
        )
        invited.update(db.session.scalars(query))
    return invited


def _write_invitations(
    event: Event, entries: list[tuple[int, NewPerson]], actor: User | None, now: datetime
) -> tuple[list[Invitation], list[tuple[int, str]]]:
    """Create the people, invitations, link tokens and invitation emails of ``entries`` (addresses not yet
    invited, each once). Returns the invitations in the rows' order, and the (line, email) of rows that another
    import invited in the meantime (the unique constraint turned them away; they are skipped, not failed)."""
    person_ids = get_or_create_people([entry for _, entry in entries], now)
    rows = [
        {"event_id": event.id, "person_id": person_ids[entry.email], "invited_by_id": actor.id if actor else None,
         "status": InvitationStatus.PENDING, "last_sent_at": now, "send_count": 1, "created_at": now, "updated_at": now}
        for _, entry in entries
    ]  # fmt: skip
    statement = insert_skipping_duplicates(Invitation.__table__, db.session).returning(Invitation.__table__.c.id)
    ids = [invitation_id for page in _pages(rows) for invitation_id in db.session.scalars(statement, page)]
    invitations = _load_invitations(ids)
    by_person = {invitation.person_id: invitation for invitation in invitations}
    created = [by_person[person_ids[entry.email]] for _, entry in entries if person_ids[entry.email] in by_person]
    raced = [(line, entry.email) for line, entry in entries if person_ids[entry.email] not in by_person]
    _send_invitations(event, created, now)
    return created, raced


def _load_invitations(ids: list[int]) -> list[Invitation]:
    """The new invitations with their people and organisations, in one query. ``populate_existing``: a person
    already in the session may just have had their organisation filled in by an UPDATE the session did not see."""
    query = (
        sa.select(Invitation)
        .options(joinedload(Invitation.person).joinedload(Person.organisation))
        .execution_options(populate_existing=True)
    )
    invitations: list[Invitation] = []
    for start in range(0, len(ids), IN_LIST_CHUNK):
        invitations.extend(db.session.scalars(query.where(Invitation.id.in_(ids[start : start + IN_LIST_CHUNK]))))
    return invitations


def _send_invitations(event: Event, invitations: list[Invitation], now: datetime) -> None:
    """A first link token for each new invitation (only its hash stored) and its email in the outbox."""
    tokens = [new_token() for _ in invitations]
    token_rows = [
        {"invitation_id": invitation.id, "token_hash": digest, "created_at": now}
        for invitation, (_, digest) in zip(invitations, tokens, strict=True)
    ]
    for page in _pages(token_rows):
        db.session.execute(sa.insert(InvitationToken.__table__), page)
    people_and_tokens = [(i.person, token) for i, (token, _) in zip(invitations, tokens, strict=True)]
    rendered = emails.render_invitations(event, people_and_tokens)
    queued = [
        EmailToQueue(f"invitation:{i.id}:{i.send_count}", i.person, email)
        for i, email in zip(invitations, rendered, strict=True)
    ]
    queue_emails("invitation", queued, now, event)


def _pages(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), IN_LIST_CHUNK):
        yield rows[start : start + IN_LIST_CHUNK]


def _add_token(invitation: Invitation, now: datetime) -> str:
    token, digest = new_token()
    db.session.add(InvitationToken(invitation_id=invitation.id, token_hash=digest, created_at=now))
    db.session.flush()
    return token


def _check_open(event: Event, now: datetime) -> None:
    if event.is_cancelled:
        raise Conflict(_l("The event is cancelled."))
    if not event.takes_registrations(now):
        raise Conflict(_l("Registration for this event has closed."))


def resend_invitation(invitation: Invitation, now: datetime, actor: User | None = None) -> Invitation:
    """Email the invitation again with a new link (earlier links keep working). Only unanswered ones. Recorded in
    the audit log for ``actor``."""
    if not invitation.can_resend(now):
        raise Conflict(_NOT_RESENT.get(invitation.status_at(now), _l("Only pending invitations are resent.")))
    invitation.send_count += 1
    invitation.last_sent_at = now
    emails.queue_invitation(invitation, _add_token(invitation, now), now)
    db.session.flush()
    sent = (invitation.send_count - 1, invitation.send_count)
    _audit(AuditAction.INVITATION_RESENT, invitation, actor, now, send_count=sent)
    return invitation


def revoke_invitation(invitation: Invitation, now: datetime, actor: User | None = None) -> Invitation:
    """Make every link of the invitation stop working. A registered invitee's registration is cancelled instead.
    Recorded in the audit log for ``actor`` (revoking twice records once)."""
    if invitation.status == InvitationStatus.REVOKED:
        return invitation
    if not invitation.can_revoke(now):
        raise Conflict(_l("The invitee has registered: cancel the registration instead."))
    status_before = invitation.status_at(now)
    invitation.status = InvitationStatus.REVOKED
    invitation.revoked_at = now
    db.session.flush()
    _audit(AuditAction.INVITATION_REVOKED, invitation, actor, now, status=(status_before, invitation.status))
    return invitation


def _audit(action: AuditAction, invitation: Invitation, actor: User | None, now: datetime, **fields: Any) -> None:
    person = invitation.person
    audit.record(
        action, actor=actor, now=now, event=invitation.event, person=person, subject=audit.person_subject(person),
        fields=fields,
    )  # fmt: skip


def get_invitation(event: Event, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.event_id != event.id:
        raise NotFound(_l("No invitation %(id)d for this event.", id=invitation_id))
    return invitation


def invitation_for_token(token: str, now: datetime) -> Invitation:
    """The invitation a link token opens. Raises NotFound for a token that never existed and Gone (410) for a
    revoked or expired one or a cancelled event; neither says anything about who was invited."""
    if not token or len(token) > 100:
        raise NotFound(_l("This invitation link is not valid."))
    invitation = db.session.scalar(
        sa.select(Invitation)
        .join(InvitationToken, InvitationToken.invitation_id == Invitation.id)
        .where(InvitationToken.token_hash == hash_token(token))
        .execution_options(populate_existing=True)
    )
    if invitation is None:
        raise NotFound(_l("This invitation link is not valid."))
    status = invitation.status_at(now)
    if status == InvitationStatus.REVOKED:
        raise Gone(_l("This invitation was withdrawn by the organiser."), reason="withdrawn", invitation=invitation)
    if invitation.event.is_cancelled:
        raise Gone(_l("This event was cancelled."), reason="cancelled", invitation=invitation)
    if status == InvitationStatus.EXPIRED:
        raise Gone(_l("Registration for this event has closed."), reason="closed", invitation=invitation)
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
        raise Conflict(_l("You are registered; use the link in your confirmation email to cancel."))
    invitation.status = InvitationStatus.DECLINED
    invitation.responded_at = now
    db.session.flush()
    return invitation
