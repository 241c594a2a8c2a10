"""The personal link of the privacy page: whoever holds an address can see and erase what eventhub keeps about it.

Not an accounts ``SignInLink``: those belong to a Person, and eventhub may hold an address without one (a request
for an invitation, an email sent to it, the do-not-send list). The link names the address instead.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from eventhub.extensions import db


class PrivacyLink(db.Model):
    """A link emailed from /privacy. Only the token's SHA-256 is stored; it works until ``expires_at`` (several
    downloads, then at most one erasure, which deletes every link of the address)."""

    __tablename__ = "privacy_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Lower-cased, as people's addresses are stored; a link is only made for an address eventhub already holds.
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)

    __table_args__ = (
        sa.CheckConstraint("email = lower(email)", name="email_is_lower_case"),
        sa.CheckConstraint("expires_at > created_at", name="expires_after_creation"),
    )

    def is_usable(self, now: datetime) -> bool:
        return now < self.expires_at
