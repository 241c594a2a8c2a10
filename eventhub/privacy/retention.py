"""Retention: an event's personal data is anonymised once its retention period has passed since the event ENDED.

The period is the event's ``retention_days``, else its series', else ``RETENTION_DAYS`` (config). The planner
runs ``run_retention`` each tick; ``flask retention apply`` runs the same by hand. Anonymising an event
(``anonymise_event``) keeps every registration, invitation and attendance row, so the organiser's pages and the
dashboard count as before, but puts a stand-in (``privacy.stand_ins``) in each person's place, and removes:

* answers (all of them; answers to questions marked "delete answers after the event" went when it ended, see
  ``registration.answer_deletion``), invitation and self-service links;
* requests for an invitation: name, address (a stand-in address), message, case, organisation;
* non-members' attendance (members' stays: it belongs to the series' record) and non-members' comments on the
  minutes' draft (deleted: they served the secretary before publication);
* the event's emails to these people, queued (so they never go out) and sent, and organisers' digests naming
  the requesters (their bodies);
* the people themselves when nothing else holds them (``privacy.replacement.holding_nothing``): a member, an
  account holder or someone registered at another event keeps their person, and that person keeps their other
  rows; everyone else's name and address are gone from every table;
* their identity in the event's audit entries (and, for people deleted, in every entry linked to them).

Published minutes are kept as the secretary wrote them. Organisations stay on the stand-ins only where the series
chose ``retention_keeps_organisations``. The event gets ``anonymised_at`` and an audit entry ``retention.applied``
(no actor) holding the counts. Running it again finds nothing more to do and records nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from eventhub.audit.log import forget_people_in, record
from eventhub.audit.models import AuditAction, AuditEntry
from eventhub.events.models import Event, Person, Series
from eventhub.events.retention_days import MIN_RETENTION_DAYS, resolve_retention_days
from eventhub.extensions import db
from eventhub.minutes.models import Attendance
from eventhub.privacy import event_data
from eventhub.privacy.replacement import (
    chunks,
    delete_emails_to,
    delete_people,
    forget_address_traces,
    holding_nothing,
    replace_in_event,
)
from eventhub.privacy.stand_ins import stand_in_for
from eventhub.registration.consents import align_consents_with_registrations
from eventhub.registration.models import Invitation, Registration

# Events anonymised per planner tick: a 5,000-person conference takes a few seconds, and reminders wait for it.
EVENTS_PER_TICK = 3


@dataclass
class RetentionCounts:
    """What anonymising one event changed (or, in a dry run, would change), row by row."""

    registrations: int = 0
    invitations: int = 0
    attendances: int = 0
    answers: int = 0
    requests: int = 0
    comments: int = 0
    emails: int = 0
    tokens: int = 0
    people_replaced: int = 0
    people_deleted: int = 0
    audit_entries: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __bool__(self) -> bool:
        return any(self.as_dict().values())


def retention_days_of(event: Event) -> int:
    """The event's retention period in days: its own, else its series', else ``RETENTION_DAYS``."""
    series_days = event.series.retention_days if event.series is not None else None
    return resolve_retention_days(event.retention_days, series_days, current_app.config["RETENTION_DAYS"])


def retention_ends_at(event: Event) -> datetime:
    """When the event's personal data is due to be anonymised: its end plus its retention period."""
    return event.ends_at + timedelta(days=retention_days_of(event))


def events_due(now: datetime, limit: int | None = None) -> list[Event]:
    """Events not anonymised yet whose retention period has passed at ``now``, the longest-ended first.

    The period is resolved in Python (portable date arithmetic in SQL differs between SQLite and PostgreSQL) on
    plain columns of the events that ended at least a day ago, so a tick reads a short list of tuples."""
    default = current_app.config["RETENTION_DAYS"]
    candidates = db.session.execute(
        sa.select(Event.id, Event.ends_at, Event.retention_days, Series.retention_days)
        .outerjoin(Series, Event.series_id == Series.id)
        .where(Event.anonymised_at.is_(None), Event.ends_at <= now - timedelta(days=MIN_RETENTION_DAYS))
        .order_by(Event.ends_at, Event.id)
    )
    due = [
        event_id
        for event_id, ends_at, event_days, series_days in candidates
        if ends_at + timedelta(days=resolve_retention_days(event_days, series_days, default)) <= now
    ][:limit]
    events = {event.id: event for event in db.session.scalars(sa.select(Event).where(Event.id.in_(due)))}
    return [events[event_id] for event_id in due]


