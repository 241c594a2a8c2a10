"""What a receiving server sees of eventhub as a sender: the envelope sender for bounces, a From that is not
``noreply@`` (with the organiser's name), a Reply-To a person reads, and headers that parse strictly."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from eventhub.extensions import db, mail
from eventhub.mail.sender import send_due
from eventhub.mail.services import RenderedEmail, queue_email

STRICT = policy.SMTP.clone(raise_on_defect=True)


@pytest.fixture
def deliver(app, smtp_server, make_person, now):
    """Queue one email (of ``event``, when given), send it through aiosmtpd; returns what the server received."""
    app.config.update(smtp_server.config())
    mail.init_app(app)

    def run(event=None, headers=None, attachments=None):
        person = make_person(email="reader@example.org", name="Reader")
        email = RenderedEmail(subject="Subject", text="Hello\n", html="<p>Hello</p>")
        queue_email(
            dedup_key="one",
            kind="test",
            recipient=person,
            email=email,
            now=now,
            event=event,
            headers=headers,
            attachments=attachments,
        )
        db.session.commit()
        assert send_due(now, "w1").sent == 1
        assert smtp_server.wait_for(1) == 1
        return smtp_server.handler.received[0]

    return run


def test_the_envelope_sender_is_the_return_path_while_from_stays(app, deliver):
    app.config.update(MAIL_DEFAULT_SENDER="Eventhub <events@example.org>", MAIL_RETURN_PATH="bounces@example.org")

    received = deliver()

    assert received.mail_from == "bounces@example.org"
    message = message_from_bytes(received.raw, policy=STRICT)
    assert message["From"].addresses[0].addr_spec == "events@example.org"


def test_without_a_return_path_the_envelope_sender_is_the_from_address(app, deliver):
    app.config.update(MAIL_DEFAULT_SENDER="Eventhub <events@example.org>", MAIL_RETURN_PATH=None)
    assert deliver().mail_from == "events@example.org"


def test_the_default_sender_is_not_noreply():
    from config import Config

    assert "noreply" not in Config.MAIL_DEFAULT_SENDER and "no-reply" not in Config.MAIL_DEFAULT_SENDER


def test_from_carries_the_series_organiser_name_and_reply_to_goes_to_a_person(app, deliver, make_event, make_series):
    app.config.update(MAIL_DEFAULT_SENDER="eventhub <eventhub@example.org>", MAIL_REPLY_TO="Ida Holm <ida@example.org>")
    series = make_series(title="Buy Social Taskforce")
    series.organiser_name = "Buy Social Europe"
    event = make_event(series=series.slug)

    message = message_from_bytes(deliver(event=event).raw, policy=STRICT)

    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Buy Social Europe", "eventhub@example.org")
    [reply_to] = message["Reply-To"].addresses
    assert (reply_to.display_name, reply_to.addr_spec) == ("Ida Holm", "ida@example.org")


CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nPRODID:-//eventhub//test//EN\r\nEND:VCALENDAR\r\n"


@pytest.mark.parametrize(
    "attachments",
    [None, [{"filename": "invite.ics", "content_type": "text/calendar", "method": "REQUEST", "content": CALENDAR}]],
)
def test_every_email_is_auto_submitted_with_one_mime_version(app, deliver, attachments):
    received = deliver(headers={"Auto-Submitted": "auto-generated", "MIME-Version": "1.0"}, attachments=attachments)

    message = message_from_bytes(received.raw, policy=STRICT)
    assert message.get_all("Auto-Submitted") == ["auto-generated"]
    assert message.get_all("MIME-Version") == ["1.0"]
    assert received.raw.count(b"\r\nMIME-Version:") + received.raw.startswith(b"MIME-Version:") == 1
    for name in ("From", "To", "Subject", "Date", "Message-ID"):
        assert len(message.get_all(name)) == 1, name
