"""The organisers of a series, whom admins appoint and dismiss: organiser rights are per series (one eventhub, several
networks), held through a ``SeriesMembership`` with the role organiser by an account that may organise.

The membership itself is the events area's (``events.services.add_series_member``); the rules about the account an
organiser needs are about accounts, so they live here, above events.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from eventhub.accounts.models import User
from eventhub.accounts.permissions import ORGANISER_ROLES, is_admin
from eventhub.accounts.services import find_user_by_email
from eventhub.audit import log as audit
from eventhub.audit.models import AuditAction
from eventhub.db import utcnow
from eventhub.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from eventhub.events.models import MembershipRole, Person, Series, SeriesMembership
from eventhub.events.services import add_series_member, members_of
from eventhub.extensions import db

# What ``appoint_series_organiser`` says is wrong with the address (pages show it translated, by these keys).
NO_ACCOUNT = "no account with this address"
NOT_AN_ORGANISER_ACCOUNT = "the account must have the role organiser or admin"
ALREADY_SECRETARY = "is this series' secretary (one role per series)"


def appoint_series_organiser(
    actor: User, series: Series, email: str, now: datetime | None = None
) -> tuple[SeriesMembership, bool]:
    """Make the account with ``email`` an organiser of ``series`` (admins only: NotAllowed otherwise).

    The account must have the role organiser or admin, since the membership alone grants nothing; otherwise
    ValidationFailed on ``email`` (``NO_ACCOUNT`` / ``NOT_AN_ORGANISER_ACCOUNT``). Returns the membership and
    whether they became organiser just now; a plain member is raised to organiser, a secretary is a Conflict
    (``ALREADY_SECRETARY``: one role per series, and taking the minutes away silently would be worse). A new
    appointment goes into the audit log."""
    if not is_admin(actor):
        raise NotAllowed("Only admins may appoint organisers.", {"role": "only admins may grant this role"})
    user = find_user_by_email(email)
    if user is None:
        raise ValidationFailed(f"No account for {email!r}.", {"email": NO_ACCOUNT})
    if user.role not in ORGANISER_ROLES:
        message = f"{user.email} may not organise: the account's role is {user.role.value}."
        raise ValidationFailed(message, {"email": NOT_AN_ORGANISER_ACCOUNT})
    existing = _membership(series, user.person_id)
    role_before = existing.role if existing is not None else None
    if role_before == MembershipRole.SECRETARY:
        raise Conflict(f"{user.email} is the series' secretary.", {"email": ALREADY_SECRETARY})
    membership, _created = add_series_member(series, user.email, role=MembershipRole.ORGANISER)
    appointed = role_before != MembershipRole.ORGANISER
    if appointed:
        _audit(AuditAction.ORGANISER_APPOINTED, series, user.person, actor, now, (role_before, membership.role))
    return membership, appointed


def dismiss_series_organiser(actor: User, series: Series, person_id: int, now: datetime | None = None) -> Person:
    """End ``person_id``'s organiser membership of ``series`` (admins only: NotAllowed otherwise). The membership
    goes altogether, so they also leave the member list (the audit log records it); NotFound when they do not
    organise the series."""
    if not is_admin(actor):
        raise NotAllowed("Only admins may dismiss organisers.")
    membership = _membership(series, person_id)
    if membership is None or membership.role != MembershipRole.ORGANISER:
        raise NotFound(f"Person {person_id} does not organise {series.slug}.")
    person = membership.person
    _audit(AuditAction.ORGANISER_DISMISSED, series, person, actor, now, (membership.role, None))
    db.session.delete(membership)
    db.session.flush()
    return person


def _audit(action: AuditAction, series: Series, person: Person, actor: User, now: datetime | None, role: tuple) -> None:
    audit.record(
        action, actor=actor, now=now or utcnow(), series=series, person=person,
        subject=audit.person_subject(person), fields={"role": role},
    )  # fmt: skip


def series_organisers(series: Series) -> list[SeriesMembership]:
    """The organiser memberships of ``series``, by name."""
    return members_of(series, MembershipRole.ORGANISER)


def _membership(series: Series, person_id: int) -> SeriesMembership | None:
    return db.session.scalar(
        sa.select(SeriesMembership).where(
            SeriesMembership.series_id == series.id, SeriesMembership.person_id == person_id
        )
    )
