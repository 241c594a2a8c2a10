"""The demo's invitation data: the Big Buyers needs assessment, and each conference of the new BSI round in its own
language with its questions, their translations, and invitees of that language and of others."""

import sqlalchemy as sa

from eventhub.demo.bsi_round import CONFERENCES, EN
from eventhub.demo.loader import load_demo
from eventhub.events.models import Event
from eventhub.events.queries import list_events
from eventhub.events.services import get_series
from eventhub.extensions import db
from eventhub.registration.models import Invitation, Registration
from eventhub.registration.question_translations import question_text, written_language
from eventhub.registration.questions import questions_for
from tests.registration.conftest import last_email

INVITEES = sum(len(conference.invitees) for conference in CONFERENCES)
REGISTERED = sum(invitee.role is not None for conference in CONFERENCES for invitee in conference.invitees)


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count(Invitation.id))),
        db.session.scalar(sa.select(sa.func.count(Registration.id))),
    )


def test_demo_has_the_needs_assessment_and_bsi_invitations_once(app, now):
    load_demo(now)
    series = get_series("big-buyers-social-procurement")
    meeting = series.events[-1]
    labels = [question.label for question in questions_for(meeting)]
    assert labels[0] == "Which kind of public buyer are you?" and len(labels) == 6
    counts = _counts()
    assert counts == (INVITEES, REGISTERED) and INVITEES >= 3 * 15
    load_demo(now)
    assert _counts() == counts


def _new_round() -> list[Event]:
    return list_events(series=get_series("bsi-national-conferences-2027"), limit=100)


def test_each_conference_of_the_new_round_is_written_and_asks_in_its_own_language(app, now):
    load_demo(now)
    for event, conference in zip(_new_round(), CONFERENCES, strict=True):
        assert (event.language, event.title, event.country) == (
            conference.language,
            conference.title,
            conference.country,
        )
        role, case = questions_for(event)
        assert (role.label, role.choices, case.label) == (
            conference.questions.role, list(conference.questions.roles), conference.questions.case,
        )  # fmt: skip
        assert written_language(role) == conference.language
        others = {invitation.person.language for invitation in _invitations(event)} - {conference.language}
        assert others, f"{event.title}: nobody reads another language"
    warsaw = _new_round()[CONFERENCES.index(next(c for c in CONFERENCES if c.language == "pl"))]
    assert warsaw.timezone == "Europe/Warsaw" and warsaw.location.startswith("Warszawa")


def _invitations(event: Event) -> list[Invitation]:
    return list(db.session.scalars(sa.select(Invitation).where(Invitation.event_id == event.id)))


def test_role_questions_carry_a_translation_and_dublin_asks_in_english_with_polish(app, now):
    load_demo(now)
    for event, conference in zip(_new_round(), CONFERENCES, strict=True):
        role, _ = questions_for(event)
        reader = "pl" if conference.language == "en" else "en"
        assert question_text(role, reader).label != role.label, event.title
    greek = next(c for c in CONFERENCES if c.language == "el")
    assert question_text(questions_for(_new_round()[CONFERENCES.index(greek)])[0], "bg").label == "Συμμετέχετε ως"


def test_invitees_of_another_language_read_their_answers_in_it_or_as_written(app, now):
    load_demo(now)
    english = last_email("registration_confirmed", "karel.horak@example.org")  # at the Prague conference
    assert f"{EN.role}: {EN.roles[0]}" in english.body_text
    bulgarian = last_email("registration_confirmed", "georgi.ivanov@example.org")  # Athens: no Bulgarian translation
    assert "Συμμετέχετε ως: Άλλο" in bulgarian.body_text
