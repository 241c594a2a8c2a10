"""Who may edit, read and comment on minutes. Predicates only; callers choose 403 or 404.

Minutes are the secretaries' record:
only secretaries of the series and admins edit them; the organisers of the series may read them (published
minutes, and the draft through the API) but not change them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from eventhub.accounts.models import User
from eventhub.accounts.permissions import can_manage_event, can_view_event, is_member_of, is_secretary_of
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.minutes.models import Attendance, Minutes

if TYPE_CHECKING:
    from eventhub.minutes.publication import PublishedMinutes


def can_edit_minutes(user: User | None, event: Event) -> bool:
    return event.series is not None and is_secretary_of(user, event.series)


def can_read_draft(user: User | None, event: Event) -> bool:
    """Editors, and the people who manage the event (read-only)."""
    return can_edit_minutes(user, event) or can_manage_event(user, event)


def can_view_minutes(user: User | None, event: Event) -> bool:
    """Published minutes follow the event's visibility (members-only series: members and staff)."""
    return can_view_event(user, event)


def visible_published_minutes(user: User | None, entries: list[PublishedMinutes]) -> list[PublishedMinutes]:
    """The entries of a series' minutes archive that ``user`` may see: a members-only meeting in a public series
    stays hidden from outsiders, in the HTML archive and in the API alike."""
    return [entry for entry in entries if can_view_minutes(user, entry.event)]


def can_comment_on_minutes(user: User | None, minutes: Minutes) -> bool:
    """A circulated draft may be commented on by its editors, the attendees and the series' members."""
    if user is None or not user.is_authenticated or minutes.circulated_at is None:
        return False
    event = minutes.event
    if can_edit_minutes(user, event) or (event.series is not None and is_member_of(user, event.series)):
        return True
    attended = db.session.scalar(
        sa.select(Attendance.id).where(Attendance.event_id == event.id, Attendance.person_id == user.person_id)
    )
    return attended is not None
