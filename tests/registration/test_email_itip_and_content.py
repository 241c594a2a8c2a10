"""Calendar parts for people already registered (nothing to answer), signatures, the invitation's deadline and
the acknowledgement of a request for an invitation."""

from __future__ import annotations

from datetime import timedelta

import pytest
import vobject

from eventhub.calendar.ical import itip_event, Organizer
from eventhub.events.services import update_event
from eventhub.registration.services import cancel_registration, register_invitee
from tests.registration.conftest import last_email


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

    for kind, to in [("registration_confirmed", "p0@example.org"), ("waitlist_promoted", "p1@example.org"),
                     ("event_update", "p1@example.org")]:
        attendee = attendee_of(last_email(kind, to))
        assert attendee.value.lower() == f"mailto:{to}", kind
        assert attendee.params["PARTSTAT"] == ["ACCEPTED"], kind
        assert attendee.params["RSVP"] == ["FALSE"], kind


def test_an_itip_invitation_to_someone_not_registered_still_asks(conference, now):
    raw = itip_event(conference(), "x@example.org", "X", "REQUEST", now, "http://eventhub.test", Organizer("O", "o@example.org"))
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
def test_emails_are_signed_by_the_organiser_with_a_contact_address(app, make_series, conference, invite, organiser_name, signed):
    app.config.update(MAIL_DEFAULT_SENDER="eventhub <eventhub@example.org>", MAIL_REPLY_TO="ida@example.org")
    series = make_series(title="Buy Social Taskforce")
    series.organiser_name = organiser_name
    invite(conference(series=series.slug))

    message = last_email("invitation")
    footer = message.body_text.rsplit("\n-- \n", 1)[1]
    assert signed in footer and "ida@example.org" in footer
    assert signed in message.body_html and "ida@example.org" in message.body_html
