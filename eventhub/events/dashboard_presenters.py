"""What ``/manage`` shows, put together from several areas' read-only queries (a web module: it may compose them).

Each figure is asked for all events at once (``registration.dashboard.figures_for``,
``agenda.services.published_agenda_event_ids``), so the page costs the same few queries however many events
it lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from eventhub.accounts.models import Role, User
from eventhub.accounts.permissions import is_staff, managed_events_clause, managed_series_clause
from eventhub.agenda.services import published_agenda_event_ids
from eventhub.events import queries
from eventhub.events.models import Event, Series
from eventhub.mail.models import OutboxStatus
from eventhub.mail.services import count_by_status
from eventhub.registration.dashboard import EventFigures, figures_for

CLOSING_SOON = timedelta(days=7)
SECRETARY_WINDOW = timedelta(days=30)
# An agenda is "due" for events in the next month only: listing every future event without one (the demo has 23)
# buries the items that need doing now.
AGENDA_DUE = timedelta(days=30)


@dataclass
class EventRow:
    event: Event
    figures: EventFigures
    agenda_published: bool


@dataclass
class Attention:
    """What an organiser should look at: each list empty when all is well."""

    requests: list[EventRow] = field(default_factory=list)
    closing_soon: list[EventRow] = field(default_factory=list)
    without_agenda: list[EventRow] = field(default_factory=list)
    failed_emails: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.requests or self.closing_soon or self.without_agenda or self.failed_emails)


@dataclass
class Dashboard:
    series: list[Series] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    attention: Attention = field(default_factory=Attention)
    meetings: list[Event] = field(default_factory=list)
    is_staff: bool = False
    is_admin: bool = False


def may_use_dashboard(user: User) -> bool:
    """Everyone with a role above member (the header links the page for exactly them)."""
    return user.is_authenticated and user.role != Role.MEMBER


def dashboard_for(user: User, now: datetime) -> Dashboard:
    """An organiser's page shows the series they organise and those series' events (and the events without a
    series they created); an admin's shows all of them."""
    page = Dashboard(is_staff=is_staff(user), is_admin=user.role == Role.ADMIN)
    if page.is_staff:
        page.series = queries.list_series(visible=managed_series_clause(user))
        page.events = event_rows(queries.upcoming_events(now, visibility=None, visible=managed_events_clause(user)))
        # Failed emails are the admins' to look at: the outbox holds every series' mail.
        failed = count_by_status()[OutboxStatus.FAILED] if page.is_admin else 0
        page.attention = attention_for(page.events, now, failed)
    page.meetings = secretary_meetings(user, now)
    return page


def event_rows(events: list[Event]) -> list[EventRow]:
    ids = [event.id for event in events]
    figures = figures_for(ids)
    published = published_agenda_event_ids(ids)
    return [EventRow(event, figures[event.id], event.id in published) for event in events]


def attention_for(rows: list[EventRow], now: datetime, failed_emails: int) -> Attention:
    live = [row for row in rows if not row.event.is_cancelled]
    return Attention(
        requests=[row for row in live if row.figures.pending_requests],
        closing_soon=[
            row
            for row in live
            if row.event.takes_registrations(now) and row.event.registration_closes_at_or_start <= now + CLOSING_SOON
        ],
        without_agenda=[row for row in live if not row.agenda_published and row.event.starts_at <= now + AGENDA_DUE],
        failed_emails=failed_emails,
    )


def secretary_meetings(user: User, now: datetime) -> list[Event]:
    """Meetings of the series ``user`` keeps the minutes of (every series for admins), 30 days either side."""
    series_ids = None if user.role == Role.ADMIN else queries.secretary_series_ids(user.person_id)
    if series_ids == []:
        return []
    return queries.series_events_between(now - SECRETARY_WINDOW, now + SECRETARY_WINDOW, series_ids)
