"""Lowering an event's capacity below its confirmed registrations asks what to do, in the service, on the event
form and in the API: keep everyone, or move the most recently confirmed to the front of the waiting list."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventhub.extensions import db
from eventhub.registration.capacity import CapacityDecisionNeeded, update_event_seats
from eventhub.registration.models import RegistrationStatus
from eventhub.registration.services import register_invitee
from tests.conftest import csrf_token_from
from tests.registration.conftest import as_received, emails_of


@pytest.fixture
def booked(conference, invite, now):
    """Capacity 4: p0..p3 confirmed in that order, w0 and w1 waiting."""
    event = conference(capacity=4)
    emails = [f"p{i}@example.org" for i in range(4)] + ["w0@example.org", "w1@example.org"]
    registrations = {}
    for minutes, email in enumerate(emails):
        invitation, _ = invite(event, email, email.split("@")[0].upper())
        registrations[email[:2]] = register_invitee(
            invitation, invitation.person.name, None, {}, now + timedelta(minutes=minutes)
        ).registration
    return event, registrations


def test_lowering_below_the_confirmed_count_without_a_choice_is_refused(booked, now):
    event, _ = booked
    with pytest.raises(CapacityDecisionNeeded) as refused:
        update_event_seats(event, {"capacity": 2}, None, None, now)
    assert (refused.value.status, refused.value.excess) == (409, 2)
    assert "over_capacity" in refused.value.fields


def test_keep_leaves_everyone_confirmed_and_new_registrations_wait(booked, conference, invite, now):
    event, r = booked
    update_event_seats(event, {"capacity": 2}, "keep", None, now)
    assert event.capacity == 2
    assert all(r[key].status == RegistrationStatus.CONFIRMED for key in ("p0", "p1", "p2", "p3"))
    assert emails_of("waitlist_moved") == []


def test_waitlist_latest_moves_the_most_recent_to_the_front_of_the_waiting_list(booked, make_user, now):
    event, r = booked
    organiser = make_user("organiser")
    update_event_seats(event, {"capacity": 2}, "waitlist_latest", organiser, now + timedelta(hours=1))

    assert [r[k].status for k in ("p0", "p1")] == [RegistrationStatus.CONFIRMED] * 2
    assert [(r[k].status, r[k].waitlist_position) for k in ("p2", "p3", "w0", "w1")] == [
        (RegistrationStatus.WAITLISTED, 1),
        (RegistrationStatus.WAITLISTED, 2),
        (RegistrationStatus.WAITLISTED, 3),
        (RegistrationStatus.WAITLISTED, 4),
    ]
    assert r["p3"].status_changed_by_id == organiser.id
    moved = sorted(m.recipient_email for m in emails_of("waitlist_moved"))
    assert moved == ["p2@example.org", "p3@example.org"]
    shown = as_received(emails_of("waitlist_moved", "p2@example.org")[0])
    assert "waiting list (number 1)" in shown["text"] and shown["method"] == "CANCEL"


def test_an_unknown_choice_is_a_validation_error(booked, now):
    from eventhub.errors import ValidationFailed

    event, _ = booked
    with pytest.raises(ValidationFailed):
        update_event_seats(event, {"capacity": 2}, "squeeze", None, now)


def test_raising_or_keeping_enough_capacity_needs_no_choice(booked, now):
    event, r = booked
    update_event_seats(event, {"capacity": 4, "title": "Renamed"}, None, None, now)
    update_event_seats(event, {"capacity": 5}, None, None, now)
    assert r["w0"].status == RegistrationStatus.CONFIRMED  # a larger capacity still fills from the waiting list


# ---------------------------------------------------------------------------------------------------------
# The event form and the API
# ---------------------------------------------------------------------------------------------------------


def test_the_form_asks_before_saving_and_saves_the_choice(client, booked, make_organiser, login):
    from eventhub.events.forms import form_data_of

    event, r = booked
    organiser = make_organiser(event)
    db.session.commit()
    login(organiser)
    page = client.get(f"/events/{event.id}/manage/edit").get_data(as_text=True)
    data = {
        key: ("" if value is None else value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value)
        for key, value in form_data_of(event).items()
    }
    data = {key: value for key, value in data.items() if not isinstance(value, bool) or value}
    data.update(csrf_token=csrf_token_from(page), capacity="3")

    asked = client.post(f"/events/{event.id}/manage/edit", data=data)
    body = asked.get_data(as_text=True)
    assert asked.status_code == 409
    assert "The new capacity (3) is below the 4 people already confirmed" in body
    assert 'value="keep"' in body and 'value="waitlist_latest"' in body
    db.session.expire_all()
    assert event.capacity == 4

    saved = client.post(f"/events/{event.id}/manage/edit", data={**data, "over_capacity": "waitlist_latest"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    db.session.expire_all()
    assert event.capacity == 3 and r["p3"].status == RegistrationStatus.WAITLISTED
    assert [m.recipient_email for m in emails_of("waitlist_moved")] == ["p3@example.org"]


def test_the_api_answers_409_until_told_what_to_do(client, booked, admin):
    event, r = booked
    db.session.commit()
    refused = client.patch(f"/api/v1/events/{event.id}", json={"capacity": 3}, headers=admin)
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "capacity_below_confirmed" and "over_capacity" in error["message"]

    kept = client.patch(f"/api/v1/events/{event.id}", json={"capacity": 3, "over_capacity": "keep"}, headers=admin)
    assert kept.status_code == 200 and kept.get_json()["capacity"] == 3
    db.session.expire_all()
    assert r["p3"].status == RegistrationStatus.CONFIRMED

    bad = client.patch(f"/api/v1/events/{event.id}", json={"capacity": 2, "over_capacity": "squeeze"}, headers=admin)
    assert bad.status_code == 422
