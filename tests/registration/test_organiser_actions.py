"""An organiser cancels someone's registration or moves it between confirmed and the waiting list: the services
(the same rules as the invitee's own cancel and the waiting list), the confirmation pages, the emails as a mail
client shows them, and who may do it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventhub.errors import Conflict
from eventhub.extensions import db
from eventhub.registration.models import RegistrationStatus
from eventhub.registration.organiser_actions import (
    OverCapacity,
    RegistrationAction,
    perform_action,
    preview_action,
)
from eventhub.registration.services import register_invitee
from tests.conftest import csrf_token_from, grant_organiser
from tests.registration.conftest import as_received, emails_of, last_email

CANCEL, WAITLIST, CONFIRM = RegistrationAction.CANCEL, RegistrationAction.WAITLIST, RegistrationAction.CONFIRM


def registered(event, invite, now, email):
    invitation, _ = invite(event, email, email.split("@")[0].title())
    return register_invitee(invitation, invitation.person.name, None, {}, now).registration


@pytest.fixture
def full_event(conference, invite, now):
    """Capacity 2: p0 and p1 confirmed, p2 and p3 waiting (in that order)."""
    event = conference(capacity=2)
    people = [registered(event, invite, now + timedelta(minutes=i), f"p{i}@example.org") for i in range(4)]
    return event, people


@pytest.fixture
def organiser(full_event, make_organiser):
    """The organiser who manages the full event (organiser rights are per series, or the creator of an event
    without one)."""
    return make_organiser(full_event[0], email="olga@example.org", name="Olga Organiser")


def test_cancelling_a_confirmed_place_promotes_the_first_waiting_as_when_the_person_cancels(full_event, organiser, now):
    event, (p0, _p1, p2, p3) = full_event
    later = now + timedelta(hours=1)

    perform_action(p0, CANCEL, organiser, later)

    assert (p0.status, p0.status_changed_by_id) == (RegistrationStatus.CANCELLED, organiser.id)
    assert (p2.status, p3.status) == (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
    cancelled = as_received(last_email("registration_cancelled", "p0@example.org"))
    assert "The organiser has cancelled your registration" in cancelled["text"]
    assert cancelled["method"] == "CANCEL"
    promoted = as_received(last_email("waitlist_promoted", "p2@example.org"))
    assert "a place became free" in promoted["text"] and promoted["method"] == "REQUEST"


def test_the_cancel_preview_names_who_gets_the_freed_place(full_event, organiser, now):
    event, (p0, _p1, p2, _p3) = full_event
    preview = preview_action(p0, CANCEL, now)
    assert [person.email for person in preview.emailed] == ["p0@example.org", "p2@example.org"]
    assert emails_of("registration_cancelled") == []  # a preview changes nothing


def test_moving_to_the_waiting_list_puts_them_last_with_a_calendar_cancel_and_promotes_nobody(
    full_event, organiser, now
):
    event, (p0, p1, p2, p3) = full_event
    assert preview_action(p1, WAITLIST, now).waitlist_position == 3

    perform_action(p1, WAITLIST, organiser, now + timedelta(hours=1))

    assert (p1.status, p1.waitlist_position, p1.status_changed_by_id) == (
        RegistrationStatus.WAITLISTED,
        3,
        organiser.id,
    )
    assert p2.status == RegistrationStatus.WAITLISTED  # the freed seat is the organiser's to give
    shown = as_received(last_email("waitlist_moved", "p1@example.org"))
    assert shown["subject"].startswith("Moved to the waiting list")
    assert "moved your registration to the waiting list (number 3)" in shown["text"]
    assert shown["method"] == "CANCEL" and "/registrations/" in shown["text"]


def test_moving_to_confirmed_sends_the_confirmation_with_a_calendar_request(full_event, organiser, now):
    event, (p0, p1, p2, p3) = full_event
    perform_action(p0, CANCEL, organiser, now)  # p2 promoted; one seat each, full again
    with pytest.raises(OverCapacity):
        perform_action(p3, CONFIRM, organiser, now)
    assert p3.status == RegistrationStatus.WAITLISTED

    perform_action(p3, CONFIRM, organiser, now, over_capacity=True)

    assert (p3.status, p3.waitlist_position, p3.status_changed_by_id) == (
        RegistrationStatus.CONFIRMED,
        None,
        organiser.id,
    )
    shown = as_received(last_email("waitlist_promoted", "p3@example.org"))
    assert "the organiser has moved you from the waiting list to a confirmed place" in shown["text"]
    assert shown["method"] == "REQUEST"


def test_confirming_while_places_are_free_needs_no_over_capacity(full_event, organiser, now):
    event, (p0, p1, p2, p3) = full_event
    perform_action(p1, WAITLIST, organiser, now)
    assert preview_action(p3, CONFIRM, now).over_capacity is False
    perform_action(p3, CONFIRM, organiser, now)
    assert p3.status == RegistrationStatus.CONFIRMED


@pytest.mark.parametrize("action", [CANCEL, WAITLIST, CONFIRM])
def test_actions_that_do_not_apply_are_refused(full_event, organiser, now, action):
    event, (p0, p1, p2, p3) = full_event
    perform_action(p0, CANCEL, organiser, now)
    with pytest.raises(Conflict):
        perform_action(p0, action, organiser, now)
    with pytest.raises(Conflict):
        perform_action(p1 if action == CONFIRM else p3, action if action != CANCEL else WAITLIST, organiser, now)


def test_nothing_changes_on_a_cancelled_event(full_event, organiser, now):
    from eventhub.events.services import cancel_event

    event, (p0, *_rest) = full_event
    cancel_event(event, now)
    with pytest.raises(Conflict, match="cancelled"):
        perform_action(p0, CANCEL, organiser, now)


# ---------------------------------------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------------------------------------


def _path(event, registration, action):
    return f"/events/{event.id}/manage/registrations/{registration.id}/{action}"


def test_the_registrations_page_links_each_row_to_its_actions(client, full_event, organiser, login):
    event, (p0, _p1, p2, _p3) = full_event
    db.session.commit()
    login(organiser)
    page = client.get(f"/events/{event.id}/manage/registrations").get_data(as_text=True)
    assert _path(event, p0, "waitlist") in page and _path(event, p0, "cancel") in page
    assert _path(event, p2, "confirm") in page and _path(event, p0, "confirm") not in page


def test_the_confirmation_page_says_who_what_happens_and_who_is_emailed(client, full_event, organiser, login):
    event, (p0, *_rest) = full_event
    db.session.commit()
    login(organiser)
    page = client.get(_path(event, p0, "cancel")).get_data(as_text=True)
    assert "Cancel the registration of P0" in page and "p0@example.org" in page
    assert "The freed place goes to the first on the waiting list, P2 (p2@example.org)" in page
    assert "2 people are emailed." in page
    assert emails_of("registration_cancelled") == []


def test_posting_the_confirmation_acts_and_redirects_with_a_message(client, full_event, organiser, login):
    event, (p0, p1, p2, p3) = full_event
    db.session.commit()
    login(organiser)
    csrf = csrf_token_from(client.get(_path(event, p1, "waitlist")).get_data(as_text=True))
    response = client.post(_path(event, p1, "waitlist"), data={"csrf_token": csrf})
    assert response.status_code == 302 and response.headers["Location"].endswith("/manage/registrations")
    db.session.expire_all()
    assert p1.status == RegistrationStatus.WAITLISTED and p1.status_changed_by_id == organiser.id
    assert "P1 is on the waiting list now" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_confirming_into_a_full_event_asks_for_the_over_capacity_box(client, full_event, organiser, login):
    event, (p0, p1, p2, p3) = full_event
    db.session.commit()
    login(organiser)
    page = client.get(_path(event, p2, "confirm")).get_data(as_text=True)
    assert "this place would be over capacity" in page and 'name="over_capacity"' in page
    csrf = csrf_token_from(page)

    refused = client.post(_path(event, p2, "confirm"), data={"csrf_token": csrf})
    assert refused.status_code == 409 and "The event is full" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert p2.status == RegistrationStatus.WAITLISTED and emails_of("waitlist_promoted") == []

    done = client.post(_path(event, p2, "confirm"), data={"csrf_token": csrf, "over_capacity": "y"})
    assert done.status_code == 302
    db.session.expire_all()
    assert p2.status == RegistrationStatus.CONFIRMED


def test_an_action_that_no_longer_applies_answers_409_with_the_reason(client, full_event, organiser, login):
    event, (p0, *_rest) = full_event
    perform_action(p0, CANCEL, organiser, event.starts_at - timedelta(days=1))
    db.session.commit()
    login(organiser)
    response = client.get(_path(event, p0, "waitlist"))
    assert response.status_code == 409
    assert "This registration is cancelled" in response.get_data(as_text=True)


def test_a_post_without_csrf_changes_nothing(client, full_event, organiser, login):
    event, (p0, *_rest) = full_event
    db.session.commit()
    login(organiser)
    assert client.post(_path(event, p0, "cancel"), data={}).status_code == 400
    db.session.expire_all()
    assert p0.status == RegistrationStatus.CONFIRMED


def test_a_registration_of_another_event_is_not_found(client, full_event, conference, organiser, login):
    event, (p0, *_rest) = full_event
    other = conference(title="Another conference")
    grant_organiser(organiser, other)  # they manage both: the registration is not the other event's
    db.session.commit()
    login(organiser)
    assert client.get(f"/events/{other.id}/manage/registrations/{p0.id}/cancel").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "member", "secretary", "other_organiser", "organiser", "admin"])
@pytest.mark.parametrize("action", ["cancel", "waitlist", "confirm"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_permission_matrix(client, full_event, login, make_user, make_organiser, role, action, method):
    event, (p0, p1, p2, p3) = full_event
    target = p2 if action == "confirm" else p0
    if role == "organiser":
        login(make_organiser(event))
    elif role == "other_organiser":
        login(make_organiser())  # organises nothing of this event (its creator is another)
    elif role != "anonymous":
        login(make_user(role))
    db.session.commit()
    data = (
        {"csrf_token": csrf_token_from(client.get(f"/events/{event.id}/request-invitation").get_data(as_text=True))}
        if method == "post"
        else None
    )
    response = getattr(client, method)(_path(event, target, action), data=data)
    staff = {"get": 200, "post": 409 if action == "confirm" else 302}[method]  # confirm: p2 into a full event
    expected = {"anonymous": 302, "member": 403, "secretary": 403, "other_organiser": 403}.get(role, staff)
    assert response.status_code == expected
    db.session.expire_all()
    if expected in (302, 403) and role not in ("organiser", "admin"):
        assert target.status_changed_by_id is None and emails_of("waitlist_moved") == []


# ---------------------------------------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------------------------------------


def _api(event, registration, action):
    return f"/api/v1/events/{event.id}/registrations/{registration.id}/{action}"


def test_the_api_cancels_and_moves_with_the_same_rules(client, full_event, organiser_auth):
    event, (p0, p1, p2, p3) = full_event
    headers = organiser_auth(event)
    db.session.commit()

    cancelled = client.post(_api(event, p0, "cancel"), headers=headers)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert last_email("waitlist_promoted", "p2@example.org")  # the freed place went to the first waiting

    moved = client.post(_api(event, p1, "waitlist"), headers=headers)
    assert moved.get_json()["status"] == "waitlisted" and moved.get_json()["waitlist_position"] == 3

    assert client.post(_api(event, p3, "confirm"), headers=headers).status_code == 200  # a seat is free
    full = client.post(_api(event, p1, "confirm"), headers=headers)
    assert full.status_code == 409 and full.get_json()["error"]["code"] == "over_capacity"
    forced = client.post(_api(event, p1, "confirm"), json={"over_capacity": True}, headers=headers)
    assert forced.status_code == 200 and forced.get_json()["status"] == "confirmed"

    assert client.post(_api(event, p0, "cancel"), headers=headers).status_code == 409  # already cancelled


@pytest.mark.parametrize("role", ["member", "secretary", "other_organiser"])
def test_the_api_actions_are_for_organisers_of_the_event(client, full_event, auth, organiser_auth, role):
    event, (p0, *_rest) = full_event
    headers = organiser_auth() if role == "other_organiser" else auth(role)
    db.session.commit()
    assert client.post(_api(event, p0, "cancel"), headers=headers).status_code == 403
    assert client.post(_api(event, p0, "cancel")).status_code == 401
