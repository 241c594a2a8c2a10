"""Registration: invitations, registration questions, registrations (with the waiting list) and requests for an
invitation (whose rate limit counts in ``eventhub.ratelimit``).

Answers are a JSON column on the registration rather than a table of their own: they are only ever read and
written together with their registration (the form, the self-service page, the export), a registration's
answers change as one unit, and a question deleted later must not take the answers given to it away.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import TimestampMixin, enum_column, utcnow
from eventhub.events.models import Event, Person, Series
from eventhub.extensions import db


class RegistrationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class InvitationStatus(enum.StrEnum):
    """What is stored. ``expired`` is never stored: a pending invitation expires when registration closes,
    and the closing time may move, so it is computed (``Invitation.status_at``)."""

    PENDING = "pending"
    REGISTERED = "registered"
    DECLINED = "declined"
    REVOKED = "revoked"
    EXPIRED = "expired"


class QuestionKind(enum.StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    CONSENT = "consent"


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class Registration(TimestampMixin, db.Model):
    """A person's place at an event. ``waitlist_position`` is set exactly while the registration waits."""

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus, "registration_status"), default=RegistrationStatus.CONFIRMED
    )
    cancelled_at: Mapped[datetime | None] = mapped_column()
    confirmed_at: Mapped[datetime | None] = mapped_column()
    waitlist_position: Mapped[int | None] = mapped_column()
    # SHA-256 of the self-service link's token; the token itself is only in the confirmation email.
    manage_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # question id (as a string: JSON keys are strings) -> the answer: text, a choice, a list of choices, a bool.
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict, server_default="{}")
    # The organiser who last cancelled or moved this registration (``registration.organiser_actions``); None when
    # the person did it themself or the waiting list moved on its own.
    status_changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    person: Mapped[Person] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("event_id", "person_id"),
        sa.UniqueConstraint("event_id", "waitlist_position"),
        sa.Index("ix_registrations_event_status", "event_id", "status"),
        sa.CheckConstraint(
            "(status = 'waitlisted') = (waitlist_position IS NOT NULL)", name="waitlist_position_iff_waitlisted"
        ),
        sa.CheckConstraint("waitlist_position IS NULL OR waitlist_position > 0", name="waitlist_position_positive"),
    )


class Invitation(TimestampMixin, db.Model):
    """An invitation of one person to one event. Its links' tokens are in ``invitation_tokens``."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[InvitationStatus] = mapped_column(
        enum_column(InvitationStatus, "invitation_status"), default=InvitationStatus.PENDING
    )
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    last_sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    send_count: Mapped[int] = mapped_column(default=1)
    responded_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()

    event: Mapped[Event] = relationship()
    person: Mapped[Person] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("event_id", "person_id"),
        sa.CheckConstraint("status <> 'expired'", name="expired_is_computed"),
        sa.CheckConstraint("send_count >= 1", name="send_count_positive"),
    )

    def expires_at(self) -> datetime:
        """An unanswered invitation expires when registration closes (``Event.registration_closes_at_or_start``)."""
        return self.event.registration_closes_at_or_start

    def status_at(self, now: datetime) -> InvitationStatus:
        if self.status == InvitationStatus.PENDING and now >= self.expires_at():
            return InvitationStatus.EXPIRED
        return self.status

    def can_resend(self, now: datetime) -> bool:
        """Only unanswered invitations still open for registration are sent again."""
        return self.status_at(now) == InvitationStatus.PENDING

    def can_revoke(self, now: datetime) -> bool:
        """Anything not registered or already revoked, expired ones included (``now`` does not matter: an expired
        invitation is still pending in the database, and revoking it keeps a later extension from reopening it)."""
        return self.status_at(now) not in (InvitationStatus.REGISTERED, InvitationStatus.REVOKED)


class InvitationToken(db.Model):
    """The SHA-256 of one invitation link's token. Only the hash is stored, so a resend or a follow-up must mint
    a new token; earlier links keep working (an invitee may click the first email) until the invitation is
    revoked, answered or expires."""

    __tablename__ = "invitation_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("invitations.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    invitation: Mapped[Invitation] = relationship()


class Question(TimestampMixin, db.Model):
    """A registration question of an event, or of a series (then asked at each of its events)."""

    __tablename__ = "registration_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind, "question_kind"))
    label: Mapped[str] = mapped_column(sa.String(500))
    help_text: Mapped[str] = mapped_column(sa.String(1000), default="")
    required: Mapped[bool] = mapped_column(default=False)
    choices: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Answers to this question (dietary needs, accessibility) are deleted as soon as the event has ended.
    delete_answers_after_event: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Raised whenever the text shown changes (label, help text, choices), so a consent given names the version read.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # language code -> {"label", "help_text", "options"}: the question for readers of another language
    # (``registration.question_translations``). ``options`` translate ``choices`` by position; answers keep the
    # choice as written, so exports and counts never depend on who answered in which language.
    translations: Mapped[dict[str, dict[str, Any]]] = mapped_column(sa.JSON, default=dict, server_default="{}")

    event: Mapped[Event | None] = relationship()
    series: Mapped[Series | None] = relationship()

    __table_args__ = (sa.CheckConstraint("(event_id IS NULL) <> (series_id IS NULL)", name="event_or_series"),)

    @property
    def field_name(self) -> str:
        return f"q_{self.id}"


class ConsentRecord(db.Model):
    """A consent box ticked on a registration form or on the self-service page, as the person read it: the
    question's label and help text exactly as the form showed them, in the language it was shown in, and the
    question's version then. Unticking it later sets ``withdrawn_at``; nothing is ever deleted, so a registration's
    consents over time are its rows by ``given_at`` (registering again after cancelling reuses the registration
    and adds to its history). The text is copied, not referenced: a question reworded or removed later must not
    change what someone agreed to. Written by ``registration.consents``.
    """

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registration_questions.id", ondelete="SET NULL"), index=True
    )
    question_version: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(sa.String(500))
    help_text: Mapped[str] = mapped_column(sa.String(1000), default="")
    language: Mapped[str] = mapped_column(sa.String(16))
    given_at: Mapped[datetime] = mapped_column()
    withdrawn_at: Mapped[datetime | None] = mapped_column()

    registration: Mapped[Registration] = relationship()
    person: Mapped[Person] = relationship()

    __table_args__ = (
        sa.CheckConstraint("question_version > 0", name="question_version_positive"),
        sa.CheckConstraint("withdrawn_at IS NULL OR withdrawn_at >= given_at", name="withdrawn_after_given"),
    )


class InvitationRequest(TimestampMixin, db.Model):
    """Someone not invited asks for an invitation, or proposes a procurement case to present."""

    __tablename__ = "invitation_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254))
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    message: Mapped[str] = mapped_column(sa.Text, default="")
    case_description: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus, "request_status"), default=RequestStatus.PENDING
    )
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # When the organisers' digest (``registration.request_digest``) listed this request; None until then.
    notified_at: Mapped[datetime | None] = mapped_column()

    event: Mapped[Event] = relationship()

    __table_args__ = (sa.CheckConstraint("email = lower(email)", name="email_is_lower_case"),)
