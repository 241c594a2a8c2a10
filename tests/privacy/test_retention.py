"""Retention: once an event's retention period has passed, the planner anonymises it. Names, addresses, answers,
requests, comments and emails are gone from every table (a scan of every text column finds nothing), the counts
the organiser sees stay, a queued reminder never goes out, and people who are still known elsewhere keep that."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from eventhub.audit.models import AuditAction, AuditEntry
from eventhub.events.models import Event, Person, SeriesMembership
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.mail.sender import send_due
from eventhub.minutes.models import Attendance, MinutesComment
from eventhub.privacy.retention import anonymise_event, events_due
from eventhub.privacy.stand_ins import STAND_IN_DOMAIN
from eventhub.registration.dashboard import figures_for
from eventhub.registration.manage_lists import invitation_counts, registration_counts, request_counts
from eventhub.registration.models import InvitationRequest, InvitationToken, Registration
from eventhub.scheduler.planning import run_planning
from tests.conftest import csrf_token_from  # noqa: F401 (kept beside login for view tests)
from tests.fixtures.scan import rows_mentioning
from tests.privacy.conftest import ANNA, BO, CARLA, RITA, WANDA


def everything_about(*people: tuple[str, str]) -> list[tuple[str, str, object]]:
    """Every text column, in every table, holding one of these people's address or name."""
    return [found for email, name in people for needle in (email, name) for found in rows_mentioning(needle)]


def figures(event: Event, now) -> dict:
    db.session.expire_all()
    return {
        "registrations": registration_counts(event),
        "invitations": invitation_counts(event, now),
        "requests": request_counts(event),
        "dashboard": figures_for([event.id])[event.id],
        "attendances": db.session.scalar(sa.select(sa.func.count()).where(Attendance.event_id == event.id)),
    }


def test_the_planner_anonymises_an_event_whose_retention_passed_and_its_counts_stay(world):
    meeting, due = world.meeting, world.due
    assert everything_about(ANNA, RITA, WANDA)  # the scan does find them while they are known
    before = figures(meeting, due)

    assert run_planning(due - timedelta(minutes=1))["events anonymised"] == 0
    assert run_planning(due)["events anonymised"] == 1
    db.session.commit()

    assert everything_about(ANNA, RITA, WANDA) == []
    assert figures(meeting, due) == before
    assert meeting.anonymised_at == due
    registrations = db.session.scalars(sa.select(Registration).where(Registration.event_id == meeting.id)).all()
    assert all(r.person.anonymised_at == due and r.answers == {} and r.manage_token_hash is None for r in registrations)
    assert all(r.person.email.endswith("@" + STAND_IN_DOMAIN) and r.person.name == "" for r in registrations)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InvitationToken)) == 0
    (request,) = db.session.scalars(sa.select(InvitationRequest)).all()
    assert (request.name, request.message, request.organisation, request.status.value) == ("", "", "", "declined")


def test_the_run_is_recorded_without_an_actor_and_a_second_run_changes_nothing(world):
    counts = anonymise_event(world.meeting, world.due)

    assert (counts.registrations, counts.invitations, counts.requests, counts.comments) == (3, 3, 1, 1)
    # Anna, Wanda and Rita (declining her request wrote to her as a person) go; Bo and Carla are known elsewhere
    assert (counts.attendances, counts.people_replaced, counts.people_deleted) == (2, 4, 3)
    assert counts.answers == 3 and counts.emails > 0 and counts.audit_entries >= 1
    (entry,) = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.RETENTION_APPLIED))
    assert (entry.actor_id, entry.actor_label, entry.event_id) == (None, "", world.meeting.id)
    assert entry.fields["registrations"] == [None, 3] and entry.fields["people_deleted"] == [None, 3]

    again = anonymise_event(world.meeting, world.due + timedelta(days=1))
    assert not again
    assert world.meeting.anonymised_at == world.due
    assert db.session.scalar(
        sa.select(sa.func.count()).where(AuditEntry.action == AuditAction.RETENTION_APPLIED)
    ) == 1  # fmt: skip


def test_the_audit_entry_about_a_person_keeps_the_action_and_loses_who(world):
    anonymise_event(world.meeting, world.due)

    (entry,) = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == AuditAction.REGISTRATION_CHANGED))
    assert (entry.person_id, entry.subject, entry.fields) == (None, "", {"status": ["confirmed", "cancelled"]})
    assert entry.actor_label == "olga.organiser@example.org"  # the organiser who acted is not forgotten


def test_a_queued_reminder_for_an_anonymised_person_is_never_sent(world, app):
    reminders = sa.select(OutboxMessage).where(OutboxMessage.kind == "reminder")
    assert {m.recipient_email for m in db.session.scalars(reminders)} == {ANNA[0], BO[0], CARLA[0]}

    run_planning(world.due)
    db.session.commit()
    report = send_due(world.due, "retention-test")

    assert db.session.scalars(reminders).all() == []
    sent = db.session.scalars(sa.select(OutboxMessage.recipient_email).where(OutboxMessage.sent_at.is_not(None)))
    assert not {ANNA[0], BO[0], CARLA[0]} & set(sent)
    assert report.sent == 0  # nothing of the meeting was left to send


