"""Organisations, people, series (programmes and standing groups), their members, and events."""

from __future__ import annotations

import enum
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import TimestampMixin, enum_column
from eventhub.extensions import db


class OrganisationKind(enum.StrEnum):
    PUBLIC_BUYER = "public_buyer"
    SOCIAL_ECONOMY_ENTERPRISE = "social_economy_enterprise"
    MUNICIPALITY = "municipality"
    NETWORK = "network"
    AUTHORITY = "authority"
    COMPANY = "company"
    FOUNDATION = "foundation"
    OTHER = "other"


class Visibility(enum.StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"


class EventKind(enum.StrEnum):
    CONFERENCE = "conference"
    MEETING = "meeting"
    WEBINAR = "webinar"
    MISSION = "mission"
    WORKING_GROUP_MEETING = "working_group_meeting"


class EventStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class MembershipRole(enum.StrEnum):
    """A person's part in a series: members see it, secretaries keep its agendas and minutes, organisers manage it
    (its settings, members and events), when their account's role is organiser."""

    MEMBER = "member"
    SECRETARY = "secretary"
    ORGANISER = "organiser"


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    country: Mapped[str | None] = mapped_column(sa.String(2))
    kind: Mapped[OrganisationKind] = mapped_column(
        enum_column(OrganisationKind, "organisation_kind"), default=OrganisationKind.OTHER
    )
    website: Mapped[str | None] = mapped_column(sa.String(500))

    people: Mapped[list[Person]] = relationship(back_populates="organisation")

    __table_args__ = (sa.CheckConstraint("country IS NULL OR length(country) = 2", name="country_is_iso_alpha2"),)


class Person(TimestampMixin, db.Model):
    """Someone eventhub writes to: an invitee, a member, an organiser. May or may not have an account."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Stored lower-cased so uniqueness is case-insensitive on every database; the CHECK keeps it that way.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="SET NULL"))
    # None: nobody told us, so they read the event's language, else the series', else the site's default
    # (``i18n.choose_reader_language``); an "en" stored here was given and wins over the event's language.
    language: Mapped[str | None] = mapped_column(sa.String(8))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Brussels")
    # Turned off by the one-click List-Unsubscribe link in reminder emails.
    reminders_enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Set on a stand-in (``eventhub.privacy.stand_ins``): a row that takes an erased or anonymised person's place
    # in registrations and invitations so counts stay right; it has no name and an address that cannot receive.
    anonymised_at: Mapped[datetime | None] = mapped_column()

    organisation: Mapped[Organisation | None] = relationship(back_populates="people")
    memberships: Mapped[list[SeriesMembership]] = relationship(back_populates="person")

    __table_args__ = (sa.CheckConstraint("email = lower(email)", name="email_is_lower_case"),)

    @property
    def display_name(self) -> str:
        """``name, organisation`` as minutes list attendees."""
        return f"{self.name}, {self.organisation.name}" if self.organisation else self.name


class Series(TimestampMixin, db.Model):
    """A programme or a standing group whose events belong together, e.g. a numbered meeting series."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "series_visibility"), default=Visibility.PUBLIC
    )
    organiser_name: Mapped[str | None] = mapped_column(sa.String(200))
    # Minutes before an event's start at which registrants are reminded; None means the default (7 days, 1 day).
    reminder_offsets: Mapped[list[int] | None] = mapped_column(sa.JSON)
    # The language of emails to people whose own language eventhub does not speak; None: the site's default.
    language: Mapped[str | None] = mapped_column(sa.String(8))
    # Days after an event's end before its personal data is anonymised; None: EVENTHUB_RETENTION_DAYS.
    retention_days: Mapped[int | None] = mapped_column()
    # Whether anonymised registrations keep their organisation ("how many came from which organisations").
    retention_keeps_organisations: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    events: Mapped[list[Event]] = relationship(back_populates="series", order_by="Event.starts_at")
    memberships: Mapped[list[SeriesMembership]] = relationship(back_populates="series", cascade="all, delete-orphan")


