"""The minutes-published email lists the action items: who, what, by when (text and HTML)."""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.minutes import emails, services


def test_the_published_minutes_email_lists_the_action_items(taskforce, now):
    event = taskforce.meeting3
    owner = taskforce.people["Incita"]
    services.update_minutes(event, {"body": "Referat.", "action_items": [
        {"what": "Send eksempler", "owner": owner.email, "due": "2022-12-07"},
        {"what": "Læs udkastet", "owner": "Alle"},
    ]}, now)  # fmt: skip
    emails.publish_minutes(event, now, taskforce.secretary.person)

    message = db.session.scalar(
        sa.select(OutboxMessage)
        .where(OutboxMessage.kind == "minutes_published", OutboxMessage.language == "en")
        .limit(1)
    )
    text = message.body_text
    assert "Action items:" in text
    [line] = [line for line in text.splitlines() if "Send eksempler" in line]
    assert owner.name in line and "7 December 2022" in line
    assert any("Alle: Læs udkastet" in line for line in text.splitlines())
    assert "Send eksempler" in message.body_html and "7 December 2022" in message.body_html
