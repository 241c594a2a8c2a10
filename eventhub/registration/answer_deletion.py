"""Answers deleted as soon as the event has ended, for questions marked "delete answers after the event".

Dietary needs and accessibility are health data an organiser needs only to prepare the event; keeping them until
the event's retention period passes (``eventhub.privacy.retention``) would be keeping them for nothing. The
planner runs ``run_answer_deletion`` each tick: every event that has ended and whose ``answers_deleted_at`` is
still empty loses those answers and gets the mark, so each event is handled once, not every minute. A question
marked later, after its event ended, has its answers deleted at once by ``set_delete_answers_after_event``.

Other answers stay with their registrations until retention. Functions flush, never commit.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.registration.models import Question, Registration
from eventhub.registration.questions import questions_for

# Events handled per planner tick: the first tick after an upgrade finds every past event unmarked.
EVENTS_PER_TICK = 100


def run_answer_deletion(now: datetime) -> int:
    """Delete the marked answers of events that ended by ``now`` and were not handled yet; mark them handled.
    Returns how many registrations lost answers. Safe to run twice: a handled event is not looked at again."""
    events = db.session.scalars(
        sa.select(Event)
        .where(Event.ends_at <= now, Event.answers_deleted_at.is_(None))
        .order_by(Event.ends_at, Event.id)
        .limit(EVENTS_PER_TICK)
    ).all()
    changed = 0
    for event in events:
        changed += delete_marked_answers(event)
        event.answers_deleted_at = now
    db.session.flush()
    return changed


def delete_marked_answers(event: Event) -> int:
    """Remove from ``event``'s registrations the answers to its questions (its own and its series') that are
    marked "delete answers after the event". Returns how many registrations changed."""
    keys = {str(question.id) for question in questions_for(event) if question.delete_answers_after_event}
    return _drop_answers(event, keys) if keys else 0


def _drop_answers(event: Event, keys: set[str]) -> int:
    registrations = db.session.scalars(sa.select(Registration).where(Registration.event_id == event.id)).all()
    changed = 0
    for registration in registrations:
        answers = registration.answers or {}
        if keys & answers.keys():
            # A new dict, not an edit in place: the JSON column notices only assignment.
            registration.answers = {key: value for key, value in answers.items() if key not in keys}
            changed += 1
    return changed


def set_delete_answers_after_event(question: Question, value: bool, now: datetime) -> int:
    """Mark (or unmark) ``question``; when marked, its answers at events that have ended already are deleted now
    (the planner handled those events before the mark existed). Returns how many registrations lost an answer."""
    question.delete_answers_after_event = bool(value)
    db.session.flush()
    if not value:
        return 0
    ended = sa.select(Event).where(Event.ends_at <= now)
    if question.event_id is not None:
        ended = ended.where(Event.id == question.event_id)
    else:
        ended = ended.where(Event.series_id == question.series_id)
    changed = sum(_drop_answers(event, {str(question.id)}) for event in db.session.scalars(ended).all())
    db.session.flush()
    return changed
