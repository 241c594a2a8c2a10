"""The 405, 409 and 410 pages: the site's layout, what happened and what to do; a withdrawn invitation says so.
The API keeps answering JSON."""

from __future__ import annotations

from datetime import timedelta

from eventhub.extensions import db
from eventhub.registration.invitations import revoke_invitation
from tests.web.conftest import visible_text


def page_text(response) -> str:
    return visible_text(response.get_data(as_text=True))


def test_a_withdrawn_invitation_says_the_organiser_withdrew_it(client, conference, invite, now):
    invitation, token = invite(conference())
    revoke_invitation(invitation, now)
    db.session.commit()
    response = client.get(f"/invitations/{token}")
    assert response.status_code == 410
    text = page_text(response)
    assert "This link no longer works (410)" in text
    assert "This invitation was withdrawn by the organiser." in text
    assert "reply to the email that brought you here" in text
    assert 'class="site-header"' in response.get_data(as_text=True)  # the site's layout


def test_a_withdrawn_invitation_in_danish(client, conference, invite, now):
    invitation, token = invite(conference())
    revoke_invitation(invitation, now)
    db.session.commit()
    text = page_text(client.get(f"/invitations/{token}?lang=da"))
    assert "Invitationen er trukket tilbage af arrangøren." in text


def test_an_invitation_after_registration_closed_says_so(client, conference, invite, frozen_clock, now):
    event = conference()
    _, token = invite(event)
    db.session.commit()
    frozen_clock.set(event.registration_closes_at_or_start + timedelta(minutes=1))
    response = client.get(f"/invitations/{token}")
    assert response.status_code == 410
    assert "Registration for this event has closed." in page_text(response)


def test_a_405_explains_what_to_do(client, conference, invite):
    _, token = invite(conference())
    db.session.commit()
    response = client.get(f"/invitations/{token}/decline")  # the decline button posts; a typed URL does not
    assert response.status_code == 405
    text = page_text(response)
    assert "This address does not take that request (405)" in text
    assert "Go back to the previous page and use its buttons and links." in text
    assert "Back to the home page" in text


def test_a_409_shows_the_reason_and_what_to_do(client, conference, invite, make_organiser, login, now):
    from eventhub.registration.services import cancel_registration, register_invitee

    invitation, _ = invite(conference())
    registration = register_invitee(invitation, "Anna", None, {}, now).registration
    cancel_registration(registration, now)
    organiser = make_organiser(registration.event)
    db.session.commit()
    login(organiser)
    response = client.get(f"/events/{registration.event_id}/manage/registrations/{registration.id}/cancel")
    assert response.status_code == 409
    text = page_text(response)
    assert "This could not be done (409)" in text and "This registration is cancelled" in text
    assert "reload the page to see how things are now" in text


def test_api_errors_stay_json(client, conference, admin):
    event = conference()
    db.session.commit()
    not_allowed = client.put(f"/api/v1/events/{event.id}", json={}, headers=admin)
    assert not_allowed.status_code == 405 and not_allowed.is_json
    assert not_allowed.get_json()["error"]["code"] == "method_not_allowed"
