"""What goes into each calendar feed, and who may have a personal one.

Building a feed takes a constant number of set-based queries whatever the number of events; which rows each feed
shows, and the ETag/Last-Modified that say cheaply whether it changed, live in ``eventhub.calendar.feed_state``.

Calendar programs poll feeds without saying who reads them, so a feed is written in the language of whom it is
for (``reader_language``): a personal feed in its person's, an event's or series' feed in the event's or series'
language (else the site's), whatever the poller's Accept-Language.

Functions take ``now``, flush and never commit; the views commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale, gettext
from sqlalchemy.orm import joinedload, selectinload

from eventhub.agenda.models import Agenda, AgendaItem
from eventhub.agenda.services import agenda_days, agenda_item_line
from eventhub.calendar.feed_state import action_item_filter, deadline_filter, personal_event_filter, series_event_filter
from eventhub.calendar.models import FeedToken
from eventhub.events.models import Event, Person, Series
from eventhub.extensions import db
from eventhub.i18n import calendar_words, reader_language
from eventhub.ical import DatedItem, Organizer, event_page_url, feed_calendar
from eventhub.materials.presenters import calendar_attachments
from eventhub.minutes.models import ActionItem, Deadline, Minutes
from eventhub.tokens import new_token


@dataclass(frozen=True)
class Links:
    """Where feeds point: built from BASE_URL by the caller, so this module needs no request."""

    base_url: str
    sender: Organizer


# ---------------------------------------------------------------------------------------------------------
# Building feeds: a constant number of queries
# ---------------------------------------------------------------------------------------------------------


def build_event_feed(event: Event, now: datetime, links: Links) -> bytes:
    """The one-event calendar (empty once a cancelled event has ended)."""
    shown = [event] if not event.is_cancelled or event.ends_at > now else []
    with force_locale(reader_language(None, event)):
        ids = [e.id for e in shown]
        texts = agenda_texts(ids)
        return feed_calendar(
            event.title, event.timezone, shown, links.base_url, links.sender, texts, words=calendar_words(),
            attachments=calendar_attachments(ids),
        )  # fmt: skip


def build_series_feed(series: Series, now: datetime, links: Links) -> bytes:
    events = _load_events(series_event_filter(series.id, now))
    zone = events[-1].timezone if events else "UTC"
    texts = agenda_texts(sa.select(Event.id).where(*series_event_filter(series.id, now)))
    attachments = calendar_attachments(sa.select(Event.id).where(*series_event_filter(series.id, now)))
    with force_locale(reader_language(None, series)):
        return feed_calendar(
            series.title, zone, events, links.base_url, links.sender, texts, words=calendar_words(),
            attachments=attachments,
        )  # fmt: skip


def build_personal_feed(person: Person, now: datetime, links: Links) -> bytes:
    """Events (registered, member), action items and deadlines of ``person``: seven queries for any number of rows."""
    conditions = personal_event_filter(person.id, now)
    events = _load_events(conditions)
    texts = agenda_texts(sa.select(Event.id).where(*conditions))
    attachments = calendar_attachments(sa.select(Event.id).where(*conditions))
    with force_locale(reader_language(person)):
        items = action_items_of(person, links.base_url) + deadlines_of(person, links.base_url)
        name = f"eventhub: {person.name}"
        words = calendar_words()
        return feed_calendar(
            name, person.timezone, events, links.base_url, links.sender, texts, items, words, attachments
        )


def _load_events(conditions: list[sa.ColumnElement[bool]]) -> list[Event]:
    query = sa.select(Event).where(*conditions).options(joinedload(Event.series)).order_by(Event.starts_at, Event.id)
    return list(db.session.scalars(query))


def agenda_texts(event_ids: sa.Select | list[int]) -> dict[int, str]:
    """Published agendas as text per event id, loaded set-wise (agenda_as_text would query once per event).

    Uses the agenda area's own day grouping and item lines, so the text is the one ``agenda_as_text`` gives
    ("14.00–14.05 Velkommen (Per Bach, ...)").
    """
    query = (
        sa.select(Agenda)
        .where(Agenda.event_id.in_(event_ids), Agenda.published_at.is_not(None))
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


def action_items_of(person: Person, base_url: str) -> list[DatedItem]:
    """``person``'s open action items, each described in the language they read for its meeting
    (``i18n.reader_language``: theirs, else the event's, else the series', else English)."""
    query = (
        sa.select(ActionItem, Minutes.updated_at, Event)
        .join(Minutes, Minutes.id == ActionItem.minutes_id)
        .join(Event, Event.id == Minutes.event_id)
        .where(*action_item_filter(person.id))
        .options(joinedload(Event.series))
        .order_by(ActionItem.due_on, ActionItem.id)
    )
    items = []
    for item, changed, event in db.session.execute(query):
        with force_locale(reader_language(person, event)):
            description = gettext("Action item from %(title)s", title=event.title)
        page = event_page_url(base_url, event.id)
        items.append(DatedItem(item.id, "action-item", item.what, item.due_on, description, page, changed))
    return items


def deadlines_of(person: Person, base_url: str) -> list[DatedItem]:
    """The deadlines noted in the minutes of ``person``'s meetings, described as ``action_items_of`` describes."""
    query = (
        sa.select(Deadline, Minutes.updated_at, Event)
        .join(Minutes, Minutes.id == Deadline.minutes_id)
        .join(Event, Event.id == Minutes.event_id)
        .where(*deadline_filter(person.id))
        .options(joinedload(Event.series))
        .order_by(Deadline.due_on, Deadline.id)
    )
    items = []
    for deadline, changed, event in db.session.execute(query):
        with force_locale(reader_language(person, event)):
            description = gettext("Deadline noted at %(title)s", title=event.title)
        page = deadline.link or event_page_url(base_url, event.id)
        items.append(DatedItem(deadline.id, "deadline", deadline.title, deadline.due_on, description, page, changed))
    return items


# ---------------------------------------------------------------------------------------------------------
# Personal feed tokens
# ---------------------------------------------------------------------------------------------------------


def feed_token_of(person: Person) -> FeedToken | None:
    return db.session.scalar(sa.select(FeedToken).where(FeedToken.person_id == person.id))


def issue_feed_token(person: Person, now: datetime) -> str:
    """A new secret feed link for ``person``, replacing any earlier one (whose URL answers 404 from now on).

    Returns the token itself, which is stored only as its SHA-256: the caller shows it once.
    """
    token, digest = new_token()
    row = feed_token_of(person)
    if row is None:
        db.session.add(FeedToken(person_id=person.id, token_hash=digest, created_at=now))
    else:
        row.token_hash = digest
        row.rotated_at = now
    db.session.flush()
    return token
