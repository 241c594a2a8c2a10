"""Organiser rights per series (one eventhub, several networks), spelled twice like visibility: per object in
Python (``can_manage_series``, ``can_manage_event``) and as SQL for lists (``managed_series_clause``,
``managed_events_clause``). These tests hold the spellings to each other and pin the rule itself: admins manage
everything; an organiser the series they organise, their events, and the events without a series they created."""

import itertools

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from eventhub.accounts.models import Role
from eventhub.accounts.permissions import (
    can_manage_event,
    can_manage_events,
    can_manage_series,
    managed_events_clause,
    managed_series_clause,
)
from eventhub.accounts.services import set_role
from eventhub.events.models import Event, MembershipRole, Series
from eventhub.events.services import EventInput, add_series_member, create_event, create_series
from eventhub.extensions import db

ROLES = ("admin", "organiser", "secretary", "member")
# A membership of series A, if any: the role it carries.
MEMBERSHIPS = (None, "member", "secretary", "organiser")


@pytest.fixture
def world(make_series, make_event, make_user):
    """Series A and B with an event each, two events without a series (one made by ``creator``), and one account
    per global role × membership of A."""
    a, b = make_series(slug="a"), make_series(slug="b", visibility="members")
    creator = make_user("organiser")
    events = [make_event(series="a"), make_event(series="b"), make_event(title="Nobody's"), make_event(title="Mine")]
    events[3].created_by_id = creator.id
    users = [creator]
    for role, membership in itertools.product(ROLES, MEMBERSHIPS):
        user = make_user(role)
        if membership:
            add_series_member(a, user.email, role=membership)
        users.append(user)
    db.session.flush()
    return {"series": [a, b], "events": events, "users": users, "creator": creator}


def _viewers(users):
    return [None, AnonymousUserMixin(), *users]


def test_the_sql_rules_list_exactly_what_the_predicates_allow(world):
    for viewer in _viewers(world["users"]):
        series = {s.id for s in world["series"] if can_manage_series(viewer, s)}
        events = {e.id for e in world["events"] if can_manage_event(viewer, e)}
        assert set(db.session.scalars(sa.select(Series.id).where(managed_series_clause(viewer)))) == series
        assert set(db.session.scalars(sa.select(Event.id).where(managed_events_clause(viewer)))) == events


def test_the_rule(world, make_user):
    a, b = world["series"]
    in_a, in_b, nobodys, mine = world["events"]
    admin, organiser = make_user("admin"), make_user("organiser")
    add_series_member(a, organiser.email, role="organiser")
    assert all(can_manage_event(admin, event) for event in world["events"])
    assert can_manage_series(admin, a) and can_manage_series(admin, b)
    assert can_manage_series(organiser, a) and can_manage_event(organiser, in_a)
    assert not can_manage_series(organiser, b) and not can_manage_event(organiser, in_b)
    assert not can_manage_event(organiser, nobodys) and not can_manage_event(organiser, mine)
    assert can_manage_event(world["creator"], mine) and not can_manage_event(world["creator"], nobodys)
    assert can_manage_series(organiser) and can_manage_events(organiser)  # may create a series or an event


@pytest.mark.parametrize("role", ["secretary", "member"])
def test_an_organiser_membership_alone_grants_nothing(make_series, make_event, make_user, role):
    """Rights need the account's role too: an organiser demoted to member keeps no rights over their series."""
    series = make_series()
    event = make_event(series=series.slug)
    user = make_user("organiser")
    add_series_member(series, user.email, role="organiser")
    set_role(user, Role(role))
    assert not can_manage_series(user, series) and not can_manage_event(user, event)
    assert not db.session.scalars(sa.select(Series.id).where(managed_series_clause(user))).all()


def test_the_creator_of_a_series_becomes_its_organiser(make_user):
    organiser = make_user("organiser")
    series = create_series("bsi", "BSI", actor=organiser)
    assert [(m.person_id, m.role) for m in series.memberships] == [(organiser.person_id, MembershipRole.ORGANISER)]
    assert can_manage_series(organiser, series)


def test_the_creator_of_an_event_is_kept(make_user, now):
    organiser = make_user("organiser")
    values = {"title": "Webinar", "starts_at": "2027-02-01T10:00", "ends_at": "2027-02-01T11:00"}
    event = create_event(EventInput(**values, timezone="Europe/Copenhagen"), now=now, actor=organiser)
    assert event.created_by_id == organiser.id and can_manage_event(organiser, event)
