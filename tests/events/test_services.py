"""The rules for series, people and events, called directly with a fixed clock."""

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from eventhub.errors import Conflict, ValidationFailed
from eventhub.events import people, services
from eventhub.events.models import Event, EventStatus, Person, Visibility
from eventhub.events.signals import event_cancelled, event_changed
from eventhub.extensions import db


def test_wall_clock_time_is_read_in_the_event_time_zone(make_event):
    event = make_event(starts_at="2027-01-15T14:00:00", ends_at="2027-01-15T15:30:00", timezone="Europe/Copenhagen")
    assert event.starts_at == datetime(2027, 1, 15, 13, 0, tzinfo=timezone.utc)
    assert event.local_start.strftime("%H:%M") == "14:00"


def test_summer_meeting_keeps_its_local_hour(make_event):
    event = make_event(starts_at="2027-06-15T14:00:00", ends_at="2027-06-15T15:30:00", timezone="Europe/Copenhagen")
    assert event.starts_at == datetime(2027, 6, 15, 12, 0, tzinfo=timezone.utc)


def test_times_with_an_offset_are_taken_as_given(make_event):
    event = make_event(starts_at="2027-01-15T14:00:00+00:00", ends_at="2027-01-15T15:00:00Z")
    assert event.starts_at == datetime(2027, 1, 15, 14, 0, tzinfo=timezone.utc)


def test_a_local_time_skipped_by_daylight_saving_is_refused(make_event):
    with pytest.raises(ValidationFailed) as error:
        make_event(starts_at="2027-03-28T02:30:00", ends_at="2027-03-28T04:00:00")
    assert "starts_at" in error.value.fields


def test_every_bad_field_is_reported_at_once(app):
    data = services.EventInput(title="", kind="party", starts_at="tomorrow", ends_at=None, timezone="Mars/Olympus")
    with pytest.raises(ValidationFailed) as error:
        services.create_event(data)
    assert {"title", "kind", "timezone"} <= set(error.value.fields)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_an_event_must_end_after_it_starts(make_event):
    with pytest.raises(ValidationFailed) as error:
        make_event(starts_at="2027-01-15T14:00:00", ends_at="2027-01-15T14:00:00")
    assert error.value.fields == {"ends_at": "must be after starts_at"}


def test_events_of_a_series_are_numbered_in_order(make_series, make_event, now):
    series = make_series(slug="buy-social-taskforce-danmark")
    first = make_event(series=series.slug, starts_at=now + timedelta(days=1))
    second = make_event(series=series.slug, starts_at=now + timedelta(days=60))
    assert (first.number, second.number) == (1, 2)


def test_a_number_is_used_once_per_series(make_series, make_event):
    series = make_series()
    make_event(series=series.slug, number=3)
    with pytest.raises(Conflict):
        make_event(series=series.slug, number=3)


def test_events_inherit_the_visibility_of_their_series(make_series, make_event):
    series = make_series(visibility="members")
    assert make_event(series=series.slug).visibility == Visibility.MEMBERS


def test_moving_an_event_raises_its_sequence_but_retitling_does_not(make_event):
    event = make_event()
    services.update_event(event, {"title": "Renamed"})
    assert event.sequence == 0
    services.update_event(event, {"starts_at": "2027-02-01T14:00:00", "ends_at": "2027-02-01T15:30:00"})
    assert event.sequence == 1


def test_cancelling_keeps_the_event_and_is_idempotent(make_event, now):
    event = make_event()
    services.cancel_event(event, now=now)
    services.cancel_event(event, now=now)
    assert event.status == EventStatus.CANCELLED
    assert event.sequence == 1
    assert event.cancelled_at == now


def test_update_event_announces_the_fields_that_changed(make_event, now):
    event = make_event(title="Plenary")
    old_start = event.starts_at
    received = []

    def listener(sender, **kwargs):
        received.append((sender, kwargs))

    with event_changed.connected_to(listener):
        services.update_event(
            event, {"title": "Plenary", "starts_at": "2027-02-01T14:00:00", "ends_at": "2027-02-01T15:30:00"}, now=now
        )
        services.update_event(event, {"title": "Plenary"}, now=now)  # nothing changed: nothing announced
    assert len(received) == 1
    sender, kwargs = received[0]
    assert sender is event and kwargs["now"] == now
    assert set(kwargs["changes"]) == {"starts_at", "ends_at"}
    assert kwargs["changes"]["starts_at"] == (old_start, event.starts_at)


