"""Follow-up emails for unanswered invitations, a configurable time before registration closes.

A step of the planner job (``scheduler.planning``), run every tick; like the others, safe to run twice: the
dedup key names the invitation and the closing time, so each invitation gets one follow-up per closing time
(moving the closing time plans anew).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from eventhub.events.models import Event, EventStatus
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.registration import emails
from eventhub.registration.models import Invitation, InvitationStatus, InvitationToken
from eventhub.tokens import new_token

DEFAULT_FOLLOWUP_HOURS = 72


def followup_lead(now: datetime | None = None) -> timedelta:
    """How long before registration closes unanswered invitations are followed up (INVITATION_FOLLOWUP_HOURS)."""
    return timedelta(hours=float(current_app.config.get("INVITATION_FOLLOWUP_HOURS", DEFAULT_FOLLOWUP_HOURS)))


def run_invitation_followups(now: datetime) -> int:
    """Queue the follow-ups due at ``now``; returns how many. Flushes, never commits.

    Due: pending, the event scheduled, registration closing within the lead time but not yet closed, and the
    invitation sent before the follow-up moment (someone invited yesterday needs no reminder today).
    """
    lead = followup_lead()
    closes = Event.registration_closes_at_or_start
    query = (
        sa.select(Invitation)
        .join(Event, Invitation.event_id == Event.id)
        .where(Invitation.status == InvitationStatus.PENDING, Event.status == EventStatus.SCHEDULED)
        .where(closes > now, closes <= now + lead)
    )
    count = 0
    for invitation in db.session.scalars(query):
        if invitation.last_sent_at > invitation.expires_at() - lead:
            continue
        key = emails.followup_key(invitation)
        if db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.dedup_key == key)) is not None:
            continue
        token, digest = new_token()
        db.session.add(InvitationToken(invitation_id=invitation.id, token_hash=digest, created_at=now))
        count += emails.queue_invitation_followup(invitation, token, now) is not None
    db.session.flush()
    return count
