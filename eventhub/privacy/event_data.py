"""The steps of anonymising one event (``privacy.retention.anonymise_event`` runs them in order): who is to be
replaced, and the event's rows that go or lose their content. Each returns how many rows it changed, so a dry run
can say what a real run would do. Flush only, never commit.
"""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa

from eventhub.events.models import Event, Person, SeriesMembership
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage, OutboxStatus
from eventhub.mail.retention import REDACTED
from eventhub.minutes.models import Attendance, Minutes, MinutesComment
from eventhub.privacy.replacement import chunks, delete_emails_to
from eventhub.privacy.stand_ins import STAND_IN_DOMAIN, not_a_stand_in
from eventhub.registration.models import Invitation, InvitationRequest, InvitationToken, Registration

# The organisers' digest lists each new request with the requester's name and address.
DIGEST_KIND = "request_digest"
DIGEST_CANCELLED = "cancelled: the requests it lists were anonymised (retention)"


def member_ids(event: Event) -> set[int]:
    """The people who belong to the event's series (any role): their membership and attendance stay theirs."""
    if event.series_id is None:
        return set()
    query = sa.select(SeriesMembership.person_id).where(SeriesMembership.series_id == event.series_id)
    return set(db.session.scalars(query))


def people_to_replace(event: Event) -> dict[int, Person]:
    """Everyone registered or invited, and every attendee who is not a member, that is no stand-in yet, by id."""
    members = sa.select(SeriesMembership.person_id).where(SeriesMembership.series_id == event.series_id)
    attendees = sa.select(Attendance.person_id).where(
        Attendance.event_id == event.id, Attendance.person_id.not_in(members)
    )
    taking_part = sa.union(
        sa.select(Registration.person_id).where(Registration.event_id == event.id),
        sa.select(Invitation.person_id).where(Invitation.event_id == event.id),
        attendees,
    )
    query = sa.select(Person).where(Person.id.in_(taking_part), not_a_stand_in())
    return {person.id: person for person in db.session.scalars(query)}


def pending_requests(event: Event) -> list[InvitationRequest]:
    """The event's requests for an invitation that still hold a requester's details."""
    query = sa.select(InvitationRequest).where(
        InvitationRequest.event_id == event.id, InvitationRequest.email.not_like(f"%@{STAND_IN_DOMAIN}")
    )
    return list(db.session.scalars(query))


def requester_ids(requests: list[InvitationRequest]) -> set[int]:
    """The people with a requester's address (declining a request writes to them as a person): deleted with
    the request's details unless something else holds them."""
    emails = [request.email for request in requests]
    found: set[int] = set()
    for batch in chunks(emails):
        found.update(db.session.scalars(sa.select(Person.id).where(Person.email.in_(batch), not_a_stand_in())))
    return found


def addresses_left_with_nothing(event: Event, requests: list[InvitationRequest]) -> list[str]:
    """The requesters' addresses that nothing else holds: no person has them and they asked for an invitation to
    no other event. Their rate-limit counters, privacy links and emails go with the request; an address still
    known elsewhere keeps them until that goes too."""
    emails = sorted({request.email for request in requests})
    known: set[str] = set()
    for batch in chunks(emails):
        known.update(db.session.scalars(sa.select(Person.email).where(Person.email.in_(batch))))
        elsewhere = sa.select(InvitationRequest.email).where(
            InvitationRequest.email.in_(batch), InvitationRequest.event_id != event.id
        )
        known.update(db.session.scalars(elsewhere))
    return [email for email in emails if email not in known]


def delete_event_emails(event: Event, people: dict[int, Person], requests: list[InvitationRequest]) -> int:
    """Delete the event's outbox rows to these people and requesters, queued (so they are never sent) and sent."""
    table = OutboxMessage.__table__
    deleted = 0
    for batch in chunks(people):
        statement = sa.delete(table).where(table.c.event_id == event.id, table.c.person_id.in_(batch))
        deleted += db.session.execute(statement).rowcount or 0
    addresses = {person.email for person in people.values()} | {request.email for request in requests}
    return deleted + delete_emails_to(sorted(addresses), event.id)


def redact_digests(requests: list[InvitationRequest], now: datetime) -> int:
    """Blank the bodies of organisers' digests that list one of these requesters (they have no event of their
    own: one digest may cover several events); one still queued is cancelled rather than sent blank. Returns how
    many."""
    table = OutboxMessage.__table__
    redacted = 0
    for request in requests:
        listing = sa.and_(table.c.kind == DIGEST_KIND, sa.func.lower(table.c.body_text).like(f"%{request.email}%"))
        db.session.execute(
            sa.update(table)
            .where(listing, table.c.status == OutboxStatus.QUEUED)
            .values(status=OutboxStatus.CANCELLED, last_error=DIGEST_CANCELLED, updated_at=now)
        )
        redacted += (
            db.session.execute(sa.update(table).where(listing).values(body_text=REDACTED, body_html=REDACTED)).rowcount
            or 0
        )
    return redacted


def revoke_tokens(event: Event) -> int:
    """Make every invitation link and self-service link of the event stop working (their hashes go)."""
    invitations = sa.select(Invitation.id).where(Invitation.event_id == event.id)
    links = db.session.execute(
        sa.delete(InvitationToken.__table__).where(InvitationToken.invitation_id.in_(invitations))
    )
    table = Registration.__table__
    manage = db.session.execute(
        sa.update(table)
        .where(table.c.event_id == event.id, table.c.manage_token_hash.is_not(None))
        .values(manage_token_hash=None)
    )
    return (links.rowcount or 0) + (manage.rowcount or 0)


def clear_answers(event: Event) -> int:
    """Empty every registration's answers. Returns how many registrations had any."""
    table = Registration.__table__
    rows = db.session.execute(sa.select(table.c.id, table.c.answers).where(table.c.event_id == event.id))
    answered = [row_id for row_id, answers in rows if answers]
    for batch in chunks(answered):
        db.session.execute(sa.update(table).where(table.c.id.in_(batch)).values(answers={}))
    return len(answered)


def delete_comments(event: Event, members: set[int]) -> tuple[int, set[int]]:
    """Delete the comments non-members made on the minutes' draft (they served the secretary before
    publication; the published minutes are what stays). Returns how many, and who wrote them."""
    table = MinutesComment.__table__
    minutes = sa.select(Minutes.id).where(Minutes.event_id == event.id)
    rows = db.session.execute(sa.select(table.c.id, table.c.person_id).where(table.c.minutes_id.in_(minutes)))
    doomed = {row_id: person_id for row_id, person_id in rows if person_id not in members}
    for batch in chunks(doomed):
        db.session.execute(sa.delete(table).where(table.c.id.in_(batch)))
    return len(doomed), set(doomed.values())


def anonymise_requests(requests: list[InvitationRequest], keep_organisation: bool) -> int:
    """Blank each request's name, message and case; its address becomes one that can never receive mail; its
    organisation stays only where the series keeps organisations. Its status and dates stay (they are counts)."""
    for request in requests:
        request.name, request.message, request.case_description = "", "", ""
        request.email = f"anonymised-{secrets.token_hex(10)}@{STAND_IN_DOMAIN}"
        if not keep_organisation:
            request.organisation = ""
    return len(requests)
