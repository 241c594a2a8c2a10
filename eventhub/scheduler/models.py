"""The scheduler's table: named leases, so only one of several workers runs a job (see ``scheduler.lease``)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from eventhub.extensions import db


class JobLease(db.Model):
    """A named lease held by one worker at a time (the reminder planner), portable across databases."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    holder: Mapped[str | None] = mapped_column(sa.String(100))
    expires_at: Mapped[datetime | None] = mapped_column()
