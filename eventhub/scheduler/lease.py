"""A named lease in the database, so only one of several workers runs a job (the reminder planner).

Portable across SQLite and PostgreSQL: taking the lease is one conditional UPDATE (the database serialises
concurrent updates of a row and re-checks the condition), and creating it the first time is an INSERT whose
primary key makes a concurrent second INSERT fail rather than succeed twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.scheduler.models import JobLease


def acquire_lease(name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew ``name`` for ``holder`` until ``now + ttl``; False when someone else holds it. Flushes only."""
    taken = db.session.execute(
        sa.update(JobLease)
        .where(
            JobLease.name == name,
            sa.or_(JobLease.holder == holder, JobLease.expires_at.is_(None), JobLease.expires_at <= now),
        )
        .values(holder=holder, expires_at=now + ttl),
        execution_options={"synchronize_session": False},
    )
    if taken.rowcount:
        return True
    if db.session.scalar(sa.select(JobLease.name).where(JobLease.name == name)) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(JobLease(name=name, holder=holder, expires_at=now + ttl))
    except sa.exc.IntegrityError:
        return False  # another worker created it between our UPDATE and INSERT: it is theirs
    return True


def release_lease(name: str, holder: str, now: datetime) -> None:
    """Give the lease up (on shutdown) so another worker need not wait for it to expire. Flushes only."""
    db.session.execute(
        sa.update(JobLease).where(JobLease.name == name, JobLease.holder == holder).values(expires_at=now),
        execution_options={"synchronize_session": False},
    )