class SeriesMembership(TimestampMixin, db.Model):
    """A person belongs to a series; secretaries of a series keep its agendas and minutes, organisers run it."""

    __tablename__ = "series_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[MembershipRole] = mapped_column(
        enum_column(MembershipRole, "membership_role"), default=MembershipRole.MEMBER
    )

    series: Mapped[Series] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(back_populates="memberships")

    __table_args__ = (sa.UniqueConstraint("series_id", "person_id"),)


class Event(TimestampMixin, db.Model):
    """A conference, meeting, webinar, mission or working-group meeting.

    ``starts_at``/``ends_at`` are UTC instants; ``timezone`` is the IANA zone the event is held in, so a
    Copenhagen meeting at 14:00 is shown at 14:00 Copenhagen time whatever the viewer's zone.
    ``sequence`` counts changes of time, place or status, as iCalendar's SEQUENCE wants.
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("series.id", ondelete="SET NULL"), index=True)
    number: Mapped[int | None] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "event_kind"), default=EventKind.MEETING)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(sa.String(64))
    location: Mapped[str | None] = mapped_column(sa.String(300))
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    country: Mapped[str | None] = mapped_column(sa.String(2))
    capacity: Mapped[int | None] = mapped_column()
    registration_closes_at: Mapped[datetime | None] = mapped_column()
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "event_visibility"), default=Visibility.PUBLIC
    )
    invitation_only: Mapped[bool] = mapped_column(default=False)
    status: Mapped[EventStatus] = mapped_column(enum_column(EventStatus, "event_status"), default=EventStatus.SCHEDULED)
    cancelled_at: Mapped[datetime | None] = mapped_column()
    sequence: Mapped[int] = mapped_column(default=0)
    # Minutes before the start; None inherits the series' offsets (then the default).
    reminder_offsets: Mapped[list[int] | None] = mapped_column(sa.JSON)
    # As Series.language; None inherits the series' language (then the site's default).
    language: Mapped[str | None] = mapped_column(sa.String(8))
    # The account that created the event: an event without a series is managed by its creator (and admins).
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Days after the end before personal data is anonymised; None inherits the series' (then the site's default).
    retention_days: Mapped[int | None] = mapped_column()
    # When the retention job anonymised this event's personal data; None until then.
    anonymised_at: Mapped[datetime | None] = mapped_column()
    # When the answers to its questions marked "delete answers after the event" were deleted (by the planner, once
    # it had ended); None until then. Lets the planner find each newly ended event once instead of every tick.
    answers_deleted_at: Mapped[datetime | None] = mapped_column()
    # Raised when something outside this row changes the event's calendar text (``calendar.components.mark_stale``):
    # the stored calendar components carry the value they were rendered from.
    calendar_version: Mapped[int] = mapped_column(default=0, server_default="0")

    series: Mapped[Series | None] = relationship(back_populates="events")

    __table_args__ = (
        sa.UniqueConstraint("series_id", "number"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        sa.CheckConstraint("number IS NULL OR number > 0", name="number_positive"),
        sa.CheckConstraint("sequence >= 0", name="sequence_not_negative"),
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @hybrid_property
    def registration_closes_at_or_start(self) -> datetime:
        """When registration closes: the closing time set for the event, or else its start. Also usable in SQL
        (``COALESCE(registration_closes_at, starts_at)``), so queries and Python share the one rule."""
        return self.registration_closes_at or self.starts_at

    @registration_closes_at_or_start.inplace.expression
    @classmethod
    def _registration_closes_at_or_start_expression(cls) -> sa.ColumnElement[datetime]:
        return sa.func.coalesce(cls.registration_closes_at, cls.starts_at)

    def takes_registrations(self, now: datetime) -> bool:
        """Registration is open: the event is not cancelled and its closing time (or start) has not come."""
        return not self.is_cancelled and now < self.registration_closes_at_or_start

    def takes_requests(self, now: datetime) -> bool:
        """People may ask for an invitation: the event is invitation-only and registration is open."""
        return self.invitation_only and self.takes_registrations(now)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)
