"""Pre-rendered calendar components: each event's VEVENT text, and each action item's and deadline's, stored per
language in ``calendar_components`` and re-rendered only when its inputs changed.

A feed is the concatenation of the stored texts of the rows its query selects (one query joins the events to
their components), plus VTIMEZONEs cached per zone and year span (``eventhub.ical.timezone_text``). The same
stored text serves the series feed, the personal feed, the event's ``.ics`` and the iTIP parts of emails
(``registration.signals.calendar_event_body``): DTSTAMP, ORGANIZER, ATTENDEE and STATUS are added around it per
message (``eventhub.ical.wrap_event``).

Never stale: a component is used only when its stored ``version`` equals the one computed from its inputs in
the same query: the event's ``updated_at`` and ``sequence`` (any edit of its row), its published agenda's
``updated_at``, ``calendar_version`` (raised by ``mark_stale`` for what lives elsewhere), the language, the base
URL and ``RENDERER``. Anything the text shows must be one of these inputs: ``render_inputs`` gathers them in one
place. Materials (ATTACH lines) need no input of their own: ``materials.services.materials_changed`` moves the
event's ``updated_at``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm import joinedload, selectinload

from eventhub.agenda.models import Agenda, AgendaItem
from eventhub.agenda.services import agenda_days, agenda_item_line
from eventhub.calendar.invalidation import Affected, bump_feeds, raise_calendar_versions
from eventhub.calendar.models import CalendarComponent
from eventhub.db import insert_or_update
from eventhub.events.models import Event, EventStatus, Person, Series
from eventhub.events.people import IN_LIST_CHUNK
from eventhub.extensions import db
from eventhub.i18n import calendar_words
from eventhub.ical import CalendarWords, DatedItem, Organizer, dated_item_text, event_body
from eventhub.materials.presenters import calendar_attachments

RENDERER = "1"  # raise when eventhub.ical writes components differently: every stored text is then re-rendered
EVENT = "event"
STORE_CHUNK = 1_000  # rows of one multi-row INSERT (5 values each: far below SQLite's 32,766 variables)


@dataclass(frozen=True)
class FeedEvent:
    """One event of a feed as its query returns it: what the envelope and the VTIMEZONEs need, and the body."""

    id: int
    updated_at: datetime
    cancelled: bool
    starts_at: datetime
    ends_at: datetime
    timezone: str
    organiser_name: str | None
    body: str


def mark_stale(event_id: int) -> None:
    """Re-render ``event_id``'s components (every language) on their next use, and rebuild the feeds that show
    it: for a change of its calendar text outside the event's row and agenda (those are seen on their own).
    Takes effect with the caller's transaction."""
    raise_calendar_versions(db.session, sa.select(sa.literal(event_id)))
    bump_feeds(db.session, Affected(events={event_id}))


def feed_events(conditions: list[sa.ColumnElement[bool]], language: str, base_url: str) -> list[FeedEvent]:
    """The events matching ``conditions`` in time order, each with its body in ``language``: one query, then
    rendering (and storing) only the components whose inputs changed since they were stored."""
    rows = db.session.execute(_feed_query(conditions), {"language": language}).all()
    context = _context(base_url, language)
    stale = {row.id: version for row in rows if (version := _event_version(row, context)) != row.version}
    rendered = render_events(stale, language, base_url) if stale else {}
    return [
        FeedEvent(
            row.id,
            row.updated_at,
            row.status == EventStatus.CANCELLED,
            row.starts_at,
            row.ends_at,
            row.timezone,
            row.organiser_name,
            rendered[row.id] if row.id in rendered else row.text,
        )
        for row in rows
    ]


def event_body_of(event: Event, language: str, base_url: str) -> str:
    """``event``'s stored body in ``language`` (rendered and stored first if missing or out of date)."""
    return feed_events([Event.id == event.id], language, base_url)[0].body


def _feed_query(conditions: list[sa.ColumnElement[bool]]) -> sa.Select:
    component = sa.and_(
        CalendarComponent.kind == EVENT,
        CalendarComponent.item_id == Event.id,
        CalendarComponent.language == sa.bindparam("language", type_=sa.String),
    )
    return (
        sa.select(
            Event.id,
            Event.updated_at,
            Event.sequence,
            Event.calendar_version,
            Event.status,
            Event.starts_at,
            Event.ends_at,
            Event.timezone,
            Series.organiser_name,
            Agenda.updated_at.label("agenda_updated_at"),
            CalendarComponent.version,
            CalendarComponent.text,
        )
        .select_from(Event)
        .outerjoin(Series, Series.id == Event.series_id)
        .outerjoin(Agenda, Agenda.event_id == Event.id)  # at most one agenda per event
        .outerjoin(CalendarComponent, component)
        .where(*conditions)
        .order_by(Event.starts_at, Event.id)
    )


