"""Rate limits counted in the database: every web process and worker sees the same count.

One table of attempts, shared by scopes (``login``, ``invitation-request``): each limiter counts its own scope's
rows by key (``email:<address>``, ``ip:<address>``), records an attempt, and prunes its own scope's old rows.
What counts as an attempt is the caller's choice on purpose: logins count failures, invitation requests count
accepted submissions. Past a limit, ``TooManyRequests`` (429).

Flask-Limiter would need Redis to be correct across gunicorn workers; eventhub runs on PostgreSQL or SQLite only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from eventhub.errors import TooManyRequests
from eventhub.extensions import db

MAX_KEY = 300


class RateLimitAttempt(db.Model):
    """One attempt at a rate-limited action of ``scope``, by key (``ip:<address>``, ``email:<address>``)."""

    __tablename__ = "rate_limit_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(sa.String(50))
    key: Mapped[str] = mapped_column(sa.String(MAX_KEY))
    attempted_at: Mapped[datetime]

    __table_args__ = (sa.Index("ix_rate_limit_attempts_lookup", "scope", "key", "attempted_at"),)


@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` per key within ``window``."""

    attempts: int
    window: timedelta

    @classmethod
    def from_config(cls, value: tuple[int, int] | list[int]) -> Limit:
        """A ``(attempts, window seconds)`` pair as config.py spells it."""
        return cls(int(value[0]), timedelta(seconds=int(value[1])))


def limit_key(kind: str, value: str) -> str:
    """``<kind>:<value>``, cut to the column's length (a long address must not break the insert)."""
    return f"{kind}:{value}"[:MAX_KEY]


def count_attempts(scope: str, key: str, since: datetime) -> int:
    """Attempts of ``scope`` under ``key`` after ``since``."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(RateLimitAttempt)
        .where(RateLimitAttempt.scope == scope, RateLimitAttempt.key == key, RateLimitAttempt.attempted_at > since)
    )


def check_limits(scope: str, limits: dict[str, Limit], now: datetime, message: str, recorded: bool = False) -> None:
    """Raise TooManyRequests(``message``) when any key of ``limits`` has used up its attempts.

    ``recorded``: the caller's own attempt is already recorded (and committed), so it is one of those counted
    and the limit is passed only beyond ``attempts``. Recording first is what makes a limit hold under
    concurrency: of any number of attempts made at once, each sees at least those committed before it.
    """
    own = 1 if recorded else 0
    for key, limit in limits.items():
        if count_attempts(scope, key, now - limit.window) >= limit.attempts + own:
            raise TooManyRequests(message)


def record_attempts(scope: str, keys: Iterable[str], now: datetime) -> list[int]:
    """Count one attempt for each key; returns the rows' ids (for ``forget_attempts``)."""
    rows = [RateLimitAttempt(scope=scope, key=key, attempted_at=now) for key in keys]
    db.session.add_all(rows)
    db.session.flush()
    return [row.id for row in rows]


def forget_attempts(ids: Iterable[int]) -> None:
    """Take back attempts recorded before it was known whether they count (a successful login)."""
    db.session.execute(sa.delete(RateLimitAttempt).where(RateLimitAttempt.id.in_(list(ids))))


def prune_attempts(scope: str, older_than: datetime) -> int:
    """Forget ``scope``'s attempts before ``older_than`` (they only matter inside a window); other scopes'
    rows are left alone. Returns how many went. Called by the limiters themselves, so no job is needed."""
    result = db.session.execute(
        sa.delete(RateLimitAttempt).where(RateLimitAttempt.scope == scope, RateLimitAttempt.attempted_at < older_than)
    )
    return result.rowcount or 0


@dataclass(frozen=True)
class LinkRequest:
    """One recorded request for an emailed link (sign-in, privacy): its rate-limit rows, so a refused request can
    be taken back."""

    scope: str
    email: str
    ip: str
    now: datetime
    row_ids: tuple[int, ...]


def _link_limits(email: str, ip: str) -> dict[str, Limit]:
    """Per address and per client, as ``SIGN_IN_LINK_LIMIT_PER_EMAIL`` / ``_PER_IP`` say, for every emailed link."""
    config = current_app.config
    return {
        limit_key("email", email.strip().lower()): Limit.from_config(config["SIGN_IN_LINK_LIMIT_PER_EMAIL"]),
        limit_key("ip", ip): Limit.from_config(config["SIGN_IN_LINK_LIMIT_PER_IP"]),
    }


def begin_link_request(scope: str, email: str, ip: str, now: datetime) -> LinkRequest:
    """Count a request for the address and the client (the caller commits before ``check_link_request``)."""
    limits = _link_limits(email, ip)
    prune_attempts(scope, now - max(limit.window for limit in limits.values()))
    return LinkRequest(scope, email, ip, now, tuple(record_attempts(scope, limits.keys(), now)))


def check_link_request(request: LinkRequest, message: str) -> None:
    """Raise TooManyRequests when, counting ``request``, its address or client is over the limit; the refused
    request is taken back (the caller commits), so hammering does not prolong the wait."""
    limits = _link_limits(request.email, request.ip)
    try:
        check_limits(request.scope, limits, request.now, message, recorded=True)
    except TooManyRequests:
        forget_attempts(request.row_ids)
        raise
