"""The pure iCalendar builder: iTIP invitations for the invitation emails, and the links it builds by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventhub.events.services import cancel_event
from eventhub.extensions import db
from eventhub.ical import Organizer, event_page_url, itip_event
from eventhub.urls import absolute_url
from tests.calendar.conftest import by_uid, parse

ORGANIZER = Organizer("Buy Social Taskforce", "sekretariat@example.dk")


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_itip_invitation_has_the_feeds_uid_and_sequence(client, make_event, frozen_clock, now, method):
    event = make_event(title="Bordet rundt; siden sidst, næste møde")
    if method == "CANCEL":
        cancel_event(event, now=now)
    db.session.commit()
    feed_event = by_uid(parse(client.get(f"/events/{event.id}.ics").data))[f"event-{event.id}@eventhub.test"]

    calendar = parse(
        itip_event(
            event, "anne@example.dk", "Anne Rahbek, Århus Kommune", method, now, "http://eventhub.test", ORGANIZER
        )
    )

    assert calendar.method.value == method
    component = calendar.vevent
    assert component.uid.value == feed_event.uid.value
    assert component.sequence.value == feed_event.sequence.value == ("1" if method == "CANCEL" else "0")
    assert component.status.value == ("CANCELLED" if method == "CANCEL" else "CONFIRMED")
    assert component.organizer.value == "mailto:sekretariat@example.dk"
    assert component.attendee.value == "mailto:anne@example.dk"
    assert component.attendee.params["CN"] == ["Anne Rahbek, Århus Kommune"]
    assert component.attendee.params["PARTSTAT"] == ["NEEDS-ACTION"]
    assert component.attendee.params["RSVP"] == ["TRUE"]
    assert component.dtstamp.value == now
    assert component.summary.value == "Bordet rundt; siden sidst, næste møde"
    assert [tz.tzid.value for tz in calendar.vtimezone_list] == ["Europe/Copenhagen"]


def test_itip_refuses_other_methods(make_event, now):
    with pytest.raises(ValueError):
        itip_event(make_event(), "a@example.dk", "A", "PUBLISH", now, "http://eventhub.test", ORGANIZER)  # type: ignore[arg-type]


def test_event_page_url_matches_the_route(make_event, app):
    event = make_event()
    with app.test_request_context():
        assert event_page_url(app.config["BASE_URL"], event.id) == absolute_url("events.event", event_id=event.id)


def test_organizer_from_the_sender_address():
    assert Organizer.from_address("eventhub <noreply@eventhub.example.org>") == Organizer(
        "eventhub", "noreply@eventhub.example.org"
    )
    assert Organizer.from_address("noreply@example.org") == Organizer("noreply@example.org", "noreply@example.org")


def test_feed_description_carries_the_published_agenda_as_agenda_as_text_writes_it(
    client, make_event, make_person, frozen_clock, now
):
    from eventhub.agenda.services import agenda_as_text, publish_agenda, replace_agenda

    owner = make_person(name="Per Bach", organisation="Århus Kommune")
    event = make_event()
    start = event.starts_at
    items = [
        {"starts_at": start.isoformat(), "duration_minutes": 5, "title": "Velkommen", "owner": owner.email},
        {
            "starts_at": (start + timedelta(minutes=5)).isoformat(),
            "duration_minutes": 30,
            "title": "Bordet rundt; siden sidst, næste møde",
        },
    ]
    replace_agenda(event, items, now=now)
    unpublished = by_uid(parse(client.get(f"/events/{event.id}.ics").data))[f"event-{event.id}@eventhub.test"]
    publish_agenda(event, now=now)
    db.session.commit()

    component = by_uid(parse(client.get(f"/events/{event.id}.ics").data))[f"event-{event.id}@eventhub.test"]

    assert "Velkommen" not in unpublished.description.value
    assert agenda_as_text(event) in component.description.value
    assert "13.00–13.05 Velkommen (Per Bach, Århus Kommune)" in component.description.value
