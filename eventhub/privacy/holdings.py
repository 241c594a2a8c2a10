"""Where eventhub keeps an email address: the queries export and erasure share, so they cannot disagree.

Most rows point at the address's ``Person`` by id (registrations, invitations, memberships, attendance, comments,
tokens, the account). Some hold the address itself, with or without a person: requests for an invitation, outbox
rows, the do-not-send list, rate-limit counts, privacy links and audit entries. Read-only; nothing here writes.
"""

from __future__ import annotations

import sqlalchemy as sa

from eventhub import ratelimit
from eventhub.accounts.models import User
from eventhub.audit.models import AuditEntry
from eventhub.errors import ValidationFailed
from eventhub.events.models import Person
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage, SuppressedAddress
from eventhub.privacy.models import PrivacyLink
from eventhub.privacy.stand_ins import is_stand_in_address
from eventhub.ratelimit import RateLimitAttempt
from eventhub.registration.models import InvitationRequest
from eventhub.validation import normalize_email


def normalized_address(email: str) -> str | None:
    """The address as eventhub stores addresses, or None when it is not one (nothing can be held under it).
    A stand-in's address is no one's: None too, so nobody exports or erases a stand-in."""
    try:
        address = normalize_email(email)
    except ValidationFailed:
        return None
    return None if is_stand_in_address(address) else address


def person_with_address(address: str) -> Person | None:
    return db.session.scalar(sa.select(Person).where(Person.email == address))


def account_of(person: Person | None) -> User | None:
    if person is None:
        return None
    return db.session.scalar(sa.select(User).where(User.person_id == person.id))


def holds_anything(address: str) -> bool:
    """Whether eventhub holds data about ``address`` worth a privacy link: a person, a request for an invitation,
    an email to it, or the do-not-send list. Rate-limit counts are left out: asking for the link makes one."""
    checks = (
        sa.select(Person.id).where(Person.email == address),
        sa.select(InvitationRequest.id).where(InvitationRequest.email == address),
        sa.select(OutboxMessage.id).where(sa.func.lower(OutboxMessage.recipient_email) == address),
        sa.select(SuppressedAddress.id).where(SuppressedAddress.email == address),
    )
    return any(db.session.scalar(check.limit(1)) is not None for check in checks)


def requests_from(address: str) -> list[InvitationRequest]:
    query = sa.select(InvitationRequest).where(InvitationRequest.email == address).order_by(InvitationRequest.id)
    return list(db.session.scalars(query))


def emails_to(address: str, person: Person | None) -> sa.ColumnElement[bool]:
    """Outbox rows written to the address (or to its person under an address they had before)."""
    to_address = sa.func.lower(OutboxMessage.recipient_email) == address
    return sa.or_(to_address, OutboxMessage.person_id == person.id) if person is not None else to_address


def mentions(columns: list[sa.ColumnElement[str]], needles: list[str]) -> sa.ColumnElement[bool]:
    """Any of ``columns`` (JSON cast to text) contains any of ``needles``, whatever the case."""
    return sa.or_(
        *(
            sa.func.lower(sa.cast(column, sa.Text)).like(f"%{_escaped(needle.lower())}%", escape="\\")
            for column in columns
            for needle in needles
            if needle
        ),
        sa.false(),
    )


def _escaped(text: str) -> str:
    """``text`` matched literally by LIKE: addresses often hold ``_``, which LIKE reads as any character."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def emails_to_others_mentioning(address: str, person: Person | None) -> list[OutboxMessage]:
    """Emails to other people that name the address (an organisers' digest of requests for an invitation)."""
    columns = [OutboxMessage.subject, OutboxMessage.body_text, OutboxMessage.body_html]
    query = sa.select(OutboxMessage).where(sa.not_(emails_to(address, person)), mentions(columns, [address]))
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def suppression_of(address: str) -> SuppressedAddress | None:
    return db.session.scalar(sa.select(SuppressedAddress).where(SuppressedAddress.email == address))


def rate_limit_key(address: str) -> str:
    return ratelimit.limit_key("email", address)


def rate_limit_attempts(address: str) -> list[RateLimitAttempt]:
    query = sa.select(RateLimitAttempt).where(RateLimitAttempt.key == rate_limit_key(address))
    return list(db.session.scalars(query.order_by(RateLimitAttempt.attempted_at, RateLimitAttempt.id)))


def privacy_links_of(address: str) -> sa.ColumnElement[bool]:
    return PrivacyLink.email == address


def audit_entries_about(address: str, person: Person | None, user: User | None) -> list[AuditEntry]:
    """Entries about the person, made by their account, or naming their address."""
    conditions = [mentions([AuditEntry.subject, AuditEntry.actor_label, AuditEntry.fields], [address])]
    if person is not None:
        conditions.append(AuditEntry.person_id == person.id)
    if user is not None:
        conditions.append(AuditEntry.actor_id == user.id)
    query = sa.select(AuditEntry).where(sa.or_(*conditions)).order_by(AuditEntry.at, AuditEntry.id)
    return list(db.session.scalars(query))
