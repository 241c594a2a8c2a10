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
