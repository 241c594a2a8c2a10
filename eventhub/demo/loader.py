"""Load the demo data of ``data.py`` through the services, so the demo obeys the same rules as real data.

Loading is idempotent: everything is found again by its natural key (organisation name, person email, series
slug, (series, number), title and start for events outside a series) and only what is missing is created.
Upcoming dates depend on ``now``, so events of a series are matched by number, never by date: loading again
on a later day adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from eventhub.accounts.services import create_user, find_user_by_email
from eventhub.demo.data import (
    ACCOUNTS,
    ORGANISATIONS,
    SERIES,
    STANDALONE_EVENTS,
    AccountSpec,
    EventSpec,
    Schedule,
    SeriesSpec,
    Upcoming,
)
from eventhub.demo.registration import load_registration_demo
from eventhub.demo.taskforce_meeting3 import load_taskforce_meeting3
from eventhub.errors import NotFound
from eventhub.events.models import Series
from eventhub.events.people import get_or_create_organisation, get_or_create_person
from eventhub.events.queries import list_events
from eventhub.events.services import (
    EventInput,
    add_series_member,
    create_event,
    create_series,
    get_series,
)
from eventhub.validation import parse_instant

# No upcoming demo meeting between Christmas and Epiphany: nobody would hold one then.
HOLIDAYS_START = (12, 20)
HOLIDAYS_END = (1, 6)


@dataclass
class DemoSummary:
    """What one run created; all zeros means the demo data was already there."""

    series_created: int = 0
    events_created: int = 0
    accounts_created: int = 0


def load_demo(now: datetime) -> DemoSummary:
    """Create whatever demo data is missing, with upcoming events dated from ``now``. Flushes, never commits."""
    summary = DemoSummary()
    for organisation in ORGANISATIONS:
        get_or_create_organisation(organisation.name, organisation.country, organisation.kind)
    for series_spec in SERIES:
        _load_series(series_spec, now, summary)
    for account in ACCOUNTS:  # after the series (memberships), before the events without one (their creators)
        _load_account(account, summary)
    for event_spec in STANDALONE_EVENTS:
        _load_standalone_event(event_spec, now, summary)
    load_registration_demo(now)
    load_taskforce_meeting3(now)
    return summary


def upcoming_days(schedule: Schedule, today: date, count: int) -> list[date]:
    """``count`` dates on the schedule's weekday, the first ``first_in`` after today, then every ``every``."""
    days: list[date] = []
    day = _on_or_after(today + schedule.first_in, schedule.weekday)
    while len(days) < count:
        day = _after_holidays(day, schedule.weekday)
        days.append(day)
        day += schedule.every
    return days


def _on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _after_holidays(day: date, weekday: int) -> date:
    if (day.month, day.day) >= HOLIDAYS_START:
        return _on_or_after(date(day.year + 1, *HOLIDAYS_END) + timedelta(days=1), weekday)
    if (day.month, day.day) <= HOLIDAYS_END:
        return _on_or_after(date(day.year, *HOLIDAYS_END) + timedelta(days=1), weekday)
    return day


def _load_series(spec: SeriesSpec, now: datetime, summary: DemoSummary) -> Series:
    try:
        series = get_series(spec.slug)
    except NotFound:
        series = create_series(spec.slug, spec.title, spec.description, spec.visibility)
        summary.series_created += 1
    for member in spec.members:
        get_or_create_person(member.email, member.name, member.organisation, member.language, member.timezone)
        add_series_member(series, member.email, role=member.role)
    existing = {event.number for event in list_events(series=series, limit=10_000)}
    slots = max((event.day.slot + 1 for event in spec.events if isinstance(event.day, Upcoming)), default=0)
    days = upcoming_days(spec.schedule, now.astimezone(timezone.utc).date(), slots) if spec.schedule else []
    for event_spec in spec.events:
        if event_spec.number not in existing:
            create_event(_event_input(event_spec, days, series.slug), now=now)
            summary.events_created += 1
    return series


def _load_standalone_event(spec: EventSpec, now: datetime, summary: DemoSummary) -> None:
    data = _event_input(spec, [], None)
    starts_at = parse_instant(data.starts_at, spec.timezone, "starts_at")
    same_start = list_events(starts_after=starts_at, starts_before=starts_at + timedelta(seconds=1))
    if not any(event.series_id is None and event.title == spec.title for event in same_start):
        create_event(data, now=now, actor=find_user_by_email(spec.created_by) if spec.created_by else None)
        summary.events_created += 1


def _load_account(spec: AccountSpec, summary: DemoSummary) -> None:
    get_or_create_person(spec.email, spec.name, spec.organisation, spec.language, spec.timezone)
    if find_user_by_email(spec.email) is None:
        create_user(spec.email, spec.role, password=spec.password, name=spec.name)
        summary.accounts_created += 1
    for slug, role in spec.memberships:
        add_series_member(get_series(slug), spec.email, role=role)


def _event_input(spec: EventSpec, upcoming: list[date], series_slug: str | None) -> EventInput:
    """The spec as service input: wall-clock datetimes that ``create_event`` reads in the event's time zone."""
    day = upcoming[spec.day.slot] if isinstance(spec.day, Upcoming) else spec.day
    starts = datetime.combine(day, spec.start)
    closes = None
    if spec.registration_closes_days_before is not None:
        closes = starts - timedelta(days=spec.registration_closes_days_before)
    return EventInput(
        title=spec.title,
        kind=spec.kind.value,
        starts_at=starts,
        ends_at=datetime.combine(day + timedelta(days=spec.end_day), spec.end),
        timezone=spec.timezone,
        series=series_slug,
        number=spec.number,
        description=spec.description,
        location=spec.location,
        online_url=spec.online_url,
        country=spec.country,
        capacity=spec.capacity,
        registration_closes_at=closes,
        invitation_only=spec.invitation_only,
        language=spec.language,
    )
