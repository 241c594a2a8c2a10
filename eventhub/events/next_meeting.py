"""The "next meeting" of a numbered series: what the organiser's one step proposes, before anything is saved.

A series meets at a rhythm (every four weeks, every quarter); the next meeting is the latest one moved by that
rhythm, with the settings of the meeting the organiser started from. Nothing here writes: the proposal fills the
new-event form, and saving it goes through ``create_event`` like any other event.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from eventhub.events.models import Event, EventStatus, Series
from eventhub.extensions import db

DEFAULT_INTERVAL = timedelta(weeks=4)


def usual_interval(series: Series) -> timedelta:
    """The gap between the local dates of the series' last two meetings (cancelled ones aside), in whole days, so
    a meeting at 14:00 stays at 14:00 across a daylight-saving change; four weeks when there are fewer than two."""
    days = [event.local_start.date() for event in _latest_meetings(series, 2)]
    if len(days) == 2 and days[0] > days[1]:
        return days[0] - days[1]
    return DEFAULT_INTERVAL


def next_meeting_draft(event: Event) -> dict[str, Any]:
    """The fields of the meeting after ``event`` as the event form shows them (local wall-clock times).

    Kind, series, zone, place, link, capacity, visibility, invitation-only, language, reminder offsets, retention
    period, the time of day and the length come from ``event``; the number is the series' next one; the date is the
    series' latest meeting moved by ``usual_interval``. A number in the title ("Meeting 12", "12th meeting") is
    renumbered.
    """
    series = event.series
    number = _next_number(series) if series is not None else None
    latest = (_latest_meetings(series, 1) or [event])[0] if series is not None else event
    day = _later(latest.local_start.date(), usual_interval(series) if series is not None else DEFAULT_INTERVAL)
    starts = datetime.combine(day, event.local_start.time().replace(tzinfo=None))
    closes = None
    if event.registration_closes_at is not None:
        closes = starts - (_naive(event.local_start) - _naive(event.registration_closes_at.astimezone(event.zone)))
    return {
        "title": renumbered(event.title, event.number, number),
        "kind": event.kind.value,
        "series": series.slug if series is not None else "",
        "number": number,
        "starts_at": starts,
        "ends_at": starts + (_naive(event.local_end) - _naive(event.local_start)),
        "timezone": event.timezone,
        "location": event.location or "",
        "online_url": event.online_url or "",
        "capacity": event.capacity,
        "visibility": event.visibility.value,
        "invitation_only": event.invitation_only,
        "registration_closes_at": closes,
        "language": event.language or "",
        "reminder_offsets": event.reminder_offsets,
        "retention_days": event.retention_days,
        "description": event.description or "",
    }


def renumbered(title: str, old: int | None, new: int | None) -> str:
    """``title`` with the number ``old`` (as a whole number, "12" or "12th") replaced by ``new``."""
    if old is None or new is None:
        return title

    def replace(match: re.Match[str]) -> str:
        return str(new) + (_ordinal_suffix(new) if match.group(1) else "")

    return re.sub(rf"(?<!\d){old}(?!\d)((?:st|nd|rd|th)\b)?", replace, title, count=1)


def _ordinal_suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def _latest_meetings(series: Series, count: int) -> list[Event]:
    query = (
        sa.select(Event)
        .where(Event.series_id == series.id, Event.status == EventStatus.SCHEDULED)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(count)
    )
    return list(db.session.scalars(query))


def _next_number(series: Series) -> int:
    highest = db.session.scalar(sa.select(sa.func.max(Event.number)).where(Event.series_id == series.id))
    return (highest or 0) + 1


def _later(day: date, interval: timedelta) -> date:
    return day + timedelta(days=interval.days)


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)
