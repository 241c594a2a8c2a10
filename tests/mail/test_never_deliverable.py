"""Addresses under the reserved ``.invalid`` top-level domain (RFC 2606) never get mail: the outbox refuses to
queue to them, and a row to one that is there already fails without an attempt. Anonymised people's stand-ins
have such addresses, so nothing is ever written to a stand-in."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail.addresses import is_never_deliverable
from eventhub.mail.models import OutboxMessage, OutboxStatus
from eventhub.mail.sender import send_due
from eventhub.mail.services import Addressee, EmailToQueue, RenderedEmail, queue_email, queue_emails
from eventhub.privacy.stand_ins import new_stand_in
from eventhub.registration.services import register
from eventhub.reminders.planner import run_planner

EMAIL = RenderedEmail(subject="Reminder", text="See you soon\n", html="<p>See you soon</p>")


@pytest.mark.parametrize(
    ("address", "never"),
    [("anonymised-1f@anonymised.invalid", True), ("x@Example.INVALID", True), ("x@host.invalid.", True),
     ("anna@example.org", False), ("invalid@example.org", False), ("x@invalid.example.org", False)],
)  # fmt: skip
def test_only_the_reserved_top_level_domain_is_never_deliverable(address, never):
    assert is_never_deliverable(address) is never


def test_queuing_to_a_stand_in_is_refused_and_others_still_queue(app, make_person, now):
    stand_in = new_stand_in(now)

    assert queue_email(dedup_key="s", kind="test", recipient=stand_in, email=EMAIL, now=now) is None
    assert (
        queue_email(dedup_key="a", kind="test", recipient=Addressee("x@y.invalid", "X"), email=EMAIL, now=now) is None
    )
    emails = [EmailToQueue("b1", stand_in, EMAIL), EmailToQueue("b2", make_person(email="anna@example.org"), EMAIL)]
    assert queue_emails("test", emails, now) == 1

    assert list(db.session.scalars(sa.select(OutboxMessage.recipient_email))) == ["anna@example.org"]


def test_a_row_to_a_never_deliverable_address_fails_without_an_attempt(app, make_person, now):
    real = queue_email(dedup_key="r", kind="test", recipient=make_person(email="bo@example.org"), email=EMAIL, now=now)
    real.recipient_email = "anonymised-0a@anonymised.invalid"  # queued before its person was anonymised
    db.session.commit()

    report = send_due(now, "w1")

    assert (report.sent, report.failed) == (0, 1)
    row = db.session.get(OutboxMessage, real.id)
    assert (row.status, row.attempts, row.sent_at) == (OutboxStatus.FAILED, 0, None)
    assert "can never receive mail" in row.last_error


def test_the_reminder_planner_skips_stand_ins(app, make_event, make_person, now):
    event = make_event(starts_at=now + timedelta(days=2), reminder_offsets=[1440])
    register(event, make_person(email="anna@example.org"), now)
    stand_in = new_stand_in(now)
    stand_in.reminders_enabled = True  # even if someone turned reminders back on for it
    register(event, stand_in, now)

    assert run_planner(event.starts_at - timedelta(days=1)) == 1

    recipients = db.session.scalars(sa.select(OutboxMessage.recipient_email).where(OutboxMessage.kind == "reminder"))
    assert list(recipients) == ["anna@example.org"]
