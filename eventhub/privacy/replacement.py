"""Putting stand-ins in people's places in one event's rows, and deleting people who are left with nothing.

Retention (``privacy.retention``: one event, everyone) uses both; erasure (one person, everywhere) can use them
too: ``replace_in_event`` for each event the person appears in, then ``holding_nothing`` and ``delete_people``.
Nothing here commits, and nothing keeps a copy of what it replaced.

The statements are Core ones on the tables (one executemany per table, IN lists cut into chunks), because an
event may have 5,000 registrations: loaded ORM objects of these rows are stale afterwards (expire them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import sqlalchemy as sa

from eventhub import ratelimit
from eventhub.accounts.models import User
from eventhub.agenda.models import AgendaItem
from eventhub.events.models import Person, SeriesMembership
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage, SuppressedAddress
from eventhub.minutes.models import ActionItem, Attendance, MinutesComment, MinutesVersion, RoundTableEntry
from eventhub.privacy.models import PrivacyLink
from eventhub.registration.models import Invitation, Registration

# Tables whose rows say "this person took part in this event" and keep existing with a stand-in in their place.
EVENT_ROWS: tuple[sa.Table, ...] = (Registration.__table__, Invitation.__table__, Attendance.__table__)

# What keeps a person: a row saying they belong to, take part in or wrote something. Emails sent to them, their
# feed link, sign-in links, list unsubscriptions and rate-limit counters are traces, not holdings: they go
# with the person.
HOLDINGS: tuple[sa.Column, ...] = (
    Registration.__table__.c.person_id,
    Invitation.__table__.c.person_id,
    Attendance.__table__.c.person_id,
    SeriesMembership.__table__.c.person_id,
    User.__table__.c.person_id,
    RoundTableEntry.__table__.c.person_id,
    ActionItem.__table__.c.owner_person_id,
    AgendaItem.__table__.c.owner_person_id,
    MinutesVersion.__table__.c.published_by_person_id,
    MinutesComment.__table__.c.person_id,
)
CHUNK = 1000


def chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    """``values`` in lists of at most ``size``: IN lists stay far below every driver's parameter limit."""
    batch: list = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def replace_in_event(table: sa.Table, event_id: int, replacements: dict[int, int]) -> int:
    """In ``table``'s rows of the event (one of ``EVENT_ROWS``), put ``replacements[person_id]`` (a stand-in's
    id) in place of each person it names. Returns how many rows changed."""
    rows = db.session.execute(sa.select(table.c.id, table.c.person_id).where(table.c.event_id == event_id))
    params = [{"row_id": row_id, "stand_in_id": replacements[person_id]} for row_id, person_id in rows
              if person_id in replacements]  # fmt: skip
    if params:
        statement = sa.update(table).where(table.c.id == sa.bindparam("row_id"))
        db.session.execute(statement.values(person_id=sa.bindparam("stand_in_id")), params)
    return len(params)


def holding_nothing(person_ids: Iterable[int]) -> set[int]:
    """Which of ``person_ids`` hold nothing any more (no ``HOLDINGS`` row names them): nothing is left to keep
    their name and address for."""
    wanted = set(person_ids)
    held: set[int] = set()
    for column in HOLDINGS:
        for batch in chunks(wanted):
            held.update(db.session.scalars(sa.select(column).where(column.in_(batch)).distinct()))
    return wanted - held


def delete_people(people: list[Person]) -> int:
    """Delete ``people`` (who hold nothing: see ``holding_nothing``) with their traces outside the audit log:
    every email to them, their address on the do-not-send list, rate-limit counters keyed by it and links of the
    privacy page made for it. The database
    deletes their feed link, sign-in links and list unsubscriptions with them (ON DELETE CASCADE). Forget them
    in the audit log first (``audit.log.forget_person`` / ``forget_people_in``): their entries lose the link
    to them here. Returns how many were deleted."""
    ids, emails = [person.id for person in people], [person.email for person in people]
    for batch in chunks(ids):
        db.session.execute(sa.delete(OutboxMessage.__table__).where(OutboxMessage.__table__.c.person_id.in_(batch)))
    for batch in chunks(emails):
        delete_emails_to(batch)
        db.session.execute(sa.delete(SuppressedAddress.__table__).where(SuppressedAddress.__table__.c.email.in_(batch)))
        forget_address_traces(batch)
    deleted = 0
    for batch in chunks(ids):
        result = db.session.execute(
            sa.delete(Person).where(Person.id.in_(batch)), execution_options={"synchronize_session": "fetch"}
        )
        deleted += result.rowcount or 0
    return deleted


def delete_emails_to(emails: list[str], event_id: int | None = None) -> int:
    """Delete outbox rows (queued, sent, failed: all of them) to these addresses, of ``event_id`` if given.
    A queued one is thereby never sent. Returns how many."""
    table = OutboxMessage.__table__
    deleted = 0
    for batch in chunks(emails):
        statement = sa.delete(table).where(table.c.recipient_email.in_(batch))
        if event_id is not None:
            statement = statement.where(table.c.event_id == event_id)
        deleted += db.session.execute(statement).rowcount or 0
    return deleted


def forget_address_traces(emails: list[str]) -> int:
    """Delete what holds these addresses without a person: rate-limit counters keyed by them (requests for an
    invitation, sign-in links) and links of the privacy page made for them. Returns how many rows went."""
    keys = [ratelimit.limit_key("email", email) for email in emails]
    attempts, links = ratelimit.RateLimitAttempt.__table__, PrivacyLink.__table__
    deleted = sum(
        db.session.execute(sa.delete(attempts).where(attempts.c.key.in_(b))).rowcount or 0 for b in chunks(keys)
    )
    return deleted + sum(
        db.session.execute(sa.delete(links).where(links.c.email.in_(batch))).rowcount or 0 for batch in chunks(emails)
    )
