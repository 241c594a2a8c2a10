"""End to end through a real SMTP server: register → planner at the moment → sender → the reminder arrives once."""

from __future__ import annotations

import email
import email.policy
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from eventhub.mail.sender import send_due
from eventhub.registration.services import register
from eventhub.reminders.planner import run_planner


class Recorder:
    """Keeps every message the server accepts (aiosmtpd calls ``handle_DATA`` once per message)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(app):
    """A real SMTP server on a free local port, with the app's Flask-Mail pointed at it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT_SECONDS=10)  # read when mail is sent
    yield recorder
    controller.stop()


def test_a_reminder_arrives_once_with_its_headers_and_both_parts(smtp, make_event, make_person, now):
    start = now + timedelta(minutes=10)
    event = make_event(starts_at=start, reminder_offsets=[5], location="Odense Rådhus")
    person = make_person(email="mette@example.org", name="Mette Jensen", language="da")
    register(event, person, now)

    moment = start - timedelta(minutes=5)
    assert run_planner(moment) == 1
    assert run_planner(moment) == 0
    assert send_due(moment, "test-worker").sent == 1
    assert send_due(moment + timedelta(minutes=1), "test-worker").sent == 0
    assert run_planner(moment + timedelta(minutes=1)) == 0

    ((recipients, raw),) = smtp.messages
    assert recipients == ["mette@example.org"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["To"].addresses[0].addr_spec == "mette@example.org"
    assert str(message["Subject"]).startswith("Påmindelse: Buy Social Taskforce Danmark meeting")
    unsubscribe = str(message["List-Unsubscribe"]).strip()  # the sender may fold the header right after its name
    assert unsubscribe.startswith("<http://eventhub.test/reminders/unsubscribe/") and unsubscribe.endswith(">")
    assert str(message["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Hej Mette Jensen," in body
        assert "Odense Rådhus" in body
        assert unsubscribe[1:-1] in body
