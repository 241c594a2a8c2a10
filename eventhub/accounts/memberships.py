"""Series memberships granted and withdrawn by a person (through the API or the members page), under the rule of
who may grant what; adding a whole list of people at once, as invitations do.

The membership itself is the events area's (``events.services.add_series_member``); the rule about the granter's
own rights is about accounts, so it lives here, above events, and events never needs to know accounts exist.
Every new membership made here is announced (``accounts.signals.members_joined``): the new member gets a welcome
email in the same transaction. Functions flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from eventhub.accounts import organisers
from eventhub.accounts.models import User
from eventhub.accounts.permissions import can_grant_membership_role
from eventhub.accounts.signals import members_joined
from eventhub.audit import log as audit
from eventhub.audit.models import AuditAction
from eventhub.db import insert_skipping_duplicates, utcnow
from eventhub.errors import Conflict, NotAllowed, NotFound
from eventhub.events.models import MembershipRole, Person, Series, SeriesMembership
from eventhub.events.people import (
    IN_LIST_CHUNK,
    LanguageFallback,
    ListedRow,
    NewPerson,
    get_or_create_people,
    language_fallbacks,
    sort_listed_rows,
)
from eventhub.events.services import add_series_member
from eventhub.extensions import db
from eventhub.texts import lazy_text as _l
from eventhub.validation import enum_value, normalize_email


class ListProblem(Protocol):
    """A row the parser could not read: its line and why."""

    def as_dict(self) -> dict[str, object]: ...


# Why an organiser may not do this, by the role at stake (a role's name does not fit into another language's
# sentence as it does into the English one).
_ONLY_ADMINS_GRANT = {
    MembershipRole.SECRETARY: _l("Only admins may make someone a secretary."),
    MembershipRole.ORGANISER: _l("Only admins may make someone an organiser."),
}
_ONLY_ADMINS_REMOVE = {
    MembershipRole.SECRETARY: _l("Only admins may remove a secretary."),
    MembershipRole.ORGANISER: _l("Only admins may remove an organiser."),
}
_ONLY_ADMINS_MAY = _l("Only admins may do this.")
ALREADY_A_MEMBER = _l("already a member")


def _check_may_grant(actor: User | None, role: MembershipRole) -> None:
    """Raises NotAllowed (403) when ``actor`` may not grant ``role`` (only admins appoint secretaries, so an
    organiser cannot raise themself or anyone above their own rights)."""
    if not can_grant_membership_role(actor, role):
        only_admins = _ONLY_ADMINS_GRANT.get(role, _ONLY_ADMINS_MAY)
        raise NotAllowed(only_admins, {"role": _l("only admins may grant this role")})


def grant_series_membership(
    actor: User,
    series: Series,
    email: str,
    name: str | None = None,
    organisation: str | None = None,
    role: str | MembershipRole = MembershipRole.MEMBER,
    language: str | None = None,
    *,
    now: datetime | None = None,
) -> tuple[SeriesMembership, bool]:
    """``add_series_member`` on behalf of ``actor``; returns the membership and whether it is new. Adding someone
    who is a member already changes nothing (the API answers 200, so scripts can be re-run). A new member is
    welcomed by email. A new membership or role goes into the audit log. Raises NotAllowed when ``actor`` may
    not grant ``role``.

    ``now`` defaults to the database clock only for callers written before the welcome email existed."""
    role = enum_value(MembershipRole, role, "role")
    _check_may_grant(actor, role)
    now = now or utcnow()
    if role == MembershipRole.ORGANISER:  # an account that may organise, appointed by an admin
        return organisers.appoint_series_organiser(actor, series, email, now=now)
    role_before = _role_of(series, email)
    membership, created = add_series_member(series, email, name, organisation, role, language)
    if created:
        members_joined.send(series, memberships=[membership], now=now)
    if membership.role != role_before:
        _audit(AuditAction.MEMBER_ADDED, membership, actor, now, role_before)
    return membership, created


def _role_of(series: Series, email: str) -> MembershipRole | None:
    """The role ``email`` holds in ``series`` now (None: not a member), read before a change for the audit log."""
    return db.session.scalar(
        sa.select(SeriesMembership.role)
        .join(Person, Person.id == SeriesMembership.person_id)
        .where(SeriesMembership.series_id == series.id, Person.email == normalize_email(email))
    )


def _audit(
    action: AuditAction, membership: SeriesMembership, actor: User | None, now: datetime, role_before: Any
) -> None:
    """An entry about the membership's person: the role before → after (None: not a member)."""
    role_after = None if action == AuditAction.MEMBER_REMOVED else membership.role
    audit.record(
        action, actor=actor, now=now, series=membership.series, person=membership.person,
        subject=audit.person_subject(membership.person), fields={"role": (role_before, role_after)},
    )  # fmt: skip


