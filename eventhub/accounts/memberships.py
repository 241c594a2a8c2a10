"""Series memberships granted by a person (through the API or a page), under the rule of who may grant what, and
the organisers of a series, whom admins appoint and dismiss.

The membership itself is the events area's (``events.services.add_series_member``); the rules about the granter's
own rights and about the account an organiser needs are about accounts, so they live here, above events, and
events never needs to know accounts exist.
"""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.accounts.models import User
from eventhub.accounts.permissions import ORGANISER_ROLES, can_grant_membership_role, is_admin
from eventhub.accounts.services import find_user_by_email
from eventhub.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from eventhub.events.models import MembershipRole, Person, Series, SeriesMembership
from eventhub.events.services import add_series_member, members_of
from eventhub.extensions import db
from eventhub.validation import enum_value

# What ``appoint_series_organiser`` says is wrong with the address (pages show it translated, by these keys).
NO_ACCOUNT = "no account with this address"
NOT_AN_ORGANISER_ACCOUNT = "the account must have the role organiser or admin"
ALREADY_SECRETARY = "is this series' secretary (one role per series)"


def grant_series_membership(
    actor: User,
    series: Series,
    email: str,
    name: str | None = None,
    organisation: str | None = None,
    role: str | MembershipRole = MembershipRole.MEMBER,
) -> tuple[SeriesMembership, bool]:
    """``add_series_member`` on behalf of ``actor``; raises NotAllowed (403) when ``actor`` may not grant ``role``
    (only admins appoint secretaries and organisers, so an organiser cannot raise themself or anyone above their
    own rights). An organiser needs an account that may organise (see ``appoint_series_organiser``)."""
    role = enum_value(MembershipRole, role, "role")
    if not can_grant_membership_role(actor, role):
        raise NotAllowed(f"Only admins may make someone a {role.value}.", {"role": "only admins may grant this role"})
    if role == MembershipRole.ORGANISER:
        return appoint_series_organiser(actor, series, email)
    return add_series_member(series, email, name, organisation, role)


def appoint_series_organiser(actor: User, series: Series, email: str) -> tuple[SeriesMembership, bool]:
    """Make the account with ``email`` an organiser of ``series`` (admins only: NotAllowed otherwise).

    The account must have the role organiser or admin, since the membership alone grants nothing; otherwise
    ValidationFailed on ``email`` (``NO_ACCOUNT`` / ``NOT_AN_ORGANISER_ACCOUNT``). Returns the membership and
    whether they became organiser just now; a plain member is raised to organiser, a secretary is a Conflict
    (``ALREADY_SECRETARY``: one role per series, and taking the minutes away silently would be worse)."""
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
    return membership, role_before != MembershipRole.ORGANISER


def dismiss_series_organiser(actor: User, series: Series, person_id: int) -> Person:
    """End ``person_id``'s organiser membership of ``series`` (admins only: NotAllowed otherwise). The membership
    goes altogether, so they also leave the member list; NotFound when they do not organise the series."""
    if not is_admin(actor):
        raise NotAllowed("Only admins may dismiss organisers.")
    membership = _membership(series, person_id)
    if membership is None or membership.role != MembershipRole.ORGANISER:
        raise NotFound(f"Person {person_id} does not organise {series.slug}.")
    person = membership.person
    db.session.delete(membership)
    db.session.flush()
    return person


def series_organisers(series: Series) -> list[SeriesMembership]:
    """The organiser memberships of ``series``, by name."""
    return members_of(series, MembershipRole.ORGANISER)


def _membership(series: Series, person_id: int) -> SeriesMembership | None:
    return db.session.scalar(
        sa.select(SeriesMembership).where(
            SeriesMembership.series_id == series.id, SeriesMembership.person_id == person_id
        )
    )
