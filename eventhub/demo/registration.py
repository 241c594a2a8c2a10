"""Demo data of the invitation path: the Big Buyers needs assessment (seed 002) as the working group's
registration questions, and invitations and registrations for the next BSI conference (seed 000).

Idempotent like the rest of the demo: questions are added only to a series or event that has none of its own,
invitations skip addresses already invited, and only pending invitations register.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from eventhub.events.models import Event, Series
from eventhub.events.services import get_series
from eventhub.extensions import db
from eventhub.registration.invitations import invite_people
from eventhub.registration.invitee_lists import InviteeRow
from eventhub.registration.models import Invitation, InvitationStatus, Question
from eventhub.registration.questions import add_question, questions_for
from eventhub.registration.services import register_invitee

BIG_BUYERS_SLUG = "big-buyers-social-procurement"
BSI_SLUG = "bsi-national-conferences-2027"
BSI_EVENT_NUMBER = 1

NEEDS_ASSESSMENT = (
    (
        "single_choice",
        "Which kind of public buyer are you?",
        True,
        ["Municipality", "Region", "Central purchasing body", "Other public buyer"],
    ),
    (
        "multiple_choice",
        "Which needs that the market does not meet today should the group work on?",
        True,
        [
            "Health care",
            "Construction and renovation",
            "Food and catering",
            "Cleaning and facility services",
            "ICT and devices",
        ],
    ),
    ("long_text", "Describe one procurement need your organisation cannot meet today", True, []),
    ("short_text", "Approximate annual procurement budget in that area (EUR)", False, []),
    ("yes_no", "Can you share tender documents and criteria with the group?", False, []),
    (
        "consent",
        "I agree that my answers are shared with the members of the working group, ICLEI and Eurocities",
        True,
        [],
    ),
)
BSI_QUESTIONS = (
    ("single_choice", "You take part as", True, ["Public buyer", "Social-economy enterprise", "Other"]),
    ("long_text", "A procurement case you would like to present (optional)", False, []),
)
BSI_INVITEES = (
    (
        "jana.dvorakova@example.org",
        "Jana Dvořáková",
        "Magistrát hlavního města Prahy",
        "en",
        {"You take part as": "Public buyer"},
    ),
    (
        "petr.svoboda@example.org",
        "Petr Svoboda",
        "Sociální podnik Brno",
        "en",
        {
            "You take part as": "Social-economy enterprise",
            "A procurement case you would like to present (optional)": "Catering for schools by a work-integration enterprise.",
        },
    ),
    ("eva.novotna@example.org", "Eva Novotná", "Krajský úřad Olomouckého kraje", "en", None),
    ("karel.horak@example.org", "Karel Horák", "Ministerstvo práce a sociálních věcí", "en", None),
)


def load_registration_demo(now: datetime) -> None:
    """Add what is missing; flushes, never commits."""
    _needs_assessment(get_series(BIG_BUYERS_SLUG))
    event = _next_bsi_conference(now)
    if event is not None:
        _bsi_invitations(event, now)


def _needs_assessment(series: Series) -> None:
    if db.session.scalar(sa.select(Question.id).where(Question.series_id == series.id).limit(1)) is None:
        for kind, label, required, choices in NEEDS_ASSESSMENT:
            add_question(series, kind, label, required, choices)


def _next_bsi_conference(now: datetime) -> Event | None:
    """The new round's first conference, matched by number (as the loader matches events), while it takes
    invitations: loading again on a later day must not invite people to another conference."""
    series = get_series(BSI_SLUG)
    event = db.session.scalar(sa.select(Event).where(Event.series_id == series.id, Event.number == BSI_EVENT_NUMBER))
    if event is None or not event.takes_registrations(now):
        return None
    return event


def _bsi_invitations(event: Event, now: datetime) -> None:
    if db.session.scalar(sa.select(Question.id).where(Question.event_id == event.id).limit(1)) is None:
        for kind, label, required, choices in BSI_QUESTIONS:
            add_question(event, kind, label, required, choices)
    rows = [
        InviteeRow(n, email, name, organisation, language)
        for n, (email, name, organisation, language, _) in enumerate(BSI_INVITEES, 1)
    ]
    invite_people(event, rows, None, now)
    fields = {question.label: question.field_name for question in questions_for(event)}
    for email, name, _, _, answers in BSI_INVITEES:
        invitation = _pending_invitation(event, email)
        if answers is not None and invitation is not None:
            register_invitee(invitation, name, None, {fields[label]: value for label, value in answers.items()}, now)


def _pending_invitation(event: Event, email: str) -> Invitation | None:
    from eventhub.events.models import Person

    return db.session.scalar(
        sa.select(Invitation)
        .join(Person, Invitation.person_id == Person.id)
        .where(Invitation.event_id == event.id, Person.email == email, Invitation.status == InvitationStatus.PENDING)
    )