def add_member(
    actor: User,
    series: Series,
    email: str,
    name: str | None,
    organisation: str | None,
    language: str | None,
    now: datetime,
    role: str | MembershipRole = MembershipRole.MEMBER,
) -> SeriesMembership:
    """Add one person from the members page. Unlike the API, someone who is a member already is an error on the
    ``email`` field (Conflict): the organiser meant to add someone new. Nothing of a refused add is kept, once the
    caller rolls back (``web.apply_domain_error`` does)."""
    membership, created = grant_series_membership(actor, series, email, name, organisation, role, language, now=now)
    if not created:
        raise Conflict(
            _l("%(email)s is a member of %(series)s already.", email=membership.person.email, series=series.title),
            {"email": _l("already a member of this series")},
        )
    return membership


# ---------------------------------------------------------------------------------------------------------
# A list of people at once
# ---------------------------------------------------------------------------------------------------------


@dataclass
class MembersAdded:
    """What ``add_series_members`` did, row by row: new memberships, rows skipped and why, rows refused, and a
    warning for each new member whose language eventhub does not speak (``people.LanguageFallback``)."""

    created: list[SeriesMembership] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[LanguageFallback] = field(default_factory=list)


def add_series_members(
    actor: User,
    series: Series,
    rows: Iterable[ListedRow],
    now: datetime,
    parse_errors: Iterable[ListProblem] = (),
) -> MembersAdded:
    """Make each row's person (created if new) a plain member of ``series``, as ``invitations.invite_people``
    invites a list: a bad row is reported with its line and reason and the others go on; someone who is a member
    already (or listed twice, whatever the capitals) is skipped, so uploading the same file again adds nobody.
    A language eventhub does not speak is accepted and warned about (that member reads the series' language).
    Raises NotAllowed when ``actor`` may not add members.

    A few statements whatever the length of the list: people and memberships are written with multi-row INSERTs.
    """
    _check_may_grant(actor, MembershipRole.MEMBER)
    result = MembersAdded(errors=[problem.as_dict() for problem in parse_errors])
    rows_sorted = sort_listed_rows(rows, lambda emails: _member_emails(series, emails), ALREADY_A_MEMBER)
    result.errors.extend(rows_sorted.errors)
    result.skipped.extend(rows_sorted.skipped)
    to_add = rows_sorted.new
    if to_add:
        result.created, raced = _write_memberships(series, to_add, now)
        result.skipped.extend({"line": line, "email": email, "reason": ALREADY_A_MEMBER} for line, email in raced)
        result.skipped.sort(key=lambda skipped: skipped["line"])
        if result.created:
            members_joined.send(series, memberships=result.created, now=now)
            added = [membership.person for membership in result.created]
            audit.record_people(AuditAction.MEMBER_ADDED, added, actor=actor, now=now, series=series)
        lines = {entry.email: line for line, entry in to_add}
        result.warnings = language_fallbacks(((lines[m.person.email], m.person) for m in result.created), series)
    result.errors.sort(key=lambda error: error["line"])
    return result


