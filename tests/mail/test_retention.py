"""Sent email bodies (with their personal links) are forgotten after the retention period; the record stays."""

from datetime import timedelta

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage, OutboxStatus
from eventhub.mail.retention import REDACTED, redact_old_messages
from eventhub.mail.services import RenderedEmail, queue_email


def queued(make_person, now, key, status, age_days):
    message = queue_email(
        dedup_key=key,
        kind="invitation",
        recipient=make_person(),
        now=now,
        email=RenderedEmail(subject="Invitation", text="Your link: https://x/invitations/secret", html="<a>secret</a>"),
        attachments=[{"filename": "invite.ics", "content_type": "text/calendar", "content": "BEGIN:VCALENDAR"}],
    )
    message.status = status
    db.session.flush()
    db.session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.id == message.id).values(updated_at=now - timedelta(days=age_days))
    )
    return message.id


def test_old_sent_bodies_are_blanked_and_the_rest_kept(app, make_person, now):
    old_sent = queued(make_person, now, "a", OutboxStatus.SENT, 31)
    recent_sent = queued(make_person, now, "b", OutboxStatus.SENT, 29)
    old_queued = queued(make_person, now, "c", OutboxStatus.QUEUED, 31)
    old_failed = queued(make_person, now, "d", OutboxStatus.FAILED, 40)

    assert redact_old_messages(now) == 2
    assert redact_old_messages(now) == 0
    db.session.expire_all()
    rows = {row.id: row for row in db.session.scalars(sa.select(OutboxMessage))}
    for redacted in (old_sent, old_failed):
        assert (rows[redacted].body_text, rows[redacted].body_html, rows[redacted].attachments) == (
            REDACTED,
            REDACTED,
            [],
        )
        assert rows[redacted].subject == "Invitation" and rows[redacted].recipient_email
    for kept in (recent_sent, old_queued):  # a queued email must still go out whole
        assert "secret" in rows[kept].body_text and rows[kept].attachments
