"""The organiser's long lists of one event, filtered, searched, counted and cut in SQL: invitations,
registrations and requests for an invitation. An event may have 5,000 invitations, so nothing here loads a
whole list: each function builds one ordered ``select`` that the HTML pages cut into pages
(``pagination.paginate``) and the API into windows (``pagination.window``), and counts per status are one
GROUP BY.

An invitation's status as shown is computed (``expired`` is never stored: ``Invitation.status_at``); the event's
closing time is one value, so "expired" is "stored as pending, and registration has closed", decided here in SQL
the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from eventhub.events.models import Event, Organisation, Person
from eventhub.extensions import db
from eventhub.pagination import text_search
from eventhub.registration.models import (
    Invitation,
    InvitationRequest,
    InvitationStatus,
    Registration,
    RegistrationStatus,
    RequestStatus,
)


@dataclass(frozen=True)
class ListFilters:
    """What an organiser narrows a list to; None (or a blank ``q``) means any."""

    status: str | None = None
    organisation_id: int | None = None
    language: str | None = None
    q: str = ""


def _people_conditions(filters: ListFilters) -> list[sa.ColumnElement[bool]]:
    conditions = [text_search(filters.q, [Person.name, Person.email])]
    if filters.organisation_id is not None:
        conditions.append(Person.organisation_id == filters.organisation_id)
    if filters.language:
        conditions.append(Person.language == filters.language)
    return [condition for condition in conditions if condition is not None]


# ---------------------------------------------------------------------------------------------------------
# Invitations
# ---------------------------------------------------------------------------------------------------------


def _closed(event: Event, now: datetime) -> bool:
    return now >= event.registration_closes_at_or_start


def _invitation_status_condition(event: Event, status: InvitationStatus, now: datetime) -> sa.ColumnElement[bool]:
    """The status as shown, as SQL: pending ones count as expired once registration has closed."""
    if status == InvitationStatus.EXPIRED:
        return Invitation.status == InvitationStatus.PENDING if _closed(event, now) else sa.false()
    if status == InvitationStatus.PENDING and _closed(event, now):
        return sa.false()
    return Invitation.status == status


def invitations_query(event: Event, filters: ListFilters, now: datetime) -> sa.Select:
    """The event's invitations matching ``filters``, by invitee name, each with its person and organisation."""
    query = (
        sa.select(Invitation)
        .join(Person, Invitation.person_id == Person.id)
        .where(Invitation.event_id == event.id, *_people_conditions(filters))
        .options(contains_eager(Invitation.person).joinedload(Person.organisation))
        .order_by(Person.name, Invitation.id)
    )
    if filters.status:
        query = query.where(_invitation_status_condition(event, InvitationStatus(filters.status), now))
    return query


def invitation_counts(event: Event, now: datetime) -> dict[InvitationStatus, int]:
    """How many invitations are in each status as shown (every status present), in one GROUP BY."""
    counts = dict.fromkeys(InvitationStatus, 0)
    rows = db.session.execute(
        sa.select(Invitation.status, sa.func.count()).where(Invitation.event_id == event.id).group_by(Invitation.status)
    )
    for stored, count in rows:
        status = InvitationStatus(stored)
        if status == InvitationStatus.PENDING and _closed(event, now):
            status = InvitationStatus.EXPIRED
        counts[status] += count
    return counts


# ---------------------------------------------------------------------------------------------------------
# Registrations
# ---------------------------------------------------------------------------------------------------------


def registrations_query(event: Event, filters: ListFilters) -> sa.Select:
    """The event's registrations matching ``filters``: confirmed first, then the waiting list in its order, then
    cancelled ones; by name within each. Each with its person and organisation."""
    order = sa.case(
        (Registration.status == RegistrationStatus.CONFIRMED, 0),
        (Registration.status == RegistrationStatus.WAITLISTED, 1),
        else_=2,
    )
    query = (
        sa.select(Registration)
        .join(Person, Registration.person_id == Person.id)
        .where(Registration.event_id == event.id, *_people_conditions(filters))
        .options(contains_eager(Registration.person).joinedload(Person.organisation))
        .order_by(order, Registration.waitlist_position, Person.name, Registration.id)
    )
    if filters.status:
        query = query.where(Registration.status == RegistrationStatus(filters.status))
    return query


def registration_counts(event: Event) -> dict[RegistrationStatus, int]:
    """How many registrations are in each status (every status present), in one GROUP BY."""
    return _counts(RegistrationStatus, Registration.status, Registration.event_id == event.id)


# ---------------------------------------------------------------------------------------------------------
# Requests for an invitation (not people yet: name, address and organisation are the request's own text)
# ---------------------------------------------------------------------------------------------------------


def requests_query(event: Event, filters: ListFilters) -> sa.Select:
    """The event's requests matching ``filters`` (``q`` searches name, email and organisation): pending first,
    then decided ones; oldest first within each."""
    order = sa.case((InvitationRequest.status == RequestStatus.PENDING, 0), else_=1)
    columns = [InvitationRequest.name, InvitationRequest.email, InvitationRequest.organisation]
    conditions = [c for c in (text_search(filters.q, columns),) if c is not None]
    if filters.status:
        conditions.append(InvitationRequest.status == RequestStatus(filters.status))
    return (
        sa.select(InvitationRequest)
        .where(InvitationRequest.event_id == event.id, *conditions)
        .order_by(order, InvitationRequest.created_at, InvitationRequest.id)
    )


def request_counts(event: Event) -> dict[RequestStatus, int]:
    return _counts(RequestStatus, InvitationRequest.status, InvitationRequest.event_id == event.id)


# ---------------------------------------------------------------------------------------------------------
# What the filters offer
# ---------------------------------------------------------------------------------------------------------


def filter_options(event: Event, of: type[Invitation] | type[Registration]) -> tuple[list[Organisation], list[str]]:
    """The organisations and the languages of the people in the event's invitations (or registrations), so the
    filters offer only what narrows the list: two small DISTINCT queries."""
    people = sa.select(of.person_id).where(of.event_id == event.id)
    organisations = sa.select(Organisation).where(
        Organisation.id.in_(sa.select(Person.organisation_id).where(Person.id.in_(people)))
    )
    languages = (
        sa.select(Person.language)
        .where(Person.id.in_(people), Person.language.is_not(None))
        .distinct()
        .order_by(Person.language)
    )
    return list(db.session.scalars(organisations.order_by(Organisation.name))), list(db.session.scalars(languages))


def _counts(kinds, column, condition) -> dict:
    counts = dict.fromkeys(kinds, 0)
    for value, count in db.session.execute(sa.select(column, sa.func.count()).where(condition).group_by(column)):
        counts[kinds(value)] = count
    return counts
