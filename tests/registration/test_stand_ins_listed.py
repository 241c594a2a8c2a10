"""An erased or anonymised person's stand-in (``privacy.stand_ins``) is listed as "Anonymised" everywhere an
organiser reads the lists: the registrations CSV (in the page's language) and the API's registration and invitation
lists (``email: null, anonymised: true``), never by its made-up ``…@anonymised.invalid`` address."""

from __future__ import annotations

import csv
import io

import pytest

from eventhub.privacy.erasure import erase_address
from eventhub.privacy.stand_ins import STAND_IN_DOMAIN
from eventhub.registration.services import register_invitee


@pytest.fixture
def event_with_a_stand_in(conference, invite, now, commit):
    """An event with two registrants, one of them erased since."""
    event = conference()
    for email, name in (("anna@example.org", "Anna"), ("bo@example.org", "Bo")):
        invitation, _ = invite(event, email, name)
        register_invitee(invitation, name, None, {}, now)
    erase_address("anna@example.org", now, actor=None)
    commit()
    return event


def test_the_csv_says_anonymised_in_the_pages_language(client, event_with_a_stand_in, make_organiser, login, commit):
    event = event_with_a_stand_in
    organiser = make_organiser(event)
    commit()
    login(organiser)
    body = client.get(f"/events/{event.id}/manage/registrations.csv?lang=da").get_data(as_text=True)
    assert STAND_IN_DOMAIN not in body
    rows = {row[1]: row[0] for row in csv.reader(io.StringIO(body.removeprefix("\ufeff")))}
    assert rows["Anonymiseret"] == "" and rows["Bo"] == "bo@example.org"  # name → email


@pytest.mark.parametrize("listed", ["registrations", "invitations"])
def test_the_api_lists_a_stand_in_without_its_address(client, admin, event_with_a_stand_in, assert_schema, listed):
    response = client.get(f"/api/v1/events/{event_with_a_stand_in.id}/{listed}", headers=admin)
    assert STAND_IN_DOMAIN not in response.get_data(as_text=True)
    items = response.get_json()["items"]
    assert_schema(response.get_json(), "RegistrationList" if listed == "registrations" else "InvitationList")
    assert {item["anonymised"]: (item["email"], item["name"]) for item in items} == {
        True: (None, ""),
        False: ("bo@example.org", "Bo"),
    }
