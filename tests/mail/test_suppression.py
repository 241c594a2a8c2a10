"""The do-not-send list: filled by 5xx refusals and by bounces fed to ``mail bounces``, consulted before sending,
shown and lifted on /admin/outbox (admins) and by ``mail unsuppress``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventhub.extensions import db, mail
from eventhub.mail.models import OutboxMessage, OutboxStatus, SuppressedAddress, SuppressionReason
from eventhub.mail.sender import send_due
from eventhub.mail.services import RenderedEmail, queue_email
from eventhub.mail.suppression import is_suppressed, suppress_address
from tests.conftest import csrf_token_from


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


@pytest.fixture
def send_to(make_person, now):
    """Queue one email to ``address`` under ``key`` and commit; returns the row."""

    def queue(address: str, key: str) -> OutboxMessage:
        person = make_person(email=address)
        email = RenderedEmail(subject=key, text="Hi\n", html="<p>Hi</p>")
        row = queue_email(dedup_key=key, kind="test", recipient=person, email=email, now=now)
        db.session.commit()
        return row

    return queue


def status_of(row: OutboxMessage) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, row.id)


def test_a_permanent_refusal_suppresses_the_address_and_the_next_email_is_not_sent(app, smtp_server, send_to, now):
    app.config.update(smtp_server.config())
    mail.init_app(app)
    smtp_server.handler.refuse["gone@example.org"] = "550 5.1.1 <gone@example.org>: no such user"
    first = send_to("gone@example.org", "first")

    assert send_due(now, "w1").failed == 1
    assert is_suppressed("gone@example.org")
    [entry] = db.session.scalars(sa.select(SuppressedAddress))
    assert entry.reason == SuppressionReason.REJECTED and "550 5.1.1" in entry.detail
    assert status_of(first).status == OutboxStatus.FAILED

    smtp_server.handler.refuse.clear()  # even a server that would take it now does not get it
    second = send_to("gone@example.org", "second")
    other = send_to("here@example.org", "other")
    report = send_due(now + timedelta(minutes=1), "w1")

    assert (report.sent, report.failed) == (1, 1)
    assert smtp_server.wait_for(1) == 1
    assert [item.rcpt for item in smtp_server.handler.received] == [["here@example.org"]]
    second = status_of(second)
    assert second.status == OutboxStatus.FAILED and "do-not-send list" in second.last_error
    assert status_of(other).status == OutboxStatus.SENT


def test_a_temporary_refusal_suppresses_nothing(app, smtp_server, send_to, now):
    app.config.update(smtp_server.config())
    mail.init_app(app)
    smtp_server.handler.refuse["busy@example.org"] = "450 4.2.1 mailbox busy"
    send_to("busy@example.org", "busy")

    assert send_due(now, "w1").retrying == 1
    assert not is_suppressed("busy@example.org")


DSN = """\
From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: bounces@eventhub.example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
Arrival-Date: Mon, 23 Nov 2026 12:00:00 +0000

Final-Recipient: rfc822; {failed}
Original-Recipient: rfc822; {failed}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

Final-Recipient: rfc822; {delayed}
Action: delayed
Status: 4.4.1
Diagnostic-Code: smtp; 451 try again later

--BOUNDARY
Content-Type: text/rfc822-headers

Message-ID: <abc@eventhub.test>

--BOUNDARY--
"""

OUT_OF_OFFICE = """\
From: Someone <away@example.org>
Subject: Out of office
Content-Type: text/plain

Action: failed
Status: 5.1.1
Final-Recipient: rfc822; not-a-dsn@example.org
"""


def test_a_dsn_fed_to_mail_bounces_suppresses_its_failed_recipient(cli, tmp_path: Path):
    path = tmp_path / "bounce.eml"
    path.write_text(DSN.format(failed="Gone@Example.org", delayed="later@example.org"))

    result = cli("mail", "bounces", str(path))

    assert result.exit_code == 0, result.output
    assert "newly suppressed: 1" in result.output
    assert is_suppressed("gone@example.org") and not is_suppressed("later@example.org")
    entry = db.session.scalar(sa.select(SuppressedAddress))
    assert entry.reason == SuppressionReason.BOUNCED and entry.detail.startswith("5.1.1 smtp; 550")


def test_an_mbox_of_bounces_suppresses_each_permanent_failure_once(cli, tmp_path: Path):
    path = tmp_path / "bounces.mbox"
    messages = [
        DSN.format(failed="one@example.org", delayed="later@example.org"),
        OUT_OF_OFFICE,
        DSN.format(failed="two@example.org", delayed="one@example.org"),
        DSN.format(failed="one@example.org", delayed="later@example.org"),
    ]
    path.write_text("".join(f"From MAILER-DAEMON Mon Nov 23 12:00:00 2026\n{text}\n" for text in messages))

    result = cli("mail", "bounces", str(path))

    assert result.exit_code == 0, result.output
    assert "permanent failures: 3, newly suppressed: 2" in result.output
    listed = set(db.session.scalars(sa.select(SuppressedAddress.email)))
    assert listed == {"one@example.org", "two@example.org"}


def test_mail_unsuppress_lifts_and_the_next_email_is_sent(app, cli, send_to, now):
    suppress_address("back@example.org", SuppressionReason.BOUNCED, "5.1.1")
    db.session.commit()

    result = cli("mail", "unsuppress", "Back@Example.org")

    assert result.exit_code == 0, result.output
    assert not is_suppressed("back@example.org")
    row = send_to("back@example.org", "after")
    assert send_due(now, "w1").sent == 1
    assert status_of(row).status == OutboxStatus.SENT
    assert cli("mail", "unsuppress", "back@example.org").exit_code != 0  # not on the list (any more)


def test_admins_lift_a_suppression_on_the_outbox_page(client, make_user, login):
    suppress_address("gone@example.org", SuppressionReason.REJECTED, "550 5.1.1 no such user")
    db.session.commit()
    entry = db.session.scalar(sa.select(SuppressedAddress))
    login(make_user("admin"))
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "gone@example.org" in page and "550 5.1.1 no such user" in page
    assert client.post(f"/admin/outbox/suppressed/{entry.id}/lift").status_code == 400  # no CSRF token

    response = client.post(f"/admin/outbox/suppressed/{entry.id}/lift", data={"csrf_token": csrf_token_from(page)})

    assert response.status_code == 302
    assert not is_suppressed("gone@example.org")


def test_organisers_neither_see_nor_lift_suppressions(client, make_user, login):
    """The outbox holds every series' emails: admins only (an organiser manages their own series only)."""
    suppress_address("gone@example.org", SuppressionReason.REJECTED, "550 5.1.1 no such user")
    db.session.commit()
    entry = db.session.scalar(sa.select(SuppressedAddress))
    login(make_user("organiser"))
    assert client.get("/admin/outbox").status_code == 403
    token = csrf_token_from(client.get("/account").get_data(as_text=True))

    response = client.post(f"/admin/outbox/suppressed/{entry.id}/lift", data={"csrf_token": token})

    assert response.status_code == 403
    assert is_suppressed("gone@example.org")
