"""The demo's invitation data: the Big Buyers needs assessment and invitations to the next BSI conference."""

import sqlalchemy as sa

from eventhub.demo.loader import load_demo
from eventhub.events.services import get_series
from eventhub.extensions import db
from eventhub.registration.models import Invitation, Registration
from eventhub.registration.questions import questions_for


def test_demo_has_the_needs_assessment_and_bsi_invitations_once(app, now):
    load_demo(now)
    series = get_series("big-buyers-social-procurement")
    meeting = series.events[-1]
    labels = [question.label for question in questions_for(meeting)]
    assert labels[0] == "Which kind of public buyer are you?" and len(labels) == 6
    counts = (
        db.session.scalar(sa.select(sa.func.count(Invitation.id))),
        db.session.scalar(sa.select(sa.func.count(Registration.id))),
    )
    assert counts == (4, 2)
    load_demo(now)
    assert (
        db.session.scalar(sa.select(sa.func.count(Invitation.id))),
        db.session.scalar(sa.select(sa.func.count(Registration.id))),
    ) == counts
