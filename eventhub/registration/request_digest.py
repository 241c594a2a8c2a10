"""One email to each organiser listing the new requests for an invitation, at most one per period.

Requests used to reach organisers only through the dashboard and the requests page; one email per request would
flood them when a newsletter mentions an event. So the planner (``scheduler.planning``) runs
``run_request_digests(now)`` every minute, and each organiser gets at most one digest per period
(``REQUEST_DIGEST_MINUTES``, 15 by default): the outbox key ``request-digest:<user>:<period start>`` makes a
second digest in the same period impossible, and a request whose organisers already had theirs waits for the
next period. A listed request gets ``notified_at`` in the same transaction as its emails: a crash before the
commit loses nothing (nothing was marked), a second run after it sends nothing again (everything was marked).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from itertools import groupby

import sqlalchemy as sa
from flask import current_app

from eventhub.accounts.models import Role, User
from eventhub.events.models import Event, EventStatus, MembershipRole, Person, SeriesMembership
from eventhub.extensions import db
from eventhub.i18n import event_when, reader_language
from eventhub.mail.models import OutboxMessage
from eventhub.mail.services import queue_email, render_email
from eventhub.registration.models import InvitationRequest, RequestStatus
from eventhub.urls import absolute_url


def organisers_to_notify(event: Event) -> list[User]:
    """Who hears about new requests for an invitation to ``event``: the one home of that rule.

    The active organisers of the event's series (organiser rights are per series), or, for an event without a
    series or a series nobody organises, its creator if they still organise, else the active admins: someone
    always hears.
    """
    return _series_organisers(event) or _creator(event) or _active_users(Role.ADMIN)


def _series_organisers(event: Event) -> list[User]:
    if event.series_id is None:
        return []
    query = (
        sa.select(User)
        .join(SeriesMembership, SeriesMembership.person_id == User.person_id)
        .where(
            SeriesMembership.series_id == event.series_id,
            SeriesMembership.role == MembershipRole.ORGANISER,
            User.active.is_(True),
            User.role.in_((Role.ORGANISER, Role.ADMIN)),
        )
        .order_by(User.id)
    )
    return list(db.session.scalars(query))


def _creator(event: Event) -> list[User]:
    creator = db.session.get(User, event.created_by_id) if event.created_by_id else None
    return [creator] if creator is not None and creator.active and creator.role in (Role.ORGANISER, Role.ADMIN) else []


def _active_users(*roles: Role) -> list[User]:
    return list(
        db.session.scalars(sa.select(User).where(User.active.is_(True), User.role.in_(roles)).order_by(User.id))
    )


def period_start(now: datetime) -> datetime:
    """The start of the digest period ``now`` is in (periods are aligned to the epoch, so every worker agrees)."""
    seconds = int(current_app.config["REQUEST_DIGEST_MINUTES"]) * 60
    epoch = int(now.timestamp())
    return now - timedelta(seconds=epoch % seconds, microseconds=now.microsecond)


def digest_key(user: User, now: datetime) -> str:
    return f"request-digest:{user.id}:{int(period_start(now).timestamp())}"


def run_request_digests(now: datetime) -> int:
    """Queue this period's digests of pending requests nobody was told about yet. Returns how many emails.

    Flushes, never commits (the planner commits once). Safe to run twice (see the module)."""
    pending = list(
        db.session.scalars(
            sa.select(InvitationRequest)
            .join(Event, InvitationRequest.event_id == Event.id)
            .where(
                InvitationRequest.status == RequestStatus.PENDING,
                InvitationRequest.notified_at.is_(None),
                Event.status != EventStatus.CANCELLED,
            )
            .order_by(InvitationRequest.event_id, InvitationRequest.created_at, InvitationRequest.id)
        )
    )
    if not pending:
        return 0
    recipients = {request.event_id: organisers_to_notify(request.event) for request in pending}
    already = _had_digest_this_period({user for users in recipients.values() for user in users}, now)
    batches: dict[User, list[InvitationRequest]] = defaultdict(list)
    for request in pending:
        users = recipients[request.event_id]
        if not users or any(user in already for user in users):
            continue  # nobody to tell yet, or someone had this period's digest: the next period lists it
        for user in users:
            batches[user].append(request)
        request.notified_at = now
    for user, requests in batches.items():
        _queue_digest(user, requests, now)
    db.session.flush()
    return len(batches)


def _had_digest_this_period(users: set[User], now: datetime) -> set[User]:
    by_key = {digest_key(user, now): user for user in users}
    sent = db.session.scalars(sa.select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.in_(by_key)))
    return {by_key[key] for key in sent}


def _queue_digest(user: User, requests: list[InvitationRequest], now: datetime) -> OutboxMessage | None:
    person: Person = user.person
    language = reader_language(person)
    events = [
        {
            "event": event,
            "when": event_when(event, language),
            "link": absolute_url("registration_manage.requests", event_id=event.id),
            "requests": list(items),
        }
        for event, items in groupby(requests, key=lambda request: request.event)
    ]
    email = render_email("request_digest", language, name=person.name, events=events, count=len(requests))
    return queue_email(dedup_key=digest_key(user, now), kind="request_digest", recipient=person, email=email, now=now)
