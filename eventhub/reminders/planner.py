"""The reminder planner: each minute, turn the reminders whose moment has come into outbox rows.

Scheduled work lives in rows: nothing is scheduled ahead. A reminder is due when ``starts_at - offset <= now``
and the event has not started; its outbox row is named by the dedup key
``reminder:<registration id>:<offset minutes>:<start as UTC epoch seconds>``, unique in the database, so a tick
run twice (or by two workers at once) queues nothing twice, and moving an event (a new start) plans afresh.

**Only the latest due reminder is sent.** When several reminders of one registration are due at once (the
worker was down for eight days, or someone registered the day before), only the one closest to the start is
queued; each other due one gets a *cancelled* outbox row under its own key, with ``last_error`` saying why.
That row is the record: its key exists, so no later tick can send it (even if the organiser edits the offsets
afterwards), and whoever asks "why did I not get the 7-day reminder?" finds the answer in the outbox.

The cost of a tick does not depend on the number of registrations: one query for candidate events, one for
their confirmed registrations and people, one for the reminder keys that exist, and one batched insert.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from markupsafe import escape
from sqlalchemy.dialects import postgresql, sqlite

from eventhub.db import utcnow
from eventhub.events.models import Event, EventStatus, Person, Series
from eventhub.events.reminder_offsets import MAX_OFFSET_MINUTES, resolve_offsets
from eventhub.extensions import db
from eventhub.i18n import reader_language
from eventhub.mail.models import OutboxMessage, OutboxStatus
from eventhub.mail.services import new_message_id
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.reminders.emails import (
    UNSUBSCRIBE_SLOT,
    ReminderStencil,
    fill_in_sql,
    reminder_headers,
    reminder_stencil,
    unsubscribe_link_maker,
)
from eventhub.reminders.services import REMINDER_KIND

SKIPPED = "skipped: a reminder closer to the start was due at the same time"


@dataclass(frozen=True)
class DueEvent:
    """A candidate event and its reminder offsets that are due now, smallest (closest to the start) first."""

    event: Event
    due_offsets: tuple[int, ...]


def run_planner(now: datetime) -> int:
    """Queue every reminder due at ``now``; returns how many were queued. Flushes, never commits.

    Safe to run twice and concurrently: existing keys are skipped, and the insert ignores a key that another
    planner inserted in the meantime.
    """
    due_events = _due_events(now)
    if not due_events:
        return 0
    recipients = _confirmed_recipients(list(due_events))
    existing = _existing_keys(list(due_events))
    queued, skipped = _plan(due_events, recipients, existing, now)
    if skipped:
        db.session.execute(_insert_statement(), skipped)
    return _queue(queued, now)


def reminder_key(registration_id: int, offset: int, starts_at: datetime) -> str:
    """The dedup key of one reminder; the start is part of it so that moving an event re-plans its reminders."""
    return f"reminder:{registration_id}:{offset}:{int(starts_at.timestamp())}"


def _due_events(now: datetime) -> dict[int, DueEvent]:
    """Scheduled events that have not started, within the largest allowed offset, with a reminder due now."""
    query = (
        sa.select(Event, Series.reminder_offsets)
        .outerjoin(Series, Event.series_id == Series.id)
        .where(
            Event.status == EventStatus.SCHEDULED,
            Event.starts_at > now,
            Event.starts_at <= now + timedelta(minutes=MAX_OFFSET_MINUTES),
        )
    )
    due: dict[int, DueEvent] = {}
    for event, series_offsets in db.session.execute(query):
        offsets = sorted(
            o
            for o in resolve_offsets(event.reminder_offsets, series_offsets)
            if event.starts_at - timedelta(minutes=o) <= now
        )
        if offsets:
            due[event.id] = DueEvent(event, tuple(offsets))
    return due


class Recipient(NamedTuple):
    """A confirmed registration and what the email needs of its person (plain columns: cheaper than entities)."""

    registration_id: int
    event_id: int
    person_id: int
    name: str
    email: str
    language: str


def _confirmed_recipients(event_ids: list[int]) -> list[Recipient]:
    """Every confirmed registration of these events whose person wants reminders and is not an anonymised
    person's stand-in (whose address can never receive mail)."""
    query = (
        sa.select(Registration.id, Registration.event_id, Person.id, Person.name, Person.email, Person.language)
        .join(Person, Registration.person_id == Person.id)
        .where(
            Registration.event_id.in_(event_ids),
            Registration.status == RegistrationStatus.CONFIRMED,
            Person.reminders_enabled.is_(True),
            Person.anonymised_at.is_(None),
        )
        .order_by(Registration.id)
    )
    # On the session's connection, not through the ORM: plain rows, without the ORM's per-row work (10,000 here).
    return [Recipient(*row) for row in db.session.connection().execute(query).all()]


