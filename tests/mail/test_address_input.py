"""Every way an address comes in refuses a non-ASCII part before the @ with a message that says why, and keeps an
internationalised domain in its ASCII form: nothing new can reach the outbox that a plain SMTP relay cannot take.
(Old rows that hold such addresses are handled by the sender: tests/mail/test_sender_robustness.py.)"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.errors import ValidationFailed
from eventhub.events.models import Person
from eventhub.events.services import add_series_member
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.minutes.attendance import add_walk_in
from eventhub.registration.invitation_requests import RequestInput, submit_request
from eventhub.registration.invitations import invite_people
from eventhub.registration.invitee_lists import parse_invitee_csv

NON_ASCII = "üser@example.net"
CLEAR = "ASCII"


def outbox_addresses() -> set[str]:
    return set(db.session.scalars(sa.select(OutboxMessage.recipient_email)))


@pytest.fixture
def invitation_only(make_event, now):
    from datetime import timedelta

    start, closes = now + timedelta(days=30), now + timedelta(days=20)
    return make_event(invitation_only=True, starts_at=start, registration_closes_at=closes)


def test_an_invitation_list_refuses_the_row_and_invites_the_rest(invitation_only, now):
    rows, errors = parse_invitee_csv(f"email,name\n{NON_ASCII},Üser\nana@exämple.dk,Ana\n".encode())

    result = invite_people(invitation_only, rows, None, now, errors)

    [error] = result.errors
    assert error["email"] == NON_ASCII and CLEAR in error["reason"]
    assert outbox_addresses() == {"ana@xn--exmple-cua.dk"}


def test_a_request_for_an_invitation_refuses_it(invitation_only, now):
    with pytest.raises(ValidationFailed) as refused:
        submit_request(invitation_only, RequestInput("Jørgen", "jørgen@exämple.dk"), "192.0.2.1", now)
    assert CLEAR in refused.value.fields["email"]
    assert outbox_addresses() == set()


def test_a_series_member_is_refused(make_series):
    with pytest.raises(ValidationFailed) as refused:
        add_series_member(make_series(), NON_ASCII)
    assert CLEAR in refused.value.fields["email"]


def test_a_walk_in_is_refused(taskforce, now):
    with pytest.raises(ValidationFailed) as refused:
        add_walk_in(taskforce.meeting3, NON_ASCII, "Üser", None, now)
    assert CLEAR in refused.value.fields["email"]


def test_the_cli_refuses_it_with_the_reason(app):
    arguments = ["users", "create", NON_ASCII, "--role", "member", "--password", "long enough pw"]
    result = app.test_cli_runner().invoke(args=arguments)
    assert result.exit_code != 0 and CLEAR in result.output
    assert db.session.scalar(sa.select(Person.id).where(Person.email == NON_ASCII)) is None