def test_a_member_keeps_membership_and_attendance_and_a_later_registrant_keeps_the_later_event(world):
    anonymise_event(world.meeting, world.due)
    db.session.commit()

    bo = db.session.scalar(sa.select(Person).where(Person.email == BO[0]))
    carla = db.session.scalar(sa.select(Person).where(Person.email == CARLA[0]))
    assert bo is not None and bo.name == BO[1]
    assert db.session.scalar(sa.select(SeriesMembership).where(SeriesMembership.person_id == bo.id)) is not None
    attendances = db.session.scalars(sa.select(Attendance).where(Attendance.event_id == world.meeting.id)).all()
    assert bo.id in {attendance.person_id for attendance in attendances}  # members' attendance is the record
    comments = db.session.scalars(sa.select(MinutesComment)).all()
    assert [(c.person_id, c.body) for c in comments] == [(bo.id, "Fine by me")]
    assert carla is not None and carla.name == CARLA[1]
    later = db.session.get(Registration, world.later_registration.id)
    assert later.person_id == carla.id and later.event_id == world.later.id
    at_meeting = sa.select(Registration.person_id).where(Registration.event_id == world.meeting.id)
    assert not {bo.id, carla.id} & set(db.session.scalars(at_meeting))


def test_organisations_stay_on_the_stand_ins_where_the_series_keeps_them(world):
    world.series.retention_keeps_organisations = True
    anonymise_event(world.meeting, world.due)

    registrations = db.session.scalars(sa.select(Registration).where(Registration.event_id == world.meeting.id))
    assert {r.person.organisation.name for r in registrations} == {"Kooperationen"}
    request = db.session.get(InvitationRequest, world.request.id)
    assert request.name == "" and request.email.endswith("@" + STAND_IN_DOMAIN)


def test_the_organisers_pages_still_count_after_anonymisation(world, client, login):
    login(world.organiser)
    page = client.get(f"/events/{world.meeting.id}/manage/registrations").get_data(as_text=True)
    assert "3 registered" in page and ANNA[1] in page

    anonymise_event(world.meeting, world.due)
    db.session.commit()

    page = client.get(f"/events/{world.meeting.id}/manage/registrations").get_data(as_text=True)
    assert "3 registered" in page and ANNA[1] not in page and STAND_IN_DOMAIN not in page
    assert page.count("Anonymised") >= 3
    dashboard = client.get("/manage").get_data(as_text=True)
    assert ANNA[1] not in dashboard


def test_only_events_whose_period_passed_are_due(world):
    assert events_due(world.due - timedelta(seconds=1)) == []
    assert events_due(world.due) == [world.meeting]
    anonymise_event(world.meeting, world.due)
    assert events_due(world.due + timedelta(days=1)) == []


def test_an_event_that_cannot_be_anonymised_does_not_stop_the_others_or_the_planner(world, make_event, monkeypatch):
    from eventhub.privacy import retention

    other = make_event(starts_at=world.meeting.starts_at + timedelta(hours=3))
    real = retention.anonymise_event

    def failing_for_the_meeting(event, now):
        if event.id == world.meeting.id:
            raise RuntimeError("a row nobody foresaw")
        return real(event, now)

    monkeypatch.setattr(retention, "anonymise_event", failing_for_the_meeting)
    ran = run_planning(world.due + timedelta(days=1))

    assert ran["events anonymised"] == 1
    db.session.expire_all()
    assert (world.meeting.anonymised_at, other.anonymised_at) == (None, world.due + timedelta(days=1))
    assert everything_about(ANNA)  # left as it was, to be tried again at the next tick


def test_a_requester_who_never_became_a_person_leaves_no_trace(world, now):
    from eventhub.mail.services import Addressee, RenderedEmail, queue_email
    from eventhub.privacy.models import PrivacyLink
    from eventhub.registration.invitation_requests import RequestInput, submit_request

    pia = ("pia.pending@example.org", "Pia Pendingsen")
    submit_request(
        world.meeting, RequestInput(name=pia[1], email=pia[0], case_description="Our canteen"), "192.0.2.8", now
    )
    db.session.add(PrivacyLink(email=pia[0], token_hash="0" * 64, created_at=now, expires_at=now + timedelta(days=1)))
    email = RenderedEmail(subject="Your data", text=f"Hello {pia[1]}", html="<p>Hello</p>")
    queue_email(dedup_key="privacy:pia", kind="privacy_link", recipient=Addressee(*pia), email=email, now=now)
    db.session.flush()
    assert {table for table, _, _ in everything_about(pia)} >= {
        "invitation_requests",
        "rate_limit_attempts",
        "privacy_links",
    }

    counts = anonymise_event(world.meeting, world.due)

    assert counts.requests == 2
    assert everything_about(pia) == []
