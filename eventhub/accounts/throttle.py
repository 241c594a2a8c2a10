"""Slowing down password guessing: failed logins are counted per address and per client, in the database, so
every web process sees the same count. Successful logins are not counted."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from eventhub.errors import DomainError
from eventhub.extensions import db

# The attempts table belongs to the registration area (requests for an invitation); logins share it by scope.
from eventhub.registration.models import RateLimitAttempt

SCOPE = "login"
WINDOW = timedelta(minutes=15)


class TooManyLogins(DomainError):
    status = 429
    code = "too_many_requests"


def _limits() -> dict[str, int]:
    config = current_app.config
    return {"email": int(config["LOGIN_FAILURES_PER_EMAIL"]), "ip": int(config["LOGIN_FAILURES_PER_IP"])}


def _keys(email: str, ip: str) -> dict[str, str]:
    return {"email": f"email:{email.strip().lower()}"[:300], "ip": f"ip:{ip}"[:300]}


def check_login_allowed(email: str, ip: str, now: datetime) -> None:
    """Raise TooManyLogins when this address or this client failed too often in the last quarter of an hour.

    Checked before the password, and the same for existing and unknown addresses, so it reveals nothing."""
    limits = _limits()
    for kind, key in _keys(email, ip).items():
        failures = db.session.scalar(
            sa.select(sa.func.count()).select_from(RateLimitAttempt).where(
                RateLimitAttempt.scope == SCOPE, RateLimitAttempt.key == key, RateLimitAttempt.attempted_at > now - WINDOW
            )
        )
        if failures >= limits[kind]:
            raise TooManyLogins("Too many failed logins. Please wait a quarter of an hour and try again.")


def record_failed_login(email: str, ip: str, now: datetime) -> None:
    """Count one failure for the address and for the client; forget failures older than the window."""
    db.session.execute(sa.delete(RateLimitAttempt).where(RateLimitAttempt.scope == SCOPE, RateLimitAttempt.attempted_at < now - WINDOW))
    db.session.add_all(RateLimitAttempt(scope=SCOPE, key=key, attempted_at=now) for key in _keys(email, ip).values())
    db.session.flush()
