"""The outbox: every email eventhub sends is first a row here, written in the transaction that caused it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from eventhub.db import TimestampMixin, enum_column
from eventhub.extensions import db


class OutboxStatus(enum.StrEnum):
    """queued → sending (claimed, with a lease) → sent | failed; cancelled when its reason went away."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class SuppressionReason(enum.StrEnum):
    """Why an address is on the do-not-send list."""

    REJECTED = "rejected"  # the receiving server refused it for good (5xx to RCPT TO) while we sent
    BOUNCED = "bounced"  # a delivery status notification said it failed for good (fed in by ``mail bounces``)


class SuppressedAddress(TimestampMixin, db.Model):
    """An address eventhub does not send to any more: mail to it would bounce again, and repeated bounces
    ruin the sending domain's reputation. Lifted by an admin (/admin/outbox or ``mail unsuppress``)."""

    __tablename__ = "suppressed_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Lower-cased, as people's addresses are stored, so a plain equality finds it.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    reason: Mapped[SuppressionReason] = mapped_column(enum_column(SuppressionReason, "suppression_reason"))
    # The server's answer or the DSN's status and diagnostic, for the admin deciding whether to lift it.
    detail: Mapped[str] = mapped_column(sa.Text, default="")

    __table_args__ = (sa.CheckConstraint("email = lower(email)", name="suppressed_email_is_lower_case"),)


class ListUnsubscription(TimestampMixin, db.Model):
    """A person who asked (through a List-Unsubscribe link) for no more mail to a series' members: published
    minutes and agenda changes of that series are not queued for them. Invitations and their own registration's
    emails still are: those are not list mail."""

    __tablename__ = "list_unsubscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"))
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"), index=True)

    __table_args__ = (sa.UniqueConstraint("person_id", "series_id"),)


class OutboxMessage(TimestampMixin, db.Model):
    """One email, fully rendered, waiting to be sent (or sent).

    ``dedup_key`` names the logical email (``reminder:<registration>:<offset>:<start>``): its uniqueness is
    what makes "never queued twice" a database guarantee rather than a hope.
    """

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(50), index=True)
    message_id: Mapped[str] = mapped_column(sa.String(250), unique=True)
    recipient_email: Mapped[str] = mapped_column(sa.String(254))
    recipient_name: Mapped[str] = mapped_column(sa.String(200), default="")
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="SET NULL"), index=True)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"), index=True)
    language: Mapped[str] = mapped_column(sa.String(8), default="en")
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    # Extra headers (e.g. List-Unsubscribe) and attachments ([{filename, content_type, content}]; text only).
    headers: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    not_before: Mapped[datetime]
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, "outbox_status"), default=OutboxStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(sa.String(100))
    lease_expires_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        sa.Index("ix_outbox_messages_due", "status", "next_attempt_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )


# The outbox search ("recipient or subject contains", /admin/outbox) on PostgreSQL: a GiST index of trigrams, so
# a search of tens of thousands of messages reads the index instead of lower-casing every row (migration
# 0012_list_indexes has the measurement). GiST rather than GIN: GIN stores every trigram of every row, which
# doubled the cost of queuing 10,000 reminders at once (0021_outbox_indexes). On SQLite a plain expression index.
sa.Index(
    "ix_outbox_messages_search",
    sa.func.lower(OutboxMessage.recipient_email).label("recipient_email"),
    sa.func.lower(OutboxMessage.recipient_name).label("recipient_name"),
    sa.func.lower(OutboxMessage.subject).label("subject"),
    postgresql_using="gist",
    postgresql_ops={"recipient_email": "gist_trgm_ops", "recipient_name": "gist_trgm_ops", "subject": "gist_trgm_ops"},
)
