"""The do-not-send list: addresses that failed for good, whether the server said so (5xx) or a bounce did.

The sender consults it before every batch, so a row queued before its address was suppressed is not sent
either; it fails with a reason saying why, and shows on /admin/outbox. Functions flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from eventhub.errors import NotFound
from eventhub.extensions import db
from eventhub.mail.models import SuppressedAddress, SuppressionReason
from eventhub.texts import lazy_text as _l

SUPPRESSED_ERROR = "not sent: {email} is on the do-not-send list (an admin can lift that on /admin/outbox)"


def suppress_address(email: str, reason: SuppressionReason, detail: str = "") -> bool:
    """Put ``email`` on the list (once; a second report changes nothing). Returns whether it was new.

    Inside a SAVEPOINT, so two senders suppressing the same address at once leave the caller's transaction usable.
    """
    email = email.strip().lower()
    if is_suppressed(email):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(SuppressedAddress(email=email, reason=reason, detail=detail[:2000]))
    except sa.exc.IntegrityError:
        return False
    return True


def is_suppressed(email: str) -> bool:
    query = sa.select(SuppressedAddress.id).where(SuppressedAddress.email == email.lower())
    return db.session.scalar(query) is not None


def suppressed_among(emails: Iterable[str]) -> set[str]:
    """Which of ``emails`` (lower-cased, as stored) are on the list: one query for a whole batch or page."""
    wanted = {email.lower() for email in emails}
    if not wanted:
        return set()
    return set(db.session.scalars(sa.select(SuppressedAddress.email).where(SuppressedAddress.email.in_(wanted))))


def suppressed_addresses(limit: int = 500) -> list[SuppressedAddress]:
    """The list, newest first, for the admin page."""
    query = sa.select(SuppressedAddress).order_by(SuppressedAddress.created_at.desc(), SuppressedAddress.id.desc())
    return list(db.session.scalars(query.limit(limit)))


def lift_suppression(email: str) -> SuppressedAddress:
    """Take ``email`` off the list, so mail queued from now on is sent. Raises NotFound when it is not on it."""
    entry = db.session.scalar(sa.select(SuppressedAddress).where(SuppressedAddress.email == email.strip().lower()))
    if entry is None:
        raise NotFound(_l("%(email)s is not on the do-not-send list.", email=email))
    db.session.delete(entry)
    db.session.flush()
    return entry


def suppressed_error(email: str) -> str:
    """The ``last_error`` of a row not sent because of the list."""
    return SUPPRESSED_ERROR.format(email=email)
