"""Who was at a meeting: the expected list (confirmed registrants and the series' members), the attendance
the secretary ticks, and walk-ins who came unannounced.

Minutes, attendance and comments all belong to numbered meetings of a series, so the check for that
(``require_meeting``) lives here, at the bottom of the minutes area, where every other minutes module can use it.
Functions take ``now``, flush and never commit.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from eventhub.errors import Conflict
from eventhub.events.models import Event, Person, Series, SeriesMembership
from eventhub.events.services import get_or_create_person
from eventhub.extensions import db
from eventhub.minutes.models import Attendance
from eventhub.registration.services import confirmed_people
from eventhub.texts import lazy_text as _l


def require_meeting(event: Event) -> Series:
    """The event's series; minutes need a numbered meeting of a series (that is where they are published)."""
    if event.series is None or event.number is None:
        raise Conflict(_l("Minutes are kept for numbered meetings of a series."))
    return event.series


def expected_attendees(event: Event) -> list[Person]:
    """Who could have come: confirmed registrants and the series' members, by name."""
    people = {person.id: person for person in confirmed_people(event)}
    if event.series is not None:
        members = db.session.scalars(
            sa.select(Person)
            .join(SeriesMembership, SeriesMembership.person_id == Person.id)
            .where(SeriesMembership.series_id == event.series.id)
        )
        people.update({person.id: person for person in members})
    return sorted(people.values(), key=lambda person: (person.name.lower(), person.id))


def attendances_of(event: Event) -> list[Attendance]:
    """In the order they were recorded, so minutes list attendees as the secretary entered them."""
    query = sa.select(Attendance).where(Attendance.event_id == event.id).order_by(Attendance.id)
    return list(db.session.scalars(query))


def attendees_of(event: Event) -> list[Person]:
    return [attendance.person for attendance in attendances_of(event)]


def set_attendance(event: Event, present: list[Person], now: datetime) -> list[Attendance]:
    """Exactly ``present`` were there. People outside the expected list are recorded as walk-ins."""
    require_meeting(event)
    expected = {person.id for person in expected_attendees(event)}
    wanted = {person.id: person for person in present}
    for attendance in attendances_of(event):
        if attendance.person_id not in wanted:
            db.session.delete(attendance)
        else:
            del wanted[attendance.person_id]
    for person in wanted.values():
        db.session.add(
            Attendance(
                event_id=event.id, person=person, walk_in=person.id not in expected, created_at=now, updated_at=now
            )
        )
    db.session.flush()
    return attendances_of(event)


def add_walk_in(event: Event, email: str, name: str | None, organisation: str | None, now: datetime) -> Attendance:
    """Record someone who came unannounced (created as a person if new); adding them twice changes nothing."""
    require_meeting(event)
    person = get_or_create_person(email, name, organisation)
    existing = db.session.scalar(
        sa.select(Attendance).where(Attendance.event_id == event.id, Attendance.person_id == person.id)
    )
    if existing is not None:
        return existing
    attendance = Attendance(event_id=event.id, person=person, walk_in=True, created_at=now, updated_at=now)
    db.session.add(attendance)
    db.session.flush()
    return attendance
