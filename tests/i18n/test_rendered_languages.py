"""Every language eventhub speaks, as its readers get it: the invitation page (and its form's errors), the
registration confirmation (with its calendar part), a reminder and a series' minutes archive, each checked for
English the catalogue has (or should have) in the reader's language, and for the language it says it is in.

A language whose catalogue is not translated yet fails here with the list of English texts its readers would
see, each with the msgid to translate (``tests/i18n/support.py``). ``-k "[da] or [en]"`` runs the finished ones
(with brackets: a plain ``-k "da or en"`` matches every test, "en" being part of this module's name). One database
(SQLite) and one test per language and text keep it fast.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from config import Config
from eventhub.extensions import db
from eventhub.mail.message import OutgoingEmail, build_message
from eventhub.mail.models import OutboxMessage
from tests.conftest import csrf_token_from
from tests.i18n.support import describe_leaks, email_text, english_leaks, html_language, parse_email, visible_text

LANGUAGES = Config.LANGUAGES
CONFERENCE_START = datetime(2027, 3, 9, 8, 0)  # naive: wall-clock time in the event's zone
# An answer to each of the conference's questions, in their order (texts in Czech: no English to mistake for a leak).
ANSWERS = ["Ředitelka", "", "Běžná", ["A"], "yes", True]


@pytest.fixture
def backend() -> str:
    """One database is enough: what is checked is text, which no backend changes. Not parametrised, so a test's
    id is its language alone (``...[da]``)."""
    return "sqlite"


def _emails(kind: str, to: str) -> list[OutboxMessage]:
    query = sa.select(OutboxMessage).where(OutboxMessage.kind == kind, OutboxMessage.recipient_email == to)
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def _received(row: OutboxMessage):
    """The row as the recipient's mail client gets it (headers, parts, the calendar attachment)."""
    return parse_email(build_message(OutgoingEmail.from_row(row), "Ida Holm <ida@example.org>", row.created_at))


def _assert_no_leaks(text: str, language: str, where: str) -> None:
    leaks = english_leaks(text, language)
    if leaks:
        pytest.fail(describe_leaks(leaks, language, where), pytrace=False)


def _assert_email_in(row: OutboxMessage, language: str, where: str) -> None:
    message = _received(row)
    assert message["Content-Language"] == language, f"{where}: Content-Language {message['Content-Language']!r}"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert html_language(html) == language, f"{where}: <html lang={html_language(html)!r}>"
    _assert_no_leaks(email_text(message), language, where)


@pytest.fixture
def conference(make_event, now) -> Any:
    """An invitation-only conference with a question of every kind and a published agenda of several kinds."""
    from eventhub.agenda.services import publish_agenda, replace_agenda
    from eventhub.registration.questions import add_question

    event = make_event(
        title="Socialt ansvarlige indkøb 2027",
        kind="conference",
        timezone="Europe/Prague",
        starts_at=CONFERENCE_START.isoformat(),
        ends_at=(CONFERENCE_START + timedelta(hours=7)).isoformat(),
        location="Praha, Na Poříčním právu 1",
        online_url="https://meet.example.org/sri-2027",
        invitation_only=True,
        registration_closes_at=(CONFERENCE_START - timedelta(days=7)).isoformat(),
        reminder_offsets=[1440],
    )
    add_question(event, "short_text", "Funkce", required=True)
    add_question(event, "long_text", "Poznámka")
    add_question(event, "single_choice", "Strava", required=True, choices=["Vegetariánská", "Běžná"])
    add_question(event, "multiple_choice", "Workshopy", choices=["A", "B"])
    add_question(event, "yes_no", "Parkování", required=True)
    add_question(event, "consent", "Souhlas", required=True)
    items = [
        {"starts_at": "2027-03-09T09:00:00", "ends_at": "2027-03-09T09:15:00", "title": "Úvod", "kind": "welcome"},
        {"starts_at": "2027-03-09T09:15:00", "ends_at": "2027-03-09T10:00:00", "title": "Panel", "kind": "discussion"},
        {"starts_at": "2027-03-09T10:00:00", "ends_at": "2027-03-09T10:30:00", "title": "Káva", "kind": "break"},
    ]
    replace_agenda(event, items, now)
    publish_agenda(event, now)
    return event