def _existing_keys(event_ids: list[int]) -> set[str]:
    query = sa.select(OutboxMessage.dedup_key).where(
        OutboxMessage.kind == REMINDER_KIND, OutboxMessage.event_id.in_(event_ids)
    )
    return set(db.session.scalars(query))


class PlannedReminder(NamedTuple):
    """A reminder to queue: its key, event and reader, and what its email is made of (the stencil, the link)."""

    key: str
    event: Event
    recipient: Recipient
    stencil: ReminderStencil
    unsubscribe: str
    message_id: str


def _plan(
    due_events: dict[int, DueEvent], recipients: list[Recipient], existing: set[str], now: datetime
) -> tuple[list[PlannedReminder], list[dict[str, Any]]]:
    """The reminders to queue (each registration's latest due one not queued yet), and the cancelled rows (the
    record of the skip) for each earlier due one that has no row."""
    renderer = _ReminderRenderer()
    queued: list[PlannedReminder] = []
    skipped: list[dict[str, Any]] = []
    for recipient in recipients:
        due = due_events[recipient.event_id]
        latest, *earlier = due.due_offsets
        key = reminder_key(recipient.registration_id, latest, due.event.starts_at)
        if key not in existing:
            queued.append(renderer.plan(key, due.event, recipient))
        for offset in earlier:
            key = reminder_key(recipient.registration_id, offset, due.event.starts_at)
            if key not in existing:
                skipped.append(_skipped_row(key, due.event, recipient, renderer.message_id(), now))
    return queued, skipped


class _ReminderRenderer:
    """Renders each event's reminder once per language (a stencil) for its readers to be filled in."""

    def __init__(self) -> None:
        self._stencils: dict[tuple[int, str], ReminderStencil] = {}
        self._unsubscribe_link = unsubscribe_link_maker()
        self.message_id = _message_id_maker()

    def plan(self, key: str, event: Event, recipient: Recipient) -> PlannedReminder:
        """The reminder for ``recipient``: the stencil of the reader's language, their unsubscribe link."""
        language = reader_language(recipient, event)
        if (event.id, language) not in self._stencils:
            self._stencils[event.id, language] = reminder_stencil(event, language)
        unsubscribe = self._unsubscribe_link(recipient.person_id)
        return PlannedReminder(
            key, event, recipient, self._stencils[event.id, language], unsubscribe, self.message_id()
        )


def _queued_row(planned: PlannedReminder, now: datetime) -> dict[str, Any]:
    email = planned.stencil.fill(planned.recipient.name, planned.unsubscribe)
    row = _base_row(planned.key, planned.event, planned.recipient, planned.message_id, now)
    row.update(
        subject=email.subject,
        body_text=email.text,
        body_html=email.html,
        language=email.language,  # the one it is written in (reader_language), not the reader's raw code
        headers=reminder_headers(planned.unsubscribe),
        status=OutboxStatus.QUEUED,
    )
    return row


def _skipped_row(key: str, event: Event, recipient: Recipient, message_id: str, now: datetime) -> dict[str, Any]:
    row = _base_row(key, event, recipient, message_id, now)
    row.update(subject="", body_text="", body_html="", headers={}, status=OutboxStatus.CANCELLED, last_error=SKIPPED)
    return row


def _message_id_maker() -> Callable[[], str]:
    """Message-IDs as ``new_message_id`` makes them, whose domain is taken once: it parses MAIL_DEFAULT_SENDER
    on every call, which was half the tick's CPU for 10,000 rows."""
    domain = new_message_id().rpartition("@")[2]
    return lambda: f"<{secrets.token_hex(16)}@{domain}"


def _base_row(key: str, event: Event, recipient: Recipient, message_id: str, now: datetime) -> dict[str, Any]:
    """The columns ``queue_email`` would set, for a batched insert (``queue_email`` costs two queries a row)."""
    return {
        "dedup_key": key,
        "kind": REMINDER_KIND,
        "message_id": message_id,
        "recipient_email": recipient.email,
        "recipient_name": recipient.name,
        "person_id": recipient.person_id,
        "event_id": event.id,
        "language": reader_language(recipient, event),  # a skip record too; the person's own may be None
        "attachments": [],
        "not_before": now,
        "next_attempt_at": now,
        "attempts": 0,
        "last_error": None,
    }


