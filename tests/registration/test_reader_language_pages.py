"""Pages opened from a personal link speak the language of the email the link came in (i18n's one rule: the
reader's own language if eventhub speaks it, else the event's, else English), whatever the browser asks for; an
explicit choice (``?lang=`` or the switcher) still wins."""

from __future__ import annotations

import re

import pytest

from eventhub.extensions import db
from eventhub.registration.invitations import revoke_invitation
from eventhub.registration.services import register_invitee
from eventhub.reminders.services import unsubscribe_token
from tests.conftest import csrf_token_from
from tests.registration.conftest import last_email, token_from
from tests.web.conftest import text_of

ENGLISH_BROWSER = {"Accept-Language": "en-GB,en;q=0.9"}


def page_language(response) -> str:
    return re.search(r'<html lang="([^"]+)"', text_of(response)).group(1)


@pytest.mark.parametrize(
    ("person", "event", "expected"),
    [
        ("da", "en", "da"),  # their own language, not the browser's nor the event's
        ("pt", "da", "da"),  # not spoken: the event's
        ("pt", None, "en"),  # nothing else known: English
        ("pl", "da", "pl"),
        ("", "pl", "pl"),  # none given: the event's (the switcher's default too)
        ("en", "pl", "en"),  # an "en" given is theirs
    ],
)
def test_the_invitation_page_speaks_the_invitees_language(client, conference, invite, person, event, expected):
    _, token = invite(conference(language=event), language=person)
    db.session.commit()
    response = client.get(f"/invitations/{token}", headers=ENGLISH_BROWSER)
    assert response.status_code == 200 and page_language(response) == expected


def test_the_page_is_in_the_language_of_the_email(client, conference, invite):
    invitation, token = invite(conference(language="da"), language="pt")
    db.session.commit()
    text = text_of(client.get(f"/invitations/{token}", headers=ENGLISH_BROWSER))
    assert last_email("invitation", invitation.person.email).language == "da"
    assert "Tilmeld" in text and "Gå til indhold" in text  # Register, Skip to content


def test_an_explicit_choice_still_wins(client, conference, invite):
    _, token = invite(conference(language="da"), language="da")
    db.session.commit()
    assert page_language(client.get(f"/invitations/{token}?lang=en")) == "en"
    assert page_language(client.get(f"/invitations/{token}")) == "en"  # kept for the visit


def test_the_registration_and_waiting_list_page_speaks_the_registrants_language(client, conference, invite, now):
    event = conference(language="da", capacity=1)
    first, _ = invite(event, "first@example.org", language="en")
    second, _ = invite(event, "second@example.org", language="pt")
    register_invitee(first, "First", None, {}, now)
    register_invitee(second, "Second", None, {}, now)  # waiting: the event is full
    db.session.commit()
    waiting = token_from(last_email("waitlist_joined", "second@example.org"), "registrations")
    confirmed = token_from(last_email("registration_confirmed", "first@example.org"), "registrations")
    assert page_language(client.get(f"/registrations/{waiting}", headers=ENGLISH_BROWSER)) == "da"
    assert page_language(client.get(f"/registrations/{confirmed}", headers={"Accept-Language": "da"})) == "en"


def test_declining_answers_in_the_invitees_language(client, conference, invite):
    _, token = invite(conference(language="da"), language="pt")
    db.session.commit()
    form = text_of(client.get(f"/invitations/{token}", headers=ENGLISH_BROWSER))
    data = {"csrf_token": csrf_token_from(form)}
    response = client.post(f"/invitations/{token}/decline", data=data, headers=ENGLISH_BROWSER)
    assert response.status_code == 200 and page_language(response) == "da"


def test_a_withdrawn_invitation_says_so_in_the_invitees_language(client, conference, invite, now):
    invitation, token = invite(conference(language="da"), language="pt")
    revoke_invitation(invitation, now)
    db.session.commit()
    response = client.get(f"/invitations/{token}", headers=ENGLISH_BROWSER)
    assert response.status_code == 410 and page_language(response) == "da"
    assert "Invitationen er trukket tilbage af arrangøren." in text_of(response)


def test_the_reminder_unsubscribe_page_speaks_the_persons_language(client, make_person):
    person = make_person("dane@example.org", language="da")
    db.session.commit()
    url = f"/reminders/unsubscribe/{unsubscribe_token(person.id)}"
    assert page_language(client.get(url, headers=ENGLISH_BROWSER)) == "da"
