"""Demo data of the invitation path: the Big Buyers needs assessment (seed 002) as the working group's
registration questions, and for each conference of the new BSI round (seed 000) its questions in its language,
with translations, and its invitations and registrations (``demo.bsi_round``).

Idempotent like the rest of the demo: questions are added only to a series or event that has none of its own,
invitations skip addresses already invited, and only pending invitations register.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from eventhub.demo.bsi_round import CONFERENCES, NationalConference
from eventhub.events.models import Event, Series
from eventhub.events.people import get_or_create_organisation
from eventhub.events.services import get_series
from eventhub.extensions import db
from eventhub.registration.invitations import invite_people
from eventhub.registration.invitee_lists import InviteeRow
from eventhub.registration.models import Invitation, InvitationStatus, Question
from eventhub.registration.question_translations import set_translation
from eventhub.registration.questions import add_question, questions_for
from eventhub.registration.services import register_invitee

BIG_BUYERS_SLUG = "big-buyers-social-procurement"
BSI_SLUG = "bsi-national-conferences-2027"

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


def load_registration_demo(now: datetime) -> None:
    """Add what is missing; flushes, never commits."""
    _needs_assessment(get_series(BIG_BUYERS_SLUG))
    series = get_series(BSI_SLUG)
    for number, conference in enumerate(CONFERENCES, start=1):
        event = _open_conference(series, number, now)
        if event is not None:
            _conference_questions(event, conference)
            _conference_invitations(event, conference, now)


def _needs_assessment(series: Series) -> None:
    if db.session.scalar(sa.select(Question.id).where(Question.series_id == series.id).limit(1)) is None:
        for kind, label, required, choices in NEEDS_ASSESSMENT:
            add_question(series, kind, label, required, choices)


def _open_conference(series: Series, number: int, now: datetime) -> Event | None:
    """The round's conference ``number`` (matched by number, as the loader matches events) while it takes
    invitations: loading again on a later day must not invite people to a conference already closed."""
    event = db.session.scalar(sa.select(Event).where(Event.series_id == series.id, Event.number == number))
    if event is None or not event.takes_registrations(now):
        return None
    return event


def _conference_questions(event: Event, conference: NationalConference) -> None:
    """The role and case questions as the national organisers wrote them, and their translations."""
    if db.session.scalar(sa.select(Question.id).where(Question.event_id == event.id).limit(1)) is not None:
        return
    written = conference.questions
    role = add_question(event, "single_choice", written.role, True, list(written.roles))
    case = add_question(event, "long_text", written.case)
    for language, text in conference.translations:
        set_translation(role, language, text.role, options=list(text.roles))
        if text.case:
            set_translation(case, language, text.case)


def _conference_invitations(event: Event, conference: NationalConference, now: datetime) -> None:
    for invitee in conference.invitees:
        get_or_create_organisation(invitee.organisation, invitee.country, invitee.kind)
    rows = [
        InviteeRow(line, invitee.email, invitee.name, invitee.organisation, invitee.language)
        for line, invitee in enumerate(conference.invitees, 1)
    ]
    invite_people(event, rows, None, now)
    role, case = (question.field_name for question in questions_for(event) if question.event_id == event.id)
    for invitee in conference.invitees:
        invitation = _pending_invitation(event, invitee.email)
        if invitee.role is not None and invitation is not None:
            answers = {role: conference.questions.roles[invitee.role], case: invitee.case}
            register_invitee(invitation, invitee.name, None, answers, now)


def _pending_invitation(event: Event, email: str) -> Invitation | None:
    from eventhub.events.models import Person

    return db.session.scalar(
        sa.select(Invitation)
        .join(Person, Invitation.person_id == Person.id)
        .where(Invitation.event_id == event.id, Person.email == email, Invitation.status == InvitationStatus.PENDING)
    )
