"""Helpers for the calendar tests: an independent parser (vobject) and data factories."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
import vobject

from eventhub.extensions import db


def parse(body: bytes) -> Any:
    """The calendar as vobject reads it: never the icalendar library that wrote it.

    vobject keeps the first VTIMEZONE it read for each TZID for the whole process and converts later calendars'
    times with it; each calendar is read with its own (as a calendar program reads one feed)."""
    vars(vobject.icalendar)["__tzidMap"].clear()
    return vobject.readOne(body.decode("utf-8"))


def vevents(calendar: Any) -> list[Any]:
    return list(getattr(calendar, "vevent_list", []))


def by_uid(calendar: Any) -> dict[str, Any]:
    return {component.uid.value: component for component in calendar.getChildren() if hasattr(component, "uid")}


@pytest.fixture
def register(app) -> Callable[..., Any]:
    """``register(person, event, status="confirmed")``: a registration row as the registration area stores it."""
    from eventhub.registration.models import Registration, RegistrationStatus

    positions = iter(range(1, 100_000))

    def factory(person, event, status: str = "confirmed"):
        status = RegistrationStatus(status)
        position = next(positions) if status == RegistrationStatus.WAITLISTED else None
        registration = Registration(event_id=event.id, person_id=person.id, status=status, waitlist_position=position)
        db.session.add(registration)
        db.session.flush()
        return registration

    return factory


@pytest.fixture
def add_member(app) -> Callable[..., Any]:
    from eventhub.events.models import SeriesMembership

    def factory(series, person, role: str = "member"):
        membership = SeriesMembership(series_id=series.id, person_id=person.id, role=role)
        db.session.add(membership)
        db.session.flush()
        return membership

    return factory


@pytest.fixture
def make_minutes(app, now: datetime) -> Callable[..., Any]:
    """``make_minutes(event, actions=[(what, person, due)], deadlines=[(title, due, link)])``, published."""
    from eventhub.minutes.models import ActionItem, Deadline, Minutes

    def factory(event, actions=(), deadlines=(), published: bool = True):
        minutes = Minutes(
            event_id=event.id, body="", decisions=[], materials=[], published_version=1 if published else 0
        )
        for position, (what, person, due) in enumerate(actions, start=1):
            minutes.action_items.append(ActionItem(position=position, what=what, owner_person_id=person.id, due_on=due))
        for position, (title, due, link) in enumerate(deadlines, start=1):
            minutes.deadlines.append(Deadline(position=position, title=title, due_on=due, link=link))
        db.session.add(minutes)
        db.session.flush()
        return minutes

    return factory


@pytest.fixture
def feed_url(app, now: datetime) -> Callable[..., str]:
    """``feed_url(person)``: issue a personal feed token and return the feed's path."""
    from eventhub.calendar.services import issue_feed_token

    def factory(person) -> str:
        token = issue_feed_token(person, now)
        db.session.commit()
        return f"/feeds/{token}.ics"

    return factory


def day(text: str) -> date:
    return date.fromisoformat(text)
