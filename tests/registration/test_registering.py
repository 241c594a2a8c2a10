"""Registering through an invitation: questions and answers, capacity and the waiting list, cancelling."""

from datetime import timedelta

import pytest

from eventhub.errors import ValidationFailed
from eventhub.registration.invitations import Gone
from eventhub.registration.models import InvitationStatus, RegistrationStatus
from eventhub.registration.questions import add_question, answer_text, clean_answers, questions_for
from eventhub.registration.services import (
    cancel_registration,
    change_answers,
    register_invitee,
    registration_for_token,
    waiting_list,
)
from eventhub.tokens import hash_token
from tests.registration.conftest import emails_of, last_email


def _register(invitation, now, answers=None, name=None):
    return register_invitee(invitation, name or invitation.person.name, None, answers or {}, now)


def test_registering_confirms_and_emails_a_self_service_link(conference, invite, now):
    invitation, _ = invite(conference())
    outcome = _register(invitation, now)
    registration = outcome.registration
    assert registration.status == RegistrationStatus.CONFIRMED and registration.confirmed_at == now
    assert invitation.status == InvitationStatus.REGISTERED
    assert registration.manage_token_hash == hash_token(outcome.manage_token)
    message = last_email("registration_confirmed")
    assert f"/registrations/{outcome.manage_token}" in message.body_text
    assert registration_for_token(outcome.manage_token) is registration


def test_a_double_submit_registers_once(conference, invite, now):
    invitation, _ = invite(conference())
    first = _register(invitation, now)
    second = _register(invitation, now + timedelta(seconds=1))
    assert second.registration is first.registration and second.manage_token is None and not second.created
    assert len(emails_of("registration_confirmed")) == 1


def test_full_event_puts_newcomers_on_the_waiting_list_in_order(conference, invite, now):
    event = conference(capacity=1)
    outcomes = [_register(invite(event, f"p{n}@example.org", f"P{n}")[0], now + timedelta(seconds=n)) for n in range(3)]
    assert [o.registration.status for o in outcomes] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.WAITLISTED,
    ]
    assert [r.person.email for r in waiting_list(event)] == ["p1@example.org", "p2@example.org"]
    assert [o.registration.waitlist_position for o in outcomes] == [None, 1, 2]
    assert "number 1" in last_email("waitlist_joined", "p1@example.org").body_text


def test_a_cancelled_seat_goes_to_the_first_waiting_who_is_emailed(conference, invite, now):
    event = conference(capacity=1)
    first, second, third = (
        _register(invite(event, f"p{n}@example.org", f"P{n}")[0], now).registration for n in range(3)
    )
    cancel_registration(first, now + timedelta(hours=1))
    assert (second.status, second.waitlist_position) == (RegistrationStatus.CONFIRMED, None)
    assert third.status == RegistrationStatus.WAITLISTED
    promoted = last_email("waitlist_promoted", "p1@example.org")
    assert "/registrations/" in promoted.body_text and promoted.attachments[0]["method"] == "REQUEST"
    assert last_email("registration_cancelled", "p0@example.org").attachments[0]["method"] == "CANCEL"


def test_leaving_the_waiting_list_promotes_nobody_and_sends_no_calendar_cancel(conference, invite, now):
    event = conference(capacity=1)
    _, waiting = (_register(invite(event, f"p{n}@example.org")[0], now).registration for n in range(2))
    cancel_registration(waiting, now)
    assert emails_of("waitlist_promoted") == [] and last_email("registration_cancelled").attachments == []


def test_raising_the_capacity_promotes_the_waiting(conference, invite, now):
    from eventhub.events.services import update_event

    event = conference(capacity=1)
    registrations = [_register(invite(event, f"p{n}@example.org")[0], now).registration for n in range(3)]
    update_event(event, {"capacity": 2}, now=now)
    assert [r.status for r in registrations] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]


def test_registration_after_closing_is_refused(conference, invite, now):
    event = conference()
    invitation, _ = invite(event)
    with pytest.raises(Gone):
        _register(invitation, event.registration_closes_at)


def test_a_decliner_may_change_their_mind_only_while_registration_is_open(conference, invite, now):
    from eventhub.registration.invitations import decline_invitation

    event = conference()
    early, _ = invite(event, "early@example.org")
    late, _ = invite(event, "late@example.org")
    decline_invitation(early, now)
    decline_invitation(late, now)
    assert _register(early, now).registration.status == RegistrationStatus.CONFIRMED
    with pytest.raises(Gone):
        _register(late, event.registration_closes_at)


def test_answers_are_checked_and_stored_with_the_registration(conference, invite, now, make_series):
    series = make_series()
    add_question(
        series, "single_choice", "Which working group?", required=True, choices=["Construction", "Health care"]
    )
    event = conference(series=series.slug)
    add_question(event, "multiple_choice", "Needs", choices=["Criteria", "Market dialogue", "Contract management"])
    add_question(event, "consent", "I agree that my name is shared with participants", required=True)
    add_question(event, "yes_no", "Vegetarian lunch?")
    add_question(event, "long_text", "Your case", help_text="<b>optional</b>")
    questions = questions_for(event)
    assert [q.label for q in questions][0] == "Which working group?"  # the series' questions come first
    invitation, _ = invite(event)
    raw = {
        questions[0].field_name: "Health care",
        questions[1].field_name: ["Contract management", "Criteria"],
        questions[2].field_name: True,
        questions[3].field_name: "no",
    }
    registration = _register(invitation, now, raw).registration
    assert [answer_text(q, registration.answers) for q in questions] == [
        "Health care",
        "Criteria; Contract management",
        "yes",
        "no",
        "",
    ]


@pytest.mark.parametrize(
    ("kind", "value", "error"),
    [
        ("short_text", "x" * 301, "at most 300 characters"),
        ("short_text", "", "required"),
        ("single_choice", "Not offered", "not one of the choices"),
        ("multiple_choice", ["A", "Z"], "not one of the choices"),
        ("consent", False, "required"),
        ("yes_no", "maybe", "yes or no"),
        ("long_text", "a\x00b", "must not contain NUL characters"),
    ],
)
def test_bad_answers_are_refused_per_field(conference, kind, value, error):
    event = conference()
    question = add_question(event, kind, "Q", required=True, choices=["A", "B"])
    with pytest.raises(ValidationFailed) as raised:
        clean_answers([question], {question.field_name: value})
    assert raised.value.fields == {question.field_name: error}


def test_answers_can_be_changed_until_registration_closes(conference, invite, now):
    event = conference()
    question = add_question(event, "short_text", "Dietary needs")
    registration = _register(invite(event)[0], now).registration
    change_answers(registration, {question.field_name: "Vegan"}, now)
    assert registration.answers == {str(question.id): "Vegan"}
    with pytest.raises(Gone):
        change_answers(registration, {question.field_name: "None"}, event.registration_closes_at)


def test_a_cancelled_invitee_may_register_again_while_open(conference, invite, now):
    event = conference()
    invitation, _ = invite(event)
    registration = _register(invitation, now).registration
    cancel_registration(registration, now)
    assert invitation.status == InvitationStatus.DECLINED
    again = _register(invitation, now + timedelta(minutes=1))
    assert again.registration.id == registration.id and again.registration.status == RegistrationStatus.CONFIRMED
