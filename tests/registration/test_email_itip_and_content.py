"""Calendar parts for people already registered (nothing to answer), signatures, the invitation's deadline and
the acknowledgement of a request for an invitation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import vobject

from eventhub.events.services import update_event
from eventhub.extensions import db
from eventhub.ical import Organizer, itip_event
from eventhub.registration.invitation_requests import RequestInput, submit_request
from eventhub.registration.services import cancel_registration, register_invitee
from tests.registration.conftest import emails_of, last_email


def attendee_of(message):
    (part,) = message.attachments
    return vobject.readOne(part["content"]).vevent.attendee


def registered(event, invite, now, email="anna@example.org"):
    invitation, _ = invite(event, email, email.split("@")[0].title())
    return register_invitee(invitation, invitation.person.name, None, {}, now).registration


def test_confirmations_promotions_and_updates_say_the_attendee_has_accepted(conference, invite, now):
    event = conference(capacity=1)
    first = registered(event, invite, now, "p0@example.org")
    registered(event, invite, now, "p1@example.org")
    cancel_registration(first, now + timedelta(hours=1))  # p1 is promoted
    update_event(event, {"location": "Brno, Exhibition Centre"}, now=now + timedelta(hours=2))

    for kind, to in [
        ("registration_confirmed", "p0@example.org"),
        ("waitlist_promoted", "p1@example.org"),
        ("event_update", "p1@example.org"),
    ]:
        attendee = attendee_of(last_email(kind, to))
        assert attendee.value.lower() == f"mailto:{to}", kind
        assert attendee.params["PARTSTAT"] == ["ACCEPTED"], kind
        assert attendee.params["RSVP"] == ["FALSE"], kind


def test_an_itip_invitation_to_someone_not_registered_still_asks(conference, now):
    organizer = Organizer("O", "o@example.org")
    raw = itip_event(conference(), "x@example.org", "X", "REQUEST", now, "http://eventhub.test", organizer)
    attendee = vobject.readOne(raw.decode("utf-8")).vevent.attendee
    assert (attendee.params["PARTSTAT"], attendee.params["RSVP"]) == (["NEEDS-ACTION"], ["TRUE"])


def test_the_calendar_organizer_is_the_series_organiser_at_the_reply_address(app, make_series, conference, invite, now):
    app.config["MAIL_REPLY_TO"] = "Ida Holm <ida@example.org>"
    series = make_series(title="Buy Social Taskforce")
    series.organiser_name = "Buy Social Europe"
    registered(conference(series=series.slug), invite, now)

    (part,) = last_email("registration_confirmed").attachments
    organizer = vobject.readOne(part["content"]).vevent.organizer
    assert organizer.value.lower() == "mailto:ida@example.org" and organizer.params["CN"] == ["Buy Social Europe"]


@pytest.mark.parametrize("organiser_name, signed", [("Buy Social Europe", "Buy Social Europe"), (None, "eventhub")])
def test_emails_are_signed_by_the_organiser_with_a_contact_address(
    app, make_series, conference, invite, organiser_name, signed
):
    app.config.update(MAIL_DEFAULT_SENDER="eventhub <eventhub@example.org>", MAIL_REPLY_TO="ida@example.org")
    series = make_series(title="Buy Social Taskforce")
    series.organiser_name = organiser_name
    invite(conference(series=series.slug))

    message = last_email("invitation")
    footer = message.body_text.rsplit("\n-- \n", 1)[1]
    assert signed in footer and "ida@example.org" in footer
    assert signed in message.body_html and "ida@example.org" in message.body_html


def test_the_invitation_shows_the_deadline_like_the_when_line_and_makes_it_stand_out(conference, invite, now):
    event = conference(registration_closes_at=now.replace(hour=16, minute=0) + timedelta(days=30))
    invite(event)
    message = last_email("invitation")

    [line] = [line for line in message.body_text.splitlines() if line.startswith("Reply by:")]
    assert line == "Reply by: Wednesday, 23 December 2026 17:00 (Prague)"  # 17:00 in Prague, on the 24-hour clock
    assert re.search(r"\d:\d\d:\d\d", message.body_text) is None
    assert re.search(r"<strong>Reply by: [^<]*17:00 \(Prague\)</strong>", message.body_html)


def test_a_danish_invitation_writes_the_deadline_in_danish(conference, invite, now):
    invite(conference(registration_closes_at=now.replace(hour=16, minute=0) + timedelta(days=30)), language="da")
    text = last_email("invitation").body_text
    assert re.search(r"^Svar senest: onsdag den 23\. december 2026 17\.00 \(Prag\)$", text, re.MULTILINE), text


def test_a_request_for_an_invitation_is_acknowledged_in_the_same_transaction(conference, now):
    event = conference()
    data = RequestInput("Jørgen Hansen", "Jorgen@Example.dk", "Kommunen", "", "", "da")

    request = submit_request(event, data, "192.0.2.1", now)

    message = last_email("request_received", "jorgen@example.dk")
    assert message.dedup_key == f"request-received:{request.id}"
    assert (message.recipient_name, message.language, message.person_id) == ("Jørgen Hansen", "da", None)
    assert event.title in message.body_text
    db.session.rollback()  # no request, no acknowledgement
    assert emails_of("request_received") == []
