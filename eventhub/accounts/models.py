"""User accounts (a person who can log in, with a role) and API tokens for scripts."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import TimestampMixin, enum_column
from eventhub.events.models import Person
from eventhub.extensions import db


class Role(enum.StrEnum):
    """Global roles, from most to least powerful. Secretaries act on the series where they are secretary."""

    ADMIN = "admin"
    ORGANISER = "organiser"
    SECRETARY = "secretary"
    MEMBER = "member"


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"), default=Role.MEMBER)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column()
    # Part of the id Flask-Login keeps in the signed session cookie: raising it ends every session of the account
    # (a copied cookie included), which a signed cookie alone cannot do. See ``services.end_sessions``.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    person: Mapped[Person] = relationship()
    api_tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login asks this before logging a user in
        return self.active

    def get_id(self) -> str:
        """What the session cookie holds: ``<id>:<session version>`` (``auth.load_user`` checks both)."""
        return f"{self.id}:{self.session_version}"

    @property
    def email(self) -> str:
        return self.person.email

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class ApiToken(TimestampMixin, db.Model):
    """A bearer token for scripts. Only its SHA-256 is stored; the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship(back_populates="api_tokens")


class LinkPurpose(enum.StrEnum):
    """What a link emailed to a person does when it is used."""

    SIGN_IN = "sign_in"  # asked for on the login page: short-lived
    SET_PASSWORD = "set_password"  # sent by an admin: opens the set-password form
    PERSONAL = "personal"  # inside an email (minutes, welcome): signs its recipient in and goes to its target


class SignInLink(db.Model):
    """A one-time link that lets a person in without a password. Only the token's SHA-256 is stored, so the
    table (or a backup of it) opens nothing; ``used_at`` makes it one-time, ``expires_at`` short-lived.

    It belongs to a person, not an account: a person without an account (an attendee, a member) gets a member
    account when they first use one (see ``accounts.sign_in.use_sign_in_link``)."""

    __tablename__ = "sign_in_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(enum_column(LinkPurpose, "link_purpose"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Where the person goes once signed in: a path on this site (checked by ``links.safe_path`` when written).
    target: Mapped[str] = mapped_column(sa.String(500), default="/")
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None] = mapped_column()

    person: Mapped[Person] = relationship()

    __table_args__ = (sa.CheckConstraint("expires_at > created_at", name="expires_after_creation"),)

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at