def test_cancel_event_announces_once(make_event, now):
    event = make_event()
    received = []
    with event_cancelled.connected_to(lambda sender, **kwargs: received.append((sender, kwargs["now"]))):
        services.cancel_event(event, now=now)
        services.cancel_event(event, now=now)
    assert received == [(event, now)]


def test_signal_handlers_are_connected_once_however_many_apps_are_built(app):
    from eventhub import _connect_signals
    from eventhub.registration import handlers

    receivers_before = len(event_changed.receivers)
    _connect_signals(app)  # what create_app does for every new app
    assert len(event_changed.receivers) == receivers_before
    assert handlers.on_event_changed in event_changed.receivers.values()


def test_a_cancelled_event_cannot_be_edited(make_event, now):
    event = make_event()
    services.cancel_event(event, now=now)
    with pytest.raises(Conflict):
        services.update_event(event, {"title": "Back on"})


def test_emails_are_unique_whatever_the_capitals(app):
    first = people.get_or_create_person("Mette.Hansen@Example.org", name="Mette Hansen")
    again = people.get_or_create_person("mette.hansen@example.ORG ")
    assert first.id == again.id
    assert first.email == "mette.hansen@example.org"


def test_the_database_refuses_an_upper_case_email(app):
    db.session.add(Person(name="Raw", email="Raw@Example.org"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_adding_a_member_twice_keeps_one_membership(make_series):
    series = make_series()
    _, created = services.add_series_member(series, "per@example.org", "Per", "Sociale Entreprenører i Danmark")
    _, created_again = services.add_series_member(series, "PER@example.org")
    assert (created, created_again) == (True, False)
    assert len(services.members_of(series)) == 1
    assert services.members_of(series)[0].person.organisation.name == "Sociale Entreprenører i Danmark"


def test_slug_must_be_simple(app):
    with pytest.raises(ValidationFailed):
        services.create_series("Buy Social!", "Title")


def test_duplicate_series_slug_conflicts(make_series):
    make_series(slug="bsi-2019")
    with pytest.raises(Conflict):
        make_series(slug="bsi-2019")


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_organisation_name_means_no_organisation(app, blank):
    """A form or API body may send "" for "no organisation"; it must not reach the relationship as a string."""
    from eventhub.events.people import get_or_create_person

    person = get_or_create_person("blank-org@example.org", "Blank Org", blank)
    assert person.organisation is None


@pytest.mark.parametrize(
    ("closes_in", "invitation_only", "cancelled", "registrations", "requests"),
    [
        (timedelta(days=1), False, False, True, False),
        (timedelta(days=1), True, False, True, True),
        (timedelta(0), True, False, False, False),  # the closing moment itself is closed
        (None, True, False, True, True),  # no closing time: open until the start
        (timedelta(days=1), True, True, False, False),
    ],
)
def test_registration_is_open_until_the_closing_time_or_else_the_start(
    make_event, now, closes_in, invitation_only, cancelled, registrations, requests
):
    starts_at = now + timedelta(days=3) if closes_in is None else now + closes_in + timedelta(days=2)
    event = make_event(
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        registration_closes_at=None if closes_in is None else now + closes_in,
        invitation_only=invitation_only,
    )
    if cancelled:
        services.cancel_event(event, now)
    assert event.registration_closes_at_or_start == (starts_at if closes_in is None else now + closes_in)
    assert (event.takes_registrations(now), event.takes_requests(now)) == (registrations, requests)


def test_the_closing_rule_reads_the_same_in_sql(make_event, now):
    """``registration_closes_at_or_start`` in a query picks the same events as in Python."""
    with_closing = make_event(registration_closes_at=now + timedelta(hours=1), starts_at=now + timedelta(days=2))
    without = make_event(starts_at=now + timedelta(hours=2), ends_at=now + timedelta(hours=3))
    later = make_event(starts_at=now + timedelta(days=5), ends_at=now + timedelta(days=5, hours=1))
    query = sa.select(Event.id).where(Event.registration_closes_at_or_start <= now + timedelta(hours=3))
    assert set(db.session.scalars(query)) == {with_closing.id, without.id}
    assert [e.registration_closes_at_or_start <= now + timedelta(hours=3) for e in (with_closing, without, later)] == [
        True,
        True,
        False,
    ]
