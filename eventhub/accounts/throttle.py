"""Slowing down password guessing: failed logins are counted per address and per client (``eventhub.ratelimit``),
so every web process sees the same count. Successful logins are not counted."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from eventhub import ratelimit

SCOPE = "login"
WINDOW = timedelta(minutes=15)
MESSAGE = "Too many failed logins. Please wait a quarter of an hour and try again."


def _keys(email: str, ip: str) -> dict[str, str]:
    return {"email": ratelimit.limit_key("email", email.strip().lower()), "ip": ratelimit.limit_key("ip", ip)}


def check_login_allowed(email: str, ip: str, now: datetime) -> None:
    """Raise TooManyRequests when this address or this client failed too often in the last quarter of an hour.

    Checked before the password, and the same for existing and unknown addresses, so it reveals nothing."""
    config = current_app.config
    keys = _keys(email, ip)
    limits = {
        keys["email"]: ratelimit.Limit(int(config["LOGIN_FAILURES_PER_EMAIL"]), WINDOW),
        keys["ip"]: ratelimit.Limit(int(config["LOGIN_FAILURES_PER_IP"]), WINDOW),
    }
    ratelimit.check_limits(SCOPE, limits, now, MESSAGE)


def record_failed_login(email: str, ip: str, now: datetime) -> None:
    """Count one failure for the address and for the client; forget login failures older than the window."""
    ratelimit.prune_attempts(SCOPE, now - WINDOW)
    ratelimit.record_attempts(SCOPE, _keys(email, ip).values(), now)
