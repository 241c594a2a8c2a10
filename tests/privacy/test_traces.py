"""The smaller promises of erasure: an open invitation gets no follow-up, organisations stay only where the series
keeps them, other people's emails lose the name as a whole word only, and LIKE's wildcards match literally."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.mail.services import RenderedEmail, queue_email
from eventhub.privacy.erasure import erase_address
from eventhub.privacy.export import personal_data
from eventhub.privacy.traces import ERASED
from eventhub.registration.followups import run_invitation_followups
from eventhub.registration.invitations import invite_people
from eventhub.registration.invitee_lists import InviteeRow
from eventhub.registration.models import Invitation, InvitationStatus
from tests.privacy.conftest import count


def _email(to, subject: str, text: str, now, event=None) -> OutboxMessage:
    rendered = RenderedEmail(subject, text, f"<p>{text}</p>", "en")
    return queue_email(dedup_key=f"test:{subject}:{to.email}", kind="test", recipient=to, email=rendered, now=now,
                       event=event)  # fmt: skip


def test_an_open_invitation_counts_as_declined_and_gets_no_follow_up(make_event, now):
    event = make_event(invitation_only=True, registration_closes_at=now + timedelta(days=10))
    invite_people(event, [InviteeRow(1, "ewa@example.org", "Ewa Nowak", "", "")], None, now)

    erase_address("ewa@example.org", now, None)

    invitation = db.session.scalars(sa.select(Invitation)).one()
    assert invitation.status == InvitationStatus.DECLINED and invitation.responded_at == now
    assert run_invitation_followups(now + timedelta(days=9)) == 0


def test_stand_ins_keep_the_organisation_only_where_the_series_keeps_organisations(
    make_series, make_event, make_person, now
):
    from eventhub.registration.services import register

    keeping = make_series(slug="keeps")
    make_series(slug="plain")
    keeping.retention_keeps_organisations = True
    person = make_person(email="ewa@example.org", name="Ewa Nowak", organisation="Gdańsk City")
    kept = register(make_event(series="keeps"), person, now)
    dropped = register(make_event(series="plain"), person, now)

    erase_address("ewa@example.org", now, None)

    assert kept.person.organisation.name == "Gdańsk City" and kept.person.name == ""
    assert dropped.person.organisation is None
    assert kept.person_id != dropped.person_id


def test_other_peoples_emails_lose_the_name_as_a_whole_word_and_the_address_in_any_case(make_event, make_person, now):
    from eventhub.registration.services import register

    event = make_event()
    bo, olga = make_person(email="bo@example.org", name="Bo"), make_person(email="olga@example.org", name="Olga")
    register(event, bo, now)
    about = _email(olga, "Board meeting", "Bo (BO@Example.org) joins the Board.", now, event=event)
    elsewhere = _email(olga, "Elsewhere", "Bo from another event.", now)

    counts = erase_address("bo@example.org", now, None)

    assert about.body_text == f"{ERASED} ({ERASED}) joins the Board." and about.subject == "Board meeting"
    assert about.body_html == f"<p>{ERASED} ({ERASED}) joins the Board.</p>"
    assert elsewhere.body_text == "Bo from another event."  # not about the person's events: a name alone is no proof
    assert counts.emails_redacted == 1


def test_an_underscore_in_an_address_matches_only_itself(make_person, now):
    person = make_person(email="a_b@example.org", name="Ab")
    other = make_person(email="c@example.org", name="Cee")
    _email(other, "Digest", "New request from axb@example.org", now)
    _email(other, "Digest 2", "New request from a_b@example.org", now)

    assert len(personal_data(person.email, now)["emails_to_others_naming_you"]) == 1
    assert erase_address(person.email, now, None).emails_redacted == 1
    assert count(OutboxMessage, OutboxMessage.body_text.contains("axb@example.org")) == 1
