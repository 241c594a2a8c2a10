"""What arrives at a real SMTP server: exactly the queued emails, each a well-formed, strictly parseable message."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from email import charset, message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from eventhub.extensions import db
from eventhub.mail.message import OutgoingEmail, build_message
from eventhub.mail.sender import send_due
from eventhub.mail.services import RenderedEmail, queue_email

ROOT = Path(__file__).resolve().parents[2]
STRICT = policy.SMTP.clone(raise_on_defect=True)
CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nPRODID:-//eventhub//test//EN\r\nEND:VCALENDAR\r\n"


@pytest.fixture
def scenario(make_person, now):
    """Four emails: Danish with a non-ASCII name, Bulgarian, a calendar invitation, a list mail."""
    cases = [
        ("søren@example.dk", "Søren Ærø", "Påmindelse: møde i København", "Hej Søren, vi ses på Østerbro.", {}, []),
        ("ivan@example.bg", "Иван Петров", "Напомняне: среща в София", "Здравейте, Иван!", {}, []),
        (
            "cal@example.org",
            "Calendar Person",
            "Invitation: Buying for Social Impact",
            "See the invitation.",
            {},
            [{"filename": "invite.ics", "content_type": "text/calendar", "method": "REQUEST", "content": CALENDAR}],
        ),
        (
            "list@example.org",
            "List Person",
            "Reminder: Buy Social Taskforce",
            "See you.",
            {
                "List-Unsubscribe": "<https://eventhub.test/unsubscribe/abc>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            [],
        ),
    ]
    queued = {}
    for number, (address, name, subject, text, headers, attachments) in enumerate(cases):
        person = make_person(email=address.replace("ø", "o"), name=name)
        # One long HTML line (as template engines write them): it must reach the wire folded under 998 characters.
        rendered = RenderedEmail(subject=subject, text=text + "\n", html=f"<p>{text}</p>" + "<span>Ærø</span>" * 300)
        row = queue_email(
            dedup_key=f"case:{number}",
            kind="test",
            recipient=person,
            email=rendered,
            now=now,
            headers=headers,
            attachments=attachments,
        )
        queued[person.email] = row
    db.session.commit()
    return queued


def parse(raw: bytes) -> EmailMessage:
    message = message_from_bytes(raw, policy=policy.default)
    message_from_bytes(raw, policy=STRICT)  # raises on any message-level defect
    assert message.defects == []
    for name, value in message.items():
        assert value.defects == (), (name, value.defects)
    return message


def test_queued_emails_arrive_exactly_once_and_well_formed(app, scenario, smtp_server, now):
    app.config.update(smtp_server.config())

    report = send_due(now, "w1")

    assert (report.sent, report.failed, report.retrying) == (4, 0, 0)
    assert smtp_server.wait_for(4) == 4
    received = {item.rcpt[0]: parse(item.raw) for item in smtp_server.handler.received}
    assert set(received) == set(scenario)
    for address, message in received.items():
        row = scenario[address]
        assert message["Message-ID"] == row.message_id
        assert message["Subject"] == row.subject
        assert parsedate_to_datetime(message["Date"]) == now
        assert message["From"].addresses[0].addr_spec == "eventhub@localhost"
        [to] = message["To"].addresses
        assert (to.display_name, to.addr_spec) == (row.recipient_name, address)
        alternative = message if message.get_content_type() == "multipart/alternative" else message.get_payload(0)
        assert alternative.get_content_type() == "multipart/alternative"
        text, html = alternative.get_payload()[:2]
        assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
        assert text.get_content_charset() == html.get_content_charset() == "utf-8"
        assert text.get_content().replace("\r\n", "\n") == row.body_text
        assert html.get_content().replace("\r\n", "\n").rstrip("\n") == row.body_html
        assert all(line.isascii() and len(line) <= 998 for line in item_lines(smtp_server, address))

    danish = received["soren@example.dk"]
    assert "=?utf-8?" in raw_of(smtp_server, "soren@example.dk").split(b"\r\n\r\n")[0].decode("ascii")
    assert danish["To"].addresses[0].display_name == "Søren Ærø"

    invitation = received["cal@example.org"]
    assert invitation.get_content_type() == "multipart/mixed"
    alternative, ics_file = invitation.get_payload()
    # iMIP (RFC 6047) as Outlook and Gmail read it: the calendar is the last alternative of the body ...
    assert [part.get_content_type() for part in alternative.get_payload()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    calendar = alternative.get_payload()[2]
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content().replace("\r\n", "\n") == CALENDAR.replace("\r\n", "\n")
    # ... and once more as a file to download, of a type that no client takes for a second invitation.
    assert ics_file.get_content_type() == "application/ics"
    assert ics_file.get_filename() == "invite.ics"
    assert ics_file.get_content().decode("utf-8").replace("\r\n", "\n") == CALENDAR.replace("\r\n", "\n")

    listed = received["list@example.org"]
    assert listed["List-Unsubscribe"] == "<https://eventhub.test/unsubscribe/abc>"
    assert listed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received["ivan@example.bg"]["Subject"] == "Напомняне: среща в София"

    assert send_due(now, "w1").claimed == 0
    assert smtp_server.handler.count() == 4


def raw_of(server, address: str) -> bytes:
    [raw] = [item.raw for item in server.handler.received if item.rcpt == [address]]
    return raw


def item_lines(server, address: str) -> list[str]:
    return raw_of(server, address).decode("ascii").split("\r\n")


CHARSET_PROBE = """
import email.charset as c
from email.mime.text import MIMEText
{imports}
print(c.CHARSETS["utf-8"], MIMEText("Søren", "plain", "utf-8")["Content-Transfer-Encoding"])
"""


def probe_charset(imports: str) -> str:
    """What a fresh interpreter reports about the "utf-8" charset after ``imports`` (import state is per process)."""
    code = CHARSET_PROBE.format(imports=imports)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_importing_flask_mail_through_eventhub_leaves_the_global_utf8_charset_as_the_standard_library_has_it():
    """Flask-Mail re-registers "utf-8" as unencoded 8-bit on import; eventhub undoes that where it imports it, so
    stdlib MIME parts stay base64 (7-bit) while eventhub's builder keeps its own quoted-printable charset."""
    expected = "(3, 2, 'utf-8') base64"  # (SHORTEST, BASE64, "utf-8"): the standard library's own table
    assert probe_charset("import flask_mail") == "(3, None, 'utf-8') 8bit"  # control: what Flask-Mail alone does
    assert probe_charset("import eventhub.extensions\nimport flask_mail") == expected
    assert probe_charset("import flask_mail\nimport eventhub.mail.transport") == expected
    assert probe_charset("import eventhub.mail.message") == expected


def test_the_message_builder_writes_quoted_printable_utf8_whatever_the_global_registration(monkeypatch):
    """The builder's charset is its own: even with Flask-Mail's registration in force, bodies are QP and 7-bit."""
    monkeypatch.setitem(charset.CHARSETS, "utf-8", (charset.SHORTEST, None, "utf-8"))  # Flask-Mail's, undone after
    email = OutgoingEmail(
        id=1,
        message_id="<1@eventhub.test>",
        recipient_email="soren@example.dk",
        recipient_name="Søren",
        subject="Møde",
        body_text="Hej Søren\n",
        body_html="<p>Ærø</p>",
        attempts=0,
    )
    raw = build_message(email, "eventhub <noreply@eventhub.example.org>", datetime(2025, 1, 6, 9, tzinfo=UTC))

    assert raw.isascii() and b"Content-Transfer-Encoding: quoted-printable" in raw
    assert message_from_bytes(raw, policy=policy.default).get_body(("plain",)).get_content() == "Hej Søren\r\n"