def run_retention(now: datetime) -> int:
    """The planner's step: anonymise a few events whose retention period has passed, each in a SAVEPOINT of its
    own. Returns how many. Flushes, never commits; safe to run twice (an anonymised event is not due again)."""
    done = 0
    for event in events_due(now, EVENTS_PER_TICK):
        try:
            with db.session.begin_nested():
                anonymise_event(event, now)
            done += 1
        except Exception:  # noqa: BLE001 - see below
            # The planner commits all its steps at once: one event that cannot be anonymised (a bug, a row
            # nobody foresaw) must not roll back the reminders of every tick. It stays due and is logged each time.
            current_app.logger.exception("retention: event %s could not be anonymised", event.id)
    return done


def anonymise_event(event: Event, now: datetime) -> RetentionCounts:
    """Anonymise the event's personal data as the module docstring says; returns what changed. Idempotent."""
    keep = bool(event.series is not None and event.series.retention_keeps_organisations)
    members = event_data.member_ids(event)
    people = event_data.people_to_replace(event)
    requests = event_data.pending_requests(event)
    requesters = event_data.requester_ids(requests)
    # Read before anything is blanked: the audit log and the rate limits are searched for these.
    traces = [trace for who in (*people.values(), *requests) for trace in (who.email, who.name)]
    counts = RetentionCounts(people_replaced=len(people))
    counts.emails = event_data.delete_event_emails(event, people, requests) + event_data.redact_digests(requests, now)
    _forget_addresses(event_data.addresses_left_with_nothing(event, requests), counts)
    counts.requests = event_data.anonymise_requests(requests, keep)
    counts.tokens = event_data.revoke_tokens(event)
    counts.answers = event_data.clear_answers(event)
    counts.comments, commenters = event_data.delete_comments(event, members)
    _replace_people(event, people, members, keep, now, counts)
    counts.audit_entries = forget_people_in(AuditEntry.event_id == event.id, list(people), traces)
    _delete_people_left_with_nothing(set(people) | commenters | requesters, counts)
    _finish(event, now, counts)
    return counts


def _replace_people(
    event: Event, people: dict[int, Person], members: set[int], keep: bool, now: datetime, counts: RetentionCounts
) -> None:
    """A stand-in per person, in their registration and invitation rows and, for non-members, their attendance
    (a member's attendance is the series' record of who came, and stays theirs)."""
    stand_ins = {person_id: stand_in_for(person, now, keep).id for person_id, person in people.items()}
    counts.registrations = replace_in_event(Registration.__table__, event.id, stand_ins)
    align_consents_with_registrations(event.id)  # a consent goes with its registration to the stand-in
    counts.invitations = replace_in_event(Invitation.__table__, event.id, stand_ins)
    outsiders = {person_id: stand_in for person_id, stand_in in stand_ins.items() if person_id not in members}
    counts.attendances = replace_in_event(Attendance.__table__, event.id, outsiders)


def _forget_addresses(emails: list[str], counts: RetentionCounts) -> None:
    """Requesters that were never a person: every email to them (privacy links included) and their counters."""
    counts.emails += delete_emails_to(emails)
    forget_address_traces(emails)


def _delete_people_left_with_nothing(candidates: set[int], counts: RetentionCounts) -> None:
    """Delete those of ``candidates`` that nothing holds any more, after forgetting them in every audit entry
    linked to them (the event's entries were done already)."""
    for batch in chunks(sorted(holding_nothing(candidates))):
        people = list(db.session.scalars(sa.select(Person).where(Person.id.in_(batch))))
        traces = [trace for person in people for trace in (person.email, person.name)]
        counts.audit_entries += forget_people_in(AuditEntry.person_id.in_(batch), batch, traces)
        counts.people_deleted += delete_people(people)


def _finish(event: Event, now: datetime, counts: RetentionCounts) -> None:
    """Mark the event anonymised and record the run (no actor: the system did it), unless nothing happened."""
    first_time = event.anonymised_at is None
    if first_time:
        event.anonymised_at = now
    if first_time or counts:
        record(
            AuditAction.RETENTION_APPLIED, actor=None, now=now, event=event,
            fields={name: (None, value) for name, value in counts.as_dict().items()},
        )  # fmt: skip
    db.session.flush()
    db.session.expire_all()  # the Core statements above changed rows the session may hold
