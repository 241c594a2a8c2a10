"""Slowing down password guessing: login attempts are counted per address and per client (``eventhub.ratelimit``),
so every web process sees the same count. Successful logins are taken back; failures count for a quarter of an hour.

An attempt is recorded (and committed by the caller) BEFORE its password is checked, then the limit is checked
counting it: guesses sent at the same moment see each other, so no more than the limit are ever evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from eventhub import ratelimit
from eventhub.texts import lazy_text as _l

SCOPE = "login"
WINDOW = timedelta(minutes=15)
MESSAGE = _l("Too many failed logins. Please wait a quarter of an hour and try again.")


@dataclass(frozen=True)
class LoginAttempt:
    """One recorded login attempt: its keys' rows, so a success (or a refusal) can take it back."""

    email: str
    ip: str
    now: datetime
    row_ids: tuple[int, ...]


def _keys(email: str, ip: str) -> dict[str, str]:
    return {"email": ratelimit.limit_key("email", email.strip().lower()), "ip": ratelimit.limit_key("ip", ip)}


def begin_login_attempt(email: str, ip: str, now: datetime) -> LoginAttempt:
    """Record an attempt for the address and the client, and forget attempts older than the window.

    The caller commits before checking anything else, so concurrent attempts count this one."""
    ratelimit.prune_attempts(SCOPE, now - WINDOW)
    row_ids = ratelimit.record_attempts(SCOPE, _keys(email, ip).values(), now)
    return LoginAttempt(email, ip, now, tuple(row_ids))


def check_login_allowed(attempt: LoginAttempt) -> None:
    """Raise TooManyRequests when, counting ``attempt``, its address or client is over the limit.

    The same for existing and unknown addresses, so it reveals nothing."""
    config = current_app.config
    keys = _keys(attempt.email, attempt.ip)
    limits = {
        keys["email"]: ratelimit.Limit(int(config["LOGIN_FAILURES_PER_EMAIL"]), WINDOW),
        keys["ip"]: ratelimit.Limit(int(config["LOGIN_FAILURES_PER_IP"]), WINDOW),
    }
    ratelimit.check_limits(SCOPE, limits, attempt.now, MESSAGE, recorded=True)


def withdraw_login_attempt(attempt: LoginAttempt) -> None:
    """Take the attempt back: a successful login is no failure, and a refused one (never evaluated) must not
    prolong the lock."""
    ratelimit.forget_attempts(attempt.row_ids)