def _member_emails(series: Series, emails: Sequence[str]) -> set[str]:
    """Which of ``emails`` belong to members of ``series`` already (one IN query per 5,000)."""
    found: set[str] = set()
    for start in range(0, len(emails), IN_LIST_CHUNK):
        query = (
            sa.select(Person.email)
            .join(SeriesMembership, SeriesMembership.person_id == Person.id)
            .where(SeriesMembership.series_id == series.id, Person.email.in_(emails[start : start + IN_LIST_CHUNK]))
        )
        found.update(db.session.scalars(query))
    return found


def _write_memberships(
    series: Series, entries: list[tuple[int, NewPerson]], now: datetime
) -> tuple[list[SeriesMembership], list[tuple[int, str]]]:
    """Create the people and memberships of ``entries`` (not yet members, each once). Returns the new memberships
    in the rows' order, and the (line, email) of rows another upload made members in the meantime (the unique
    constraint turned them away: skipped, not failed)."""
    person_ids = get_or_create_people([entry for _, entry in entries], now)
    rows = [
        {"series_id": series.id, "person_id": person_ids[entry.email], "role": MembershipRole.MEMBER,
         "created_at": now, "updated_at": now}
        for _, entry in entries
    ]  # fmt: skip
    table = SeriesMembership.__table__
    statement = insert_skipping_duplicates(table, db.session).returning(table.c.id)
    ids = [
        membership_id
        for start in range(0, len(rows), IN_LIST_CHUNK)
        for membership_id in db.session.scalars(statement, rows[start : start + IN_LIST_CHUNK])
    ]
    by_person = {membership.person_id: membership for membership in _load_memberships(ids)}
    created = [by_person[person_ids[entry.email]] for _, entry in entries if person_ids[entry.email] in by_person]
    raced = [(line, entry.email) for line, entry in entries if person_ids[entry.email] not in by_person]
    return created, raced


def _load_memberships(ids: list[int]) -> list[SeriesMembership]:
    """The new memberships with their people; ``populate_existing`` because a person already in the session may
    just have had their organisation filled in by an UPDATE the session did not see."""
    query = (
        sa.select(SeriesMembership)
        .options(
            joinedload(SeriesMembership.person).joinedload(Person.organisation), joinedload(SeriesMembership.series)
        )
        .execution_options(populate_existing=True)
    )
    found: list[SeriesMembership] = []
    for start in range(0, len(ids), IN_LIST_CHUNK):
        found.extend(db.session.scalars(query.where(SeriesMembership.id.in_(ids[start : start + IN_LIST_CHUNK]))))
    return found


# ---------------------------------------------------------------------------------------------------------
# Removing a member
# ---------------------------------------------------------------------------------------------------------


def get_membership(series: Series, membership_id: int) -> SeriesMembership:
    """The membership ``membership_id`` of ``series`` with its person; NotFound for another series' or none."""
    membership = db.session.scalar(
        sa.select(SeriesMembership)
        .where(SeriesMembership.id == membership_id, SeriesMembership.series_id == series.id)
        .options(joinedload(SeriesMembership.person).joinedload(Person.organisation))
    )
    if membership is None:
        raise NotFound(f"No membership {membership_id} in {series.slug}.")
    return membership


def can_remove_membership(actor: User | None, membership: SeriesMembership) -> bool:
    """Whoever may grant a membership's role may take it away: organisers remove plain members, and only admins
    remove a secretary (an admin appointed them; an organiser could not put them back)."""
    return can_grant_membership_role(actor, membership.role)


def remove_membership(actor: User, membership: SeriesMembership, now: datetime | None = None) -> None:
    """End ``membership``: the person no longer sees a members-only series, and its meetings leave their personal
    calendar feed. The person and their other memberships stay; the audit log records it. Raises NotAllowed as
    ``can_remove_membership``."""
    if not can_remove_membership(actor, membership):
        raise NotAllowed(_ONLY_ADMINS_REMOVE.get(membership.role, _ONLY_ADMINS_MAY))
    _audit(AuditAction.MEMBER_REMOVED, membership, actor, now or utcnow(), membership.role)
    db.session.delete(membership)
    db.session.flush()