def render_inputs(row: sa.Row) -> tuple:
    """What an event's body is rendered from, besides the language and base URL: the one list to extend."""
    return (row.calendar_version, row.sequence, _instant(row.updated_at), _instant(row.agenda_updated_at))


def _event_version(row: sa.Row, context: str) -> str:
    return ".".join(map(str, (context, *render_inputs(row))))


def _context(base_url: str, language: str, *more: str) -> str:
    digest = hashlib.sha256("\n".join((RENDERER, base_url, *more)).encode()).hexdigest()[:12]
    return f"{digest}.{language}"


def _instant(moment: datetime | None) -> str:
    return "-" if moment is None else f"{moment.timestamp():.6f}"


def render_events(versions: dict[int, str], language: str, base_url: str) -> dict[int, str]:
    """Render the bodies of the events in ``versions`` in ``language`` and store each with its version."""
    bodies: dict[int, str] = {}
    ids = list(versions)
    for start in range(0, len(ids), IN_LIST_CHUNK):
        chunk = ids[start : start + IN_LIST_CHUNK]
        events = db.session.scalars(sa.select(Event).where(Event.id.in_(chunk)))
        with force_locale(language):
            texts, words, attached = agenda_texts(chunk), calendar_words(), calendar_attachments(chunk)
            bodies.update(
                {
                    event.id: event_body(event, base_url, texts.get(event.id, ""), words, attached.get(event.id, ()))
                    for event in events
                }
            )
    _store([_row(EVENT, item_id, language, versions[item_id], text) for item_id, text in bodies.items()])
    return bodies


def agenda_texts(event_ids: Iterable[int]) -> dict[int, str]:
    """Published agendas as text per event id, loaded set-wise (agenda_as_text would query once per event).

    Uses the agenda area's own day grouping and item lines, so the text is the one ``agenda_as_text`` gives
    ("14.00–14.05 Velkommen (Per Bach, ...)").
    """
    query = (
        sa.select(Agenda)
        .where(Agenda.event_id.in_(list(event_ids)), Agenda.published_at.is_not(None))
        .options(
            joinedload(Agenda.event),
            selectinload(Agenda.items).joinedload(AgendaItem.owner_person).joinedload(Person.organisation),
        )
    )
    texts = {}
    for agenda in db.session.scalars(query):
        days = agenda_days(agenda, agenda.event.timezone)
        lines: list[str] = []
        for day, items in days:
            if len(days) > 1:
                lines.append(day.isoformat())
            lines.extend(agenda_item_line(item, agenda.event) for item in items)
        texts[agenda.event_id] = "\n".join(lines)
    return texts


def item_texts(
    items: Sequence[DatedItem], language: str, base_url: str, sender: Organizer, words: CalendarWords
) -> list[str]:
    """The components of action items and deadlines in ``language``, from storage where their inputs (every
    field of the item, the words, the sender) are unchanged; the rest rendered and stored."""
    context = _context(base_url, language, sender.name, sender.email, repr(words))
    wanted = {(item.kind, item.id): _item_version(item, context) for item in items}
    stored = _stored_items(list(wanted), language)
    texts, rendered = [], []
    for item in items:
        key = (item.kind, item.id)
        version, text = stored.get(key, (None, ""))
        if version != wanted[key]:
            text = dated_item_text(item, base_url, sender, words)
            rendered.append(_row(item.kind, item.id, language, wanted[key], text))
        texts.append(text)
    _store(rendered)
    return texts


def _item_version(item: DatedItem, context: str) -> str:
    return f"{context}.{hashlib.sha256(repr(item).encode()).hexdigest()[:32]}"


def _stored_items(keys: list[tuple[str, int]], language: str) -> dict[tuple[str, int], tuple[str, str]]:
    if not keys:
        return {}
    query = sa.select(CalendarComponent).where(
        CalendarComponent.language == language,
        sa.tuple_(CalendarComponent.kind, CalendarComponent.item_id).in_(keys),
    )
    return {(row.kind, row.item_id): (row.version, row.text) for row in db.session.scalars(query)}


def _row(kind: str, item_id: int, language: str, version: str, text: str) -> dict[str, object]:
    return {"kind": kind, "item_id": item_id, "language": language, "version": version, "text": text}


def _store(rows: list[dict[str, object]]) -> None:
    """Upsert rendered components, many rows a statement: a concurrent poller may store the same ones."""
    table = CalendarComponent.__table__
    statement = insert_or_update(table, db.session, ["kind", "item_id", "language"], {"version": None, "text": None})
    for start in range(0, len(rows), STORE_CHUNK):
        db.session.execute(statement.values(rows[start : start + STORE_CHUNK]))
