"""Erasure keeps no copy (a scan of every text column finds neither the address nor the name), keeps the counts
organisers see (through stand-ins), frees seats through the registration rules, and refuses the last admin."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventhub.accounts.models import User
from eventhub.agenda.models import AgendaItem
from eventhub.audit.models import AuditAction, AuditEntry
from eventhub.events.models import Person
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage, OutboxStatus
from eventhub.mail.sender import send_due
from eventhub.minutes.models import ActionItem, Attendance, RoundTableEntry
from eventhub.minutes.presenters import version_view
from eventhub.minutes.publication import get_published
from eventhub.privacy.erasure import ErasureCounts, LastAdminCannotBeErased, erase_address
from eventhub.privacy.stand_ins import is_stand_in_address
from eventhub.registration.models import Invitation, InvitationRequest, Registration, RegistrationStatus
from eventhub.registration.services import register
from eventhub.reminders.planner import run_planner
from tests.fixtures.scan import rows_mentioning
from tests.privacy.conftest import ADDRESS, NAME, count


def test_nothing_mentions_the_address_or_the_name_afterwards(anna, now):
    assert rows_mentioning(ADDRESS) and rows_mentioning(NAME)

    erase_address(ADDRESS, now, anna.organiser)

    assert rows_mentioning(ADDRESS) == []
    assert rows_mentioning(NAME) == []
    assert db.session.scalar(sa.select(Person).where(Person.email == ADDRESS)) is None
    assert db.session.get(User, anna.user.id) is None


def test_counts_stay_with_stand_ins_and_the_freed_seat_goes_to_the_waiting_list(anna, now):
    counts = erase_address(ADDRESS, now, anna.organiser)

    assert count(Registration, Registration.event_id == anna.conference.id) == 2
    assert count(Invitation, Invitation.event_id == anna.conference.id) == 2
    assert count(Attendance, Attendance.event_id == anna.meeting.id) == 2
    assert count(RoundTableEntry) == 1
    seat = db.session.get(Registration, anna.registration.id)
    assert seat.status == RegistrationStatus.CANCELLED and seat.answers == {} and seat.manage_token_hash is None
    assert is_stand_in_address(seat.person.email) and seat.person.name == ""
    assert db.session.get(Registration, anna.waiting.id).status == RegistrationStatus.CONFIRMED
    assert count(OutboxMessage, OutboxMessage.kind == "waitlist_promoted", OutboxMessage.person_id == anna.bo.id) == 1
    assert counts.registrations_cancelled == 1 and counts.registrations == 2 and counts.invitations == 1
    assert counts.people == 1 and counts.accounts == 1 and counts.api_tokens == 1 and counts.memberships == 1
    assert (counts.action_items, counts.agenda_items) == (1, 1)
    assert count(ActionItem, ActionItem.owner_person_id.is_not(None)) == 0
    assert count(AgendaItem, AgendaItem.owner_person_id.is_not(None)) == 0


def test_one_stand_in_per_event_so_rows_of_one_event_still_belong_together(anna, now):
    erase_address(ADDRESS, now, anna.organiser)

    registration = db.session.get(Registration, anna.registration.id)
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.event_id == anna.conference.id, Invitation.person_id != anna.bo.id)
    )
    attendance = db.session.scalar(
        sa.select(Attendance).where(Attendance.event_id == anna.meeting.id, Attendance.person_id != anna.bo.id)
    )
    assert invitation.person_id == registration.person_id
    assert attendance.person_id != registration.person_id
    assert attendance.person.organisation is None  # the series does not keep organisations


def test_published_minutes_lose_the_name_only_in_their_generated_parts(anna, now):
    erase_address(ADDRESS, now, anna.organiser)

    published = get_published(anna.series, 1)
    view = version_view(published.version.body, published.version.parts)
    assert view.attendees == ["(name erased)", "Bo Berg"]
    assert view.round_table[0]["label"] == "(name erased)"
    assert view.action_items[0]["owner"] == ""
    assert published.version.body == "We discussed social clauses."


def test_the_audit_log_keeps_the_actions_and_forgets_who(anna, now):
    erase_address(ADDRESS, now, anna.organiser)

    sent = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.INVITATIONS_SENT)).all()
    assert {"invitees": [[], ["(erased)"]]} in [entry.fields for entry in sent]  # the world's own entry
    assert all(entry.person_id is None and ADDRESS not in f"{entry.subject}{entry.fields}" for entry in sent)
    by_her = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.SERIES_UPDATED))
    assert (by_her.actor_id, by_her.actor_label) == (None, "")
    erased = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.PERSON_ERASED))
    assert erased.actor_id == anna.organiser.id and erased.person_id is None and erased.subject == ""
    assert erased.fields["registrations"] == [2, 0] and erased.fields["people"] == [1, 0]


def test_an_unknown_address_gives_zero_counts_of_the_same_shape_and_changes_nothing(anna, now):
    people, outbox = count(Person), count(OutboxMessage)

    counts = erase_address("nobody@example.org", now, anna.organiser)

    assert counts == ErasureCounts() and set(counts.as_dict()) == set(ErasureCounts().as_dict())
    assert (count(Person), count(OutboxMessage)) == (people, outbox)
    assert erase_address("not an address", now, anna.organiser) == ErasureCounts()


def test_an_address_held_without_a_person_is_erased_too(make_event, now, app):
    from eventhub.registration.invitation_requests import RequestInput, submit_request

    event = make_event(invitation_only=True)
    submit_request(event, RequestInput("Cai Chen", "cai@example.org", "", "Hello", "", "en"), "10.0.0.1", now)

    counts = erase_address("Cai@Example.org", now, None)

    assert (counts.invitation_requests, counts.emails_deleted, counts.people) == (1, 1, 0)
    assert count(InvitationRequest) == 0
    assert rows_mentioning("cai@example.org") == [] and rows_mentioning("Cai Chen") == []


def test_the_last_active_admin_cannot_be_erased(make_user, now):
    admin = make_user("admin", email="solo@example.org")
    with pytest.raises(LastAdminCannotBeErased):
        erase_address("solo@example.org", now, admin)
    assert db.session.get(User, admin.id) is not None

    make_user("admin", email="second@example.org")
    assert erase_address("solo@example.org", now, None).accounts == 1


def test_an_admin_erasing_their_own_address_is_logged_without_them(make_user, now):
    make_user("admin", email="stays@example.org")
    leaving = make_user("admin", email="leaves@example.org")

    erase_address("leaves@example.org", now, leaving)

    erased = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.PERSON_ERASED))
    assert erased.actor_id is None and erased.actor_label == ""


def test_a_queued_reminder_to_the_erased_person_is_never_sent(app, make_event, make_person, now):
    start = now + timedelta(days=2)
    event = make_event(starts_at=start, reminder_offsets=[24 * 60])
    anna, bo = make_person(email=ADDRESS, name=NAME), make_person(email="bo@example.org", name="Bo Berg")
    register(event, anna, now)
    register(event, bo, now)
    moment = start - timedelta(days=1)
    assert run_planner(moment - timedelta(hours=1)) == 0
    queued = run_planner(moment)
    assert queued == 2
    db.session.commit()

    erase_address(ADDRESS, now, None)
    db.session.commit()
    run_planner(moment + timedelta(minutes=1))
    report = send_due(moment + timedelta(minutes=1), "test-worker")

    assert report.sent == 1
    written = [path.read_text() for path in Path(app.config["MAIL_FOLDER"]).glob("*.eml")]
    assert len(written) == 1 and "bo@example.org" in written[0] and ADDRESS not in "".join(written)
    assert count(OutboxMessage, OutboxMessage.status == OutboxStatus.QUEUED) == 0
