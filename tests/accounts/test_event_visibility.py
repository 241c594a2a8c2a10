"""Event and series visibility has one rule, spelled twice: per object in Python (``can_view_event``,
``can_view_series``) and as SQL for lists and feeds (``visible_events_clause``, ``visible_series_clause``,
``events_visible_to_person_clause``). These tests hold the spellings to each other on every combination of role,
visibility and membership."""

import itertools

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from eventhub.accounts.permissions import (
    can_view_event,
    can_view_series,
    events_visible_to_person_clause,
    visible_events_clause,
    visible_series_clause,
)
from eventhub.events.models import Event, Person, Series
from eventhub.events.services import add_series_member
from eventhub.extensions import db

ROLES = ("admin", "organiser", "secretary", "member")
MEMBERSHIPS = (None, ("public", "member"), ("members", "member"), ("members", "secretary"))


@pytest.fixture
def world(make_series, make_event, make_user):
    """A public and a members-only series, an event of each visibility in each (and outside any series), and
    one account per role × membership."""
    series = {"public": make_series(visibility="public"), "members": make_series(visibility="members")}
    events = [
        make_event(series=series[name].slug if name else None, visibility=visibility)
        for name, visibility in itertools.product((None, "public", "members"), ("public", "members"))
    ]
    users = []
    for role, membership in itertools.product(ROLES, MEMBERSHIPS):
        user = make_user(role=role)
        if membership:
            add_series_member(series[membership[0]], user.email, role=membership[1])
        users.append(user)
    return series, events, users


def _event_ids(condition):
    return set(db.session.scalars(sa.select(Event.id).where(condition)))


def _viewers(users):
    return [None, AnonymousUserMixin(), *users]


def test_the_sql_rule_lists_exactly_the_events_can_view_event_allows(world):
    _, events, users = world
    for viewer in _viewers(users):
        expected = {event.id for event in events if can_view_event(viewer, event)}
        assert _event_ids(visible_events_clause(viewer)) == expected, viewer and (viewer.role, viewer.email)


def test_the_matrix_is_not_trivial(world):
    """Guards the test above: the rule does hide things from some viewers and show them to others."""
    _, events, users = world
    seen = [{event.id for event in events if can_view_event(viewer, event)} for viewer in _viewers(users)]
    assert min(map(len, seen)) == 2 and max(map(len, seen)) == len(events)
    assert len({frozenset(ids) for ids in seen}) >= 4


def test_a_feed_sees_what_its_person_would_see_logged_in(world):
    _, events, users = world
    for user in users:
        expected = {event.id for event in events if can_view_event(user, event)}
        assert _event_ids(events_visible_to_person_clause(user.person_id)) == expected, (user.role, user.email)


def test_the_feed_rule_works_with_the_person_as_a_column(world):
    """Feed state computes several feeds in one query: the person id is then a column, not a value."""
    _, events, users = world
    every_pair = sa.select(Person.id, Event.id).join(Event, sa.true())
    query = every_pair.where(events_visible_to_person_clause(Person.id))
    pairs = set(db.session.execute(query).tuples())
    for user in users:
        expected = {event.id for event in events if can_view_event(user, event)}
        assert {event_id for person_id, event_id in pairs if person_id == user.person_id} == expected


def test_the_sql_rule_lists_exactly_the_series_can_view_series_allows(world):
    series, _, users = world
    for viewer in _viewers(users):
        expected = {item.id for item in series.values() if can_view_series(viewer, item)}
        assert set(db.session.scalars(sa.select(Series.id).where(visible_series_clause(viewer)))) == expected