@pytest.fixture
def invitee(conference, now) -> Any:
    """``invitee(language)`` → (invitation, the token of its link): someone invited to the conference."""
    from eventhub.registration.invitations import invite_people
    from eventhub.registration.invitee_lists import InviteeRow

    def factory(language: str):
        email = f"reader-{language}@example.org"
        result = invite_people(conference, [InviteeRow(1, email, "Jana Nováková", "Město Brno", language)], None, now)
        (row,) = _emails("invitation", email)
        return result.created[0], row.body_text.split("/invitations/", 1)[1].split()[0]

    return factory


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_invitation_page_and_its_errors_are_in_the_readers_language(client, commit, invitee, language):
    from eventhub.registration.questions import questions_for

    invitation, token = invitee(language)
    commit()
    page = client.get(f"/invitations/{token}?lang={language}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html_language(html) == language
    _assert_no_leaks(visible_text(html), language, "the invitation page")

    # Sent wrong: WTForms' own messages ("This field is required.", "Not a valid choice.") speak the language too.
    questions = {q.label: q.field_name for q in questions_for(invitation.event)}
    wrong = {"Funkce": "x" * 301, "Strava": "Ryba", "Workshopy": ["Z"], "Parkování": "možná"}
    data = {"csrf_token": csrf_token_from(html), "name": "", **{questions[k]: v for k, v in wrong.items()}}
    refused = client.post(f"/invitations/{token}", data=data)
    assert refused.status_code == 422
    errors = refused.get_data(as_text=True)
    assert html_language(errors) == language and 'class="errors"' in errors
    _assert_no_leaks(visible_text(errors), language, "the invitation page with errors")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_registration_confirmation_is_in_the_readers_language(invitee, now, language):
    from eventhub.registration.questions import questions_for
    from eventhub.registration.services import register_invitee

    invitation, _ = invitee(language)
    answers = {q.field_name: value for q, value in zip(questions_for(invitation.event), ANSWERS, strict=True)}
    register_invitee(invitation, "Jana Nováková", "Město Brno", answers, now)
    (row,) = _emails("registration_confirmed", invitation.person.email)
    _assert_email_in(row, language, "the registration confirmation")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reminder_is_in_the_readers_language(conference, make_person, now, language):
    from eventhub.registration.services import register
    from eventhub.reminders.planner import run_planner

    person = make_person(email=f"reminded-{language}@example.org", name="Petr Svoboda", language=language)
    register(conference, person, now)
    assert run_planner(conference.starts_at - timedelta(hours=12)) == 1
    (row,) = _emails("reminder", person.email)
    _assert_email_in(row, language, "the reminder")


@pytest.fixture
def published_minutes(make_series, make_event, make_person, now) -> Any:
    """A members-only series with the published minutes of its second meeting (and of its first)."""
    from eventhub.events.services import add_series_member
    from eventhub.minutes.publication import publish_version
    from eventhub.minutes.services import update_minutes

    series = make_series(slug="taskforce", title="Taskforce for sociale indkøb", visibility="members")
    attendee = make_person(email="deltager@example.org", name="Mette Holm", organisation="Odense Kommune")
    add_series_member(series, attendee.email)
    for number in (1, 2):
        start = now - timedelta(days=70 - 30 * number)
        meeting = make_event(title=f"Møde {number}", series=series.slug, number=number, starts_at=start)
        update_minutes(meeting, {"body": "Referat.", "attendees": [attendee.email]}, now)
        publish_version(meeting, now)
    return series


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_minutes_archive_is_in_the_members_language(client, commit, login, make_user, published_minutes, language):
    from eventhub.events.services import add_series_member

    member = make_user("member", email=f"member-{language}@example.org", language=language)
    add_series_member(published_minutes, member.email)
    commit()
    login(member)
    page = client.get(f"/series/{published_minutes.slug}/minutes")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html_language(html) == language and "Mette Holm" in html
    _assert_no_leaks(visible_text(html), language, "the minutes archive")
