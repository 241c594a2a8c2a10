"""The emails with personal links, read the way a mail client shows them (the MIME message the sender builds):
the button and the text part carry the same link, and it leads where the email says."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import sqlalchemy as sa

from eventhub.accounts import link_emails
from eventhub.accounts.models import LinkPurpose
from eventhub.events.services import add_series_member
from eventhub.extensions import db
from eventhub.mail.message import OutgoingEmail, build_message
from eventhub.mail.models import OutboxMessage
from eventhub.minutes import emails, services
from tests.accounts.link_support import link_in


def as_read(kind: str, address: str, now) -> EmailMessage:
    row = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.kind == kind, OutboxMessage.recipient_email == address)
    )
    assert row is not None, f"no {kind} email to {address}"
    raw = build_message(OutgoingEmail.from_row(row), "eventhub <eventhub@example.org>", now)
    return message_from_bytes(raw, policy=policy.default)


def button(message: EmailMessage, label: str) -> str:
    html = message.get_body(("html",)).get_content()
    match = re.search(rf'<a href="([^"]+)"[^>]*>{re.escape(label)}</a>', html)
    assert match, html
    return match[1]


def text(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def test_the_circulated_draft_links_each_attendee_to_the_comments_signed_in(taskforce, make_person, now):
    guest = make_person(email="guest@example.org", name="Gitte Gæst")  # attended, no account, no membership
    event = taskforce.meeting3
    services.update_minutes(event, {"body": "Udkast", "attendees": [guest.email, taskforce.member.email]}, now)
    emails.circulate_minutes(event, now)

    for person in (guest, taskforce.member.person):
        message = as_read("minutes_circulated", person.email, now)
        link = button(message, "Read and comment")
        assert f"Read and comment: {link}" in text(message)
        stored = link_in(link)
        assert stored.person == person and stored.purpose == LinkPurpose.PERSONAL
        assert stored.target == f"/events/{event.id}/minutes/comments"
    assert button(as_read("minutes_circulated", guest.email, now), "Read and comment") != button(
        as_read("minutes_circulated", taskforce.member.email, now), "Read and comment"
    )  # personal: one link per recipient


def test_members_only_minutes_are_linked_signed_in_public_ones_plainly(taskforce, make_series, make_event, now):
    services.update_minutes(taskforce.meeting3, {"body": "Referat"}, now)
    emails.publish_minutes(taskforce.meeting3, now, taskforce.secretary.person)
    message = as_read("minutes_published", taskforce.member.email, now)
    link = button(message, "Read the minutes")
    assert "/sign-in/" in link and f"Read them here: {link}" in text(message)
    assert link_in(link).target == "/series/buy-social-taskforce-danmark/minutes/3"

    public = make_series(slug="bsi-conferences", title="BSI conferences", visibility="public")
    meeting = make_event(title="BSI meeting", series=public.slug, number=1, starts_at=now - timedelta(days=7))
    add_series_member(public, taskforce.member.email)
    services.update_minutes(meeting, {"body": "Open minutes"}, now)
    emails.publish_minutes(meeting, now, taskforce.secretary.person)
    plain = db.session.scalar(
        sa.select(OutboxMessage).where(
            OutboxMessage.kind == "minutes_published",
            OutboxMessage.event_id == meeting.id,
            OutboxMessage.recipient_email == taskforce.member.email,
        )
    )
    # anyone may read them: a forwarded email must not sign its next reader in as the member
    assert "http://eventhub.test/series/bsi-conferences/minutes/1" in plain.body_text
    assert "/sign-in/" not in plain.body_text + plain.body_html


def test_the_sign_in_email_as_read(make_person, now):
    make_person(email="mette@example.org", name="Mette Jensen")
    link_emails.email_sign_in_link("mette@example.org", "/account", "en", now)
    message = as_read("sign_in_link", "mette@example.org", now)
    assert str(message["Subject"]) == "Your sign-in link"
    link = button(message, "Sign in")
    assert link in text(message) and "It works once, for 15 minutes" in text(message)
    assert link_in(link).purpose == LinkPurpose.SIGN_IN
