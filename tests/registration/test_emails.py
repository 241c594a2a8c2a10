"""The emails of the invitation path: calendar parts read back by vobject (not the icalendar library that wrote
them), escaping of names and answers, update and cancel notices, follow-ups through the planner."""

from datetime import timedelta

import vobject

from eventhub.events.services import cancel_event, update_event
from eventhub.mail.message import OutgoingEmail, build_message
from eventhub.registration.followups import run_invitation_followups
from eventhub.registration.services import cancel_registration, register_invitee
from tests.registration.conftest import emails_of, last_email

HOSTILE = '<script>alert("x")</script> Ølse & "Бойко"'


def calendar_of(message) -> vobject.base.Component:
    (part,) = message.attachments
    return vobject.readOne(part["content"])


def _registered(conference, invite, now, **event):
    invitation, _ = invite(conference(**event))
    return register_invitee(invitation, invitation.person.name, None, {}, now).registration


def test_confirmation_carries_an_itip_request(conference, invite, now):
    registration = _registered(conference, invite, now)
    message = last_email("registration_confirmed")
    part = message.attachments[0]
    assert part["content_type"].startswith("text/calendar") and part["method"] == "REQUEST"
    calendar = calendar_of(message)
    assert calendar.method.value == "REQUEST"
    vevent = calendar.vevent
    assert vevent.uid.value.startswith(f"event-{registration.event_id}@")
    assert int(vevent.sequence.value) == 0
    assert vevent.attendee.value.lower() == "mailto:anna@example.org"
    assert "mailto:" in vevent.organizer.value
    assert vevent.dtstart.value == registration.event.starts_at


def test_the_mime_part_is_text_calendar_with_its_method(conference, invite, now):
    _registered(conference, invite, now)
    raw = build_message(
        OutgoingEmail.from_row(last_email("registration_confirmed")), "eventhub <noreply@eventhub.test>", now
    )
    assert b'Content-Type: text/calendar; charset="utf-8"; method="REQUEST"' in raw or b'method="REQUEST"' in raw


def test_moving_the_event_sends_an_update_with_a_higher_sequence_and_the_same_uid(conference, invite, now):
    registration = _registered(conference, invite, now)
    uid = calendar_of(last_email("registration_confirmed")).vevent.uid.value
    update_event(registration.event, {"location": "Brno, Exhibition Centre"}, now=now)
    update_event(registration.event, {"title": "Renamed only"}, now=now)  # no SEQUENCE change, no update email
    (update,) = emails_of("event_update")
    assert update.dedup_key == f"event-update:{registration.event_id}:1:{registration.id}"
    calendar = calendar_of(update)
    assert (calendar.method.value, calendar.vevent.uid.value, int(calendar.vevent.sequence.value)) == (
        "REQUEST",
        uid,
        1,
    )
    assert "Brno" in calendar.vevent.location.value


def test_cancelling_a_registration_sends_method_cancel(conference, invite, now):
    registration = _registered(conference, invite, now)
    cancel_registration(registration, now)
    calendar = calendar_of(last_email("registration_cancelled"))
    assert calendar.method.value == "CANCEL" and calendar.vevent.status.value == "CANCELLED"
    assert calendar.vevent.uid.value.startswith(f"event-{registration.event_id}@")


def test_cancelling_the_event_sends_method_cancel_with_the_new_sequence(conference, invite, now):
    registration = _registered(conference, invite, now)
    cancel_event(registration.event, now)
    calendar = calendar_of(last_email("event_update_cancelled"))
    assert calendar.method.value == "CANCEL" and int(calendar.vevent.sequence.value) == 1


def test_html_in_names_and_event_titles_is_escaped_in_the_html_part(conference, invite, now):
    invitation, _ = invite(conference(title=f"Conference {HOSTILE}"), name=HOSTILE)
    message = last_email("invitation")
    assert "<script>" not in message.body_html and "&lt;script&gt;" in message.body_html
    assert HOSTILE in message.body_text  # plain text shows it as it is
    register_invitee(invitation, HOSTILE, None, {}, now)
    assert "<script>" not in last_email("registration_confirmed").body_html


def test_danish_invitee_gets_danish_text(conference, invite, now):
    invite(conference(), "mette@kk.dk", "Mette", language="da")
    assert "inviteret" in last_email("invitation").body_text


def test_unanswered_invitations_get_one_follow_up_before_closing(app, conference, invite, now):
    app.config["INVITATION_FOLLOWUP_HOURS"] = 48
    event = conference()
    pending, _ = invite(event, "pending@example.org")
    answered, _ = invite(event, "answered@example.org")
    register_invitee(answered, "Answered", None, {}, now)
    closes = event.registration_closes_at
    assert run_invitation_followups(closes - timedelta(hours=49)) == 0
    assert emails_of("invitation_followup") == []
    assert run_invitation_followups(closes - timedelta(hours=47)) == 1
    assert run_invitation_followups(closes - timedelta(hours=46)) == 0
    (followup,) = emails_of("invitation_followup")
    assert followup.recipient_email == "pending@example.org" and "/invitations/" in followup.body_text
    # The follow-up is the invitation with its own opening line, in both parts.
    for body in (followup.body_text, followup.body_html):
        assert "We have not heard from you yet" in body and "You are invited to" not in body
        assert "/invitations/" in body


def test_someone_invited_inside_the_follow_up_window_gets_no_follow_up(app, conference, invite, now):
    event = conference(registration_closes_at=now + timedelta(hours=24))
    invite(event)
    run_invitation_followups(now + timedelta(hours=1))
    assert emails_of("invitation_followup") == []
