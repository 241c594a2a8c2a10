"""Inviting: one by one, lists and CSV files; tokens; resend, revoke, decline; expiry."""

from datetime import timedelta

import pytest

from eventhub.errors import Conflict, NotFound
from eventhub.extensions import db
from eventhub.registration.invitations import (
    Gone,
    decline_invitation,
    invitation_for_token,
    invite_people,
    list_invitations,
    resend_invitation,
    revoke_invitation,
)
from eventhub.registration.invitee_lists import InviteeRow, parse_invitee_csv
from eventhub.registration.models import InvitationStatus, InvitationToken
from eventhub.tokens import hash_token
from tests.registration.conftest import emails_of, last_email, token_from


def test_invitation_emails_a_personal_link_whose_token_is_stored_only_as_a_hash(conference, invite, now, app):
    invitation, token = invite(conference())
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    stored = db.session.scalars(db.select(InvitationToken.token_hash)).all()
    assert stored == [hash_token(token)] and token not in stored
    message = last_email("invitation")
    assert f"http://eventhub.test/invitations/{token}" in message.body_text
    assert invitation_for_token(token, now) is invitation


def test_same_address_in_other_capitals_is_skipped_and_reinviting_creates_nothing(conference, now):
    event = conference()
    rows = [InviteeRow(1, "Anna@Example.org", "Anna"), InviteeRow(2, "anna@EXAMPLE.ORG", "Anna again")]
    first = invite_people(event, rows, None, now)
    assert len(first.created) == 1
    assert first.skipped == [{"line": 2, "email": "anna@example.org", "reason": "listed twice"}]
    again = invite_people(event, rows, None, now)
    assert again.created == [] and [s["reason"] for s in again.skipped] == ["already invited", "listed twice"]
    assert len(emails_of("invitation")) == 1


def test_bad_rows_are_reported_by_line_and_do_not_stop_the_good_ones(conference, now):
    rows = [
        InviteeRow(2, "not-an-address", "X"),
        InviteeRow(3, "ok@example.org", "Ok"),
        InviteeRow(4, "long@example.org", "N" * 201),
        InviteeRow(5, "lang@example.org", "L", language="x1!"),
        InviteeRow(6, "", "No address"),
    ]
    result = invite_people(conference(), rows, None, now)
    assert [i.person.email for i in result.created] == ["ok@example.org"]
    assert [(e["line"], e["reason"]) for e in result.errors] == [
        (2, "email: not a valid email address"),
        (4, "name: at most 200 characters"),
        (5, "language: a language code such as da, de-AT or pt-BR"),
        (6, "email: missing"),
    ]


def test_reuploading_the_same_csv_creates_nothing_new(conference, now):
    event = conference()
    data = "\ufeffemail;name;organisation;language\r\nmette@kk.dk;Mette Jørgensen;Københavns Kommune;da\r\nivan@gabrovo.bg;Иван Петров;Габрово;en\r\n".encode()
    first = invite_people(event, parse_invitee_csv(data)[0], None, now)
    second = invite_people(event, parse_invitee_csv(data)[0], None, now)
    assert [i.person.name for i in first.created] == ["Mette Jørgensen", "Иван Петров"]
    assert (
        first.created[0].person.language == "da" and first.created[0].person.organisation.name == "Københavns Kommune"
    )
    assert second.created == [] and len(second.skipped) == 2


def test_resend_mints_a_new_link_and_the_old_one_keeps_working(conference, invite, now):
    invitation, first = invite(conference())
    resend_invitation(invitation, now + timedelta(days=1))
    second = token_from(last_email("invitation"))
    assert second != first and invitation.send_count == 2
    assert invitation_for_token(first, now) is invitation_for_token(second, now) is invitation


def test_revoked_expired_and_unknown_tokens(conference, invite, now):
    event = conference()
    invitation, token = invite(event)
    with pytest.raises(NotFound):
        invitation_for_token("x" + token[1:], now)
    with pytest.raises(Gone):
        invitation_for_token(token, event.registration_closes_at)
    revoke_invitation(invitation, now)
    with pytest.raises(Gone):
        invitation_for_token(token, now)
    assert invitation.status_at(now) == InvitationStatus.REVOKED


def test_expired_is_a_status_computed_from_the_closing_time(conference, invite, now):
    event = conference()
    invite(event)
    later = event.registration_closes_at + timedelta(seconds=1)
    assert [i.status_at(later) for i in list_invitations(event, InvitationStatus.EXPIRED, later)] == [
        InvitationStatus.EXPIRED
    ]
    assert list_invitations(event, InvitationStatus.PENDING, later) == []


def test_no_invitations_after_closing_or_to_a_cancelled_event(conference, now):
    event = conference()
    with pytest.raises(Conflict):
        invite_people(event, [InviteeRow(1, "a@example.org")], None, event.registration_closes_at)


def test_decline_then_resend_is_refused(conference, invite, now):
    invitation, _ = invite(conference())
    decline_invitation(invitation, now)
    assert invitation.status == InvitationStatus.DECLINED
    with pytest.raises(Conflict):
        resend_invitation(invitation, now)