def _queue(planned: list[PlannedReminder], now: datetime) -> int:
    """Insert the queued reminders; a key that exists already (another planner got there first) is silently
    skipped. Returns how many were inserted.

    On PostgreSQL one ``INSERT ... SELECT`` over arrays, which fills the stencils in the database
    (``queue_from_stencils``): 10,000 reminders are ~2 MB of parameters instead of 25 MB of finished emails. Elsewhere
    a plain executemany of filled-in rows (no RETURNING: psycopg 3 parses a multi-row VALUES statement in Python,
    which took 3.6 s for 10,000 rows, while an executemany of one prepared row is pipelined).
    """
    if not planned:
        return 0
    if db.session.get_bind().dialect.name == "postgresql":
        return queue_from_stencils(planned, now)
    return db.session.execute(_insert_statement(), [_queued_row(item, now) for item in planned]).rowcount


def queue_from_stencils(planned: list[PlannedReminder], now: datetime) -> int:
    """PostgreSQL: one ``INSERT ... SELECT`` from the readers' values joined with the stencils, filled in by the
    database (``fill_in_sql``), skipping keys that exist. Returns the rows inserted.

    Both lists go as one JSON parameter each (``json_to_recordset``): psycopg dumps text arrays element by element
    in Python (0.6 s for 10,000 readers), ``json.dumps`` in C.
    """
    stencils = list({id(item.stencil): item.stencil for item in planned}.values())
    number = {id(stencil): position for position, stencil in enumerate(stencils)}
    parts = _records(
        "stencils", [dict(vars(s.email), number=number[id(s)]) for s in stencils],
        subject=sa.Text, text=sa.Text, html=sa.Text, language=sa.Text, number=sa.Integer,
    )  # fmt: skip
    readers = _records(
        "readers",
        [
            {
                "key": p.key, "message_id": p.message_id, "email": p.recipient.email, "name": p.recipient.name,
                "name_html": str(escape(p.recipient.name)), "link": p.unsubscribe,
                "link_html": str(escape(p.unsubscribe)), "link_json": json.dumps(p.unsubscribe)[1:-1],
                "person_id": p.recipient.person_id, "event_id": p.event.id, "stencil": number[id(p.stencil)],
            }
            for p in planned
        ],
        key=sa.Text, message_id=sa.Text, email=sa.Text, name=sa.Text, name_html=sa.Text, link=sa.Text,
        link_html=sa.Text, link_json=sa.Text, person_id=sa.Integer, event_id=sa.Integer, stencil=sa.Integer,
    )  # fmt: skip
    r, s = readers.c, parts.c
    columns = {
        "dedup_key": r.key, "kind": sa.literal(REMINDER_KIND), "message_id": r.message_id,
        "recipient_email": r.email, "recipient_name": r.name, "person_id": r.person_id, "event_id": r.event_id,
        "language": s.language, "subject": fill_in_sql(s.subject, r.name, r.link),
        "body_text": fill_in_sql(s.text, r.name, r.link), "body_html": fill_in_sql(s.html, r.name_html, r.link_html),
        "headers": sa.cast(fill_in_sql(json.dumps(reminder_headers(UNSUBSCRIBE_SLOT)), "", r.link_json), sa.JSON),
        "attachments": sa.literal([], sa.JSON), "not_before": sa.literal(now), "next_attempt_at": sa.literal(now),
        "status": sa.literal(OutboxStatus.QUEUED.value), "attempts": sa.literal(0),
        "created_at": sa.literal(utcnow()), "updated_at": sa.literal(utcnow()),
    }  # fmt: skip
    select = sa.select(*columns.values()).select_from(readers.join(parts, r.stencil == s.number))
    statement = postgresql.insert(OutboxMessage.__table__).from_select(list(columns), select)
    statement = statement.on_conflict_do_nothing(index_elements=["dedup_key"])
    return db.session.execute(statement.execution_options(preserve_rowcount=True)).rowcount


def _records(parameter: str, rows: list[dict[str, Any]], **types: Any) -> Any:
    """``json_to_recordset(:parameter) AS (column type, ...)``: ``rows`` as a table, sent as one JSON parameter."""
    document = sa.cast(sa.bindparam(parameter, json.dumps(rows), type_=sa.Text), postgresql.JSON)
    columns = [sa.column(column, column_type) for column, column_type in types.items()]
    return sa.func.json_to_recordset(document).table_valued(*columns).render_derived(with_types=True)


def _insert_statement() -> sa.Insert:
    """INSERT ... ON CONFLICT (dedup_key) DO NOTHING, in the dialect's own syntax (PostgreSQL or SQLite)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(OutboxMessage.__table__).on_conflict_do_nothing(index_elements=["dedup_key"])
    return statement.execution_options(preserve_rowcount=True)  # SQLAlchemy keeps INSERT rowcounts only if asked
