"""Which links the event and series pages offer a viewer, decided here so the templates only render (issue 11:
every page a role may use is reachable by links from ``/``).

The rights come from the permission predicates (``can_manage_event``, ``can_manage_series``, the agenda's and
the minutes' own predicates), so a narrower rule there narrows the links without touching a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventhub.accounts.permissions import can_manage_event, can_manage_series
from eventhub.agenda.permissions import can_edit_agenda
from eventhub.events.models import Event, Series
from eventhub.materials.presenters import may_open_materials
from eventhub.minutes.permissions import can_comment_on_minutes, can_edit_minutes, can_view_minutes
from eventhub.minutes.services import find_minutes


@dataclass(frozen=True)
class EventLinks:
    """What the event page links for ``viewer``: its management pages, and the minutes of a meeting."""

    manage: bool  # edit, cancel, invitations, registrations, requests, questions
    can_change: bool  # edit and cancel: not for a cancelled event
    agenda: bool
    minutes: bool  # attendance and the minutes editor (numbered meetings of a series)
    published_minutes: bool  # the published minutes of this meeting
    comment_on_draft: bool  # the circulated draft, for attendees and members
    materials: bool = False  # the materials page: the event's keepers and its agenda items' owners

    @property
    def anything_to_manage(self) -> bool:
        return self.manage or self.agenda or self.minutes or self.materials


def event_links(event: Event, viewer: Any) -> EventLinks:
    is_meeting = event.series is not None and event.number is not None
    minutes = find_minutes(event, status_only=True) if is_meeting else None
    manage = can_manage_event(viewer, event)
    return EventLinks(
        manage=manage,
        can_change=manage and not event.is_cancelled,
        agenda=can_edit_agenda(viewer, event),
        minutes=is_meeting and can_edit_minutes(viewer, event),
        published_minutes=minutes is not None and minutes.published_version > 0 and can_view_minutes(viewer, event),
        comment_on_draft=minutes is not None and can_comment_on_minutes(viewer, minutes),
        materials=may_open_materials(viewer, event),
    )


@dataclass(frozen=True)
class SeriesLinks:
    manage: bool  # the series' settings and a new event in it


def series_links(series: Series, viewer: Any) -> SeriesLinks:
    return SeriesLinks(manage=can_manage_series(viewer, series))
