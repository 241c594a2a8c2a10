"""Forgetting what sent emails said. Invitation and registration emails carry working personal links; the database
keeps only hashes of their tokens, so the sent bodies must not keep the links around forever either."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage, OutboxStatus

REDACTED = "[removed after the retention period]"


def redact_old_messages(now: datetime) -> int:
    """Blank the bodies and attachments of emails sent (or given up on) more than ``MAIL_RETENTION_DAYS`` ago.

    Recipient, subject, status and dates stay, so the outbox page still tells what was sent to whom and when.
    Returns how many rows were redacted; running it twice changes nothing more. Flushes, never commits.
    """
    cutoff = now - timedelta(days=float(current_app.config["MAIL_RETENTION_DAYS"]))
    table = OutboxMessage.__table__
    result = db.session.connection().execute(
        sa.update(table)
        .where(
            table.c.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.CANCELLED]),
            table.c.updated_at < cutoff,
            table.c.body_text != REDACTED,
        )
        .values(body_text=REDACTED, body_html=REDACTED, attachments=[], headers={})
    )
    return result.rowcount or 0
