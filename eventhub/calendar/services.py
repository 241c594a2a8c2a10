"""What goes into each calendar feed, and who may have a personal one.

A feed is assembled from the events' stored components (``eventhub.calendar.components``): one query selects the
feed's events with their texts, and only components whose inputs changed are rendered. Which rows each feed shows,
and the stored bodies and validators that let an unchanged feed be served without building it, live in
``eventhub.calendar.feed_state``.

Calendar programs poll feeds without saying who reads them, so a feed is written in the language of whom it is
for (``reader_language``): a personal feed in its person's, an event's or series' feed in the event's or series'
language (else the site's), whatever the poller's Accept-Language.

Functions take ``now``, flush and never commit; the views commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale, gettext
from sqlalchemy.orm import joinedload

from eventhub.calendar.components import FeedEvent, feed_events, item_texts
from eventhub.calendar.feed_state import (
    action_item_filter,
    deadline_filter,
    personal_event_filter,
    series_event_filter,
    still_shown,
)
from eventhub.calendar.models import FeedToken
from eventhub.events.models import Event, Person, Series
from eventhub.extensions import db
from eventhub.i18n import calendar_words, reader_language
from eventhub.ical import (
    CalendarHeader,
    DatedItem,
    Organizer,
    calendar_text,
    event_page_url,
    organizer_line,
    timezones_text,
    wrap_event,
)
from eventhub.minutes.models import ActionItem, Deadline, Minutes
from eventhub.tokens import new_token


@dataclass(frozen=True)
class Links:
    """Where feeds point: built from BASE_URL by the caller, so this module needs no request."""

    base_url: str
    sender: Organizer


@dataclass(frozen=True)
class BuiltFeed:
    """A feed's bytes, and when they go out of date on their own (a cancelled event it shows has ended)."""

    body: bytes
    expires_at: datetime | None


# ---------------------------------------------------------------------------------------------------------
# Building feeds: one query for the events (with their stored components), a constant number for the rest
# ---------------------------------------------------------------------------------------------------------


def build_event_feed(event: Event, now: datetime, links: Links) -> BuiltFeed:
    """The one-event calendar (empty once a cancelled event has ended)."""
    shown = feed_events([Event.id == event.id, still_shown(now)], reader_language(None, event), links.base_url)
    return _assemble(CalendarHeader(event.title, event.timezone), shown, links)


def build_series_feed(series: Series, now: datetime, links: Links) -> BuiltFeed:
    """A public series' public events. No X-WR-TIMEZONE: a series may meet in several zones (each event has its
    own TZID and VTIMEZONE), and a zone picked from one event would mislead clients about the others."""
    events = feed_events(series_event_filter(series.id, now), reader_language(None, series), links.base_url)
    return _assemble(CalendarHeader(series.title, None), events, links)


def build_personal_feed(person: Person, now: datetime, links: Links) -> BuiltFeed:
    """Events (registered, invited, member), action items and deadlines of ``person``, in the language they read."""
    language = reader_language(person)
    events = feed_events(personal_event_filter(person.id, now), language, links.base_url)
    with force_locale(language):
        items = action_items_of(person, links.base_url) + deadlines_of(person, links.base_url)
        texts = item_texts(items, language, links.base_url, links.sender, calendar_words())
        header = CalendarHeader(f"eventhub: {person.name}", person.timezone)
    return _assemble(header, events, links, texts)


def _assemble(header: CalendarHeader, events: list[FeedEvent], links: Links, more: Sequence[str] = ()) -> BuiltFeed:
    """The stored bodies wrapped with each feed entry's DTSTAMP, ORGANIZER and STATUS, after the VTIMEZONEs."""
    sender = links.sender
    components = [
        wrap_event(event.body, event.updated_at, organizer_line(event.organiser_name or sender.name, sender.email),
                   event.cancelled)
        for event in events
    ]  # fmt: skip
    timezones = timezones_text([(e.timezone, e.starts_at.year, e.ends_at.year) for e in events], header.zone)
    body = calendar_text(header, timezones, [*components, *more]).encode()
    return BuiltFeed(body, min((event.ends_at for event in events if event.cancelled), default=None))


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
