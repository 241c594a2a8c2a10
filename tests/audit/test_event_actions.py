"""Every change an organiser makes to an event, its series, its invitations, requests and registrations is in the
audit log, written by the service the page and the API share, with the acting account and the changed fields."""

from __future__ import annotations

import json
from datetime import timedelta

from eventhub.audit.models import AuditAction
from eventhub.events.services import EventInput, cancel_event, create_event, create_series, update_event, update_series
from eventhub.registration import invitation_requests, organiser_actions
from eventhub.registration.capacity import update_event_seats
from eventhub.registration.invitations import invite_people, resend_invitation, revoke_invitation
from eventhub.registration.invitee_lists import InviteeRow
from eventhub.registration.organiser_actions import RegistrationAction
from eventhub.registration.services import cancel_registration, register_invitee
from tests.audit.conftest import entries, only_entry


def _invite(event, *emails, actor=None, now):
    rows = [InviteeRow(line, email, email.split("@")[0].title()) for line, email in enumerate(emails, start=1)]
    return invite_people(event, rows, actor, now).created


def _registered(event, email, now):
    invitation = _invite(event, email, now=now)[0]
    return register_invitee(invitation, invitation.person.name, None, {}, now).registration


# ---------------------------------------------------------------------------------------------------------
# Events and series
# ---------------------------------------------------------------------------------------------------------


def test_creating_an_event_records_who_and_its_settings(make_organiser, make_series, now):
    series = make_series(slug="bstf")
    organiser = make_organiser(series, email="frederik@example.org")
    data = EventInput(
        title="Taskforce meeting 5", series="bstf", timezone="Europe/Copenhagen", capacity=30,
        starts_at="2027-03-16T14:00:00", ends_at="2027-03-16T15:30:00",
    )  # fmt: skip
    event = create_event(data, now=now, actor=organiser)

    entry = only_entry(AuditAction.EVENT_CREATED)
    assert (entry.actor_id, entry.actor_label, entry.at) == (organiser.id, "frederik@example.org", now)
    assert (entry.event_id, entry.series_id, entry.subject) == (event.id, series.id, "Taskforce meeting 5")
    assert entry.fields["title"] == [None, "Taskforce meeting 5"]
    assert entry.fields["starts_at"] == [None, "2027-03-16T13:00:00+00:00"]
    assert entry.fields["series"] == [None, "bstf"]
    assert entry.fields["capacity"] == [None, 30]


def test_a_new_time_is_a_move_and_the_rest_an_update_each_with_before_and_after(conference, organiser, now):
    starts = conference.starts_at
    later = {"starts_at": starts + timedelta(days=1), "ends_at": starts + timedelta(days=1, hours=6)}
    changes = {name: value.isoformat() for name, value in later.items()}
    update_event(conference, {**changes, "location": "Brno"}, now=now, actor=organiser)

    moved, updated = only_entry(AuditAction.EVENT_MOVED), only_entry(AuditAction.EVENT_UPDATED)
    assert moved.actor_id == updated.actor_id == organiser.id
    assert moved.fields == {
        "starts_at": [starts.isoformat(), (starts + timedelta(days=1)).isoformat()],
        "ends_at": [(starts + timedelta(hours=6)).isoformat(), (starts + timedelta(days=1, hours=6)).isoformat()],
    }
    assert updated.fields == {"location": [None, "Brno"]}


def test_saving_an_event_unchanged_records_nothing(conference, organiser, now):
    update_event(conference, {"title": conference.title}, now=now, actor=organiser)
    assert entries(AuditAction.EVENT_UPDATED) == entries(AuditAction.EVENT_MOVED) == []


def test_cancelling_records_the_status_once(conference, organiser, now):
    cancel_event(conference, now=now, actor=organiser)
    cancel_event(conference, now=now, actor=organiser)

    entry = only_entry(AuditAction.EVENT_CANCELLED)
    assert (entry.actor_id, entry.event_id, entry.fields) == (
        organiser.id, conference.id, {"status": ["scheduled", "cancelled"]}
    )  # fmt: skip


def test_creating_and_changing_a_series_records_its_settings(make_user, now):
    organiser = make_user("organiser", email="marta@example.org")
    series = create_series("cospro", "COSPRO missions", "", "public", actor=organiser, now=now)
    update_series(series, {"title": "COSPRO missions 2027", "visibility": "public"}, actor=organiser, now=now)

    created, updated = only_entry(AuditAction.SERIES_CREATED), only_entry(AuditAction.SERIES_UPDATED)
    assert (created.actor_id, created.series_id, created.event_id) == (organiser.id, series.id, None)
    assert created.fields["slug"] == [None, "cospro"] and created.fields["visibility"] == [None, "public"]
    assert (updated.actor_id, updated.fields) == (organiser.id, {"title": ["COSPRO missions", "COSPRO missions 2027"]})


# ---------------------------------------------------------------------------------------------------------
# Invitations and requests
# ---------------------------------------------------------------------------------------------------------


def test_a_list_of_invitations_is_one_entry_with_the_count_and_the_people_not_their_addresses(
    conference, organiser, now
):
    invited = _invite(conference, "a@example.org", "b@example.org", "c@example.org", actor=organiser, now=now)

    entry = only_entry(AuditAction.INVITATIONS_SENT)
    assert (entry.actor_id, entry.event_id, entry.person_id, entry.subject) == (
        organiser.id, conference.id, None, "3 people"
    )  # fmt: skip
    assert entry.fields == {"count": [None, 3], "person_ids": [None, [i.person_id for i in invited]]}
    assert "@" not in json.dumps(entry.fields)


def test_inviting_one_person_is_an_entry_about_them(conference, organiser, now):
    invitation = _invite(conference, "anna@example.org", actor=organiser, now=now)[0]

    entry = only_entry(AuditAction.INVITATIONS_SENT)
    assert (entry.actor_id, entry.person_id, entry.subject) == (
        organiser.id, invitation.person_id, "Anna <anna@example.org>"
    )  # fmt: skip
    assert entry.fields == {"count": [None, 1]}


def test_an_import_that_invites_nobody_new_records_nothing(conference, organiser, now):
    _invite(conference, "anna@example.org", actor=organiser, now=now)
    _invite(conference, "anna@example.org", actor=organiser, now=now)
    assert len(entries(AuditAction.INVITATIONS_SENT)) == 1


def test_resending_and_revoking_are_entries_about_the_invitee(conference, organiser, now):
    invitation = _invite(conference, "anna@example.org", now=now)[0]
    resend_invitation(invitation, now, organiser)
    revoke_invitation(invitation, now, organiser)
    revoke_invitation(invitation, now, organiser)

    resent, revoked = only_entry(AuditAction.INVITATION_RESENT), only_entry(AuditAction.INVITATION_REVOKED)
    assert (resent.actor_id, resent.person_id, resent.fields) == (
        organiser.id, invitation.person_id, {"send_count": [1, 2]}
    )  # fmt: skip
    assert (revoked.actor_id, revoked.person_id, revoked.fields) == (
        organiser.id, invitation.person_id, {"status": ["pending", "revoked"]}
    )  # fmt: skip


def test_approving_a_request_records_the_decision_and_the_invitation(conference, organiser, now):
    data = invitation_requests.RequestInput("Cai Jensen", "cai@example.org", "Kommune")
    request = invitation_requests.submit_request(conference, data, "10.0.0.1", now)
    assert [entry.action for entry in entries(event_id=conference.id)] == ["event.created"], "the request: not"

    invitation_requests.approve_request(request, organiser, now)

    decided = only_entry(AuditAction.REQUEST_DECIDED)
    invited = only_entry(AuditAction.INVITATIONS_SENT)
    assert (decided.actor_id, decided.fields, decided.subject) == (
        organiser.id, {"status": ["pending", "approved"]}, "Cai Jensen <cai@example.org>"
    )  # fmt: skip
    assert decided.person_id == invited.person_id is not None


def test_declining_a_request_records_the_decision_about_the_requester(conference, organiser, now):
    data = invitation_requests.RequestInput("Cai Jensen", "cai@example.org")
    request = invitation_requests.submit_request(conference, data, "10.0.0.1", now)
    invitation_requests.decline_request(request, organiser, now)

    entry = only_entry(AuditAction.REQUEST_DECIDED)
    assert (entry.actor_id, entry.event_id, entry.fields) == (
        organiser.id, conference.id, {"status": ["pending", "declined"]}
    )  # fmt: skip
    assert entry.person_id is not None


# ---------------------------------------------------------------------------------------------------------
# Registrations changed by an organiser
# ---------------------------------------------------------------------------------------------------------


def test_an_organiser_cancelling_records_who_and_who_got_the_freed_place(conference, organiser, now):
    anna, bo, cai = (_registered(conference, email, now) for email in ("anna@x.org", "bo@x.org", "cai@x.org"))
    assert cai.status.value == "waitlisted"

    organiser_actions.perform_action(anna, RegistrationAction.CANCEL, organiser, now)

    entry = only_entry(AuditAction.REGISTRATION_CHANGED)
    assert (entry.actor_id, entry.person_id, entry.event_id) == (organiser.id, anna.person_id, conference.id)
    assert entry.fields == {"status": ["confirmed", "cancelled"], "promoted_person_ids": [None, [cai.person_id]]}


def test_moving_to_the_waiting_list_and_back_records_status_and_place(conference, organiser, now):
    anna = _registered(conference, "anna@x.org", now)
    organiser_actions.perform_action(anna, RegistrationAction.WAITLIST, organiser, now)
    organiser_actions.perform_action(anna, RegistrationAction.CONFIRM, organiser, now)

    waitlisted, confirmed = entries(AuditAction.REGISTRATION_CHANGED)
    assert waitlisted.fields == {"status": ["confirmed", "waitlisted"], "waitlist_position": [None, 1]}
    assert confirmed.fields == {"status": ["waitlisted", "confirmed"], "waitlist_position": [1, None]}
    assert waitlisted.actor_id == confirmed.actor_id == organiser.id


def test_confirming_into_a_full_event_says_so(conference, organiser, now):
    _registered(conference, "anna@x.org", now), _registered(conference, "bo@x.org", now)
    cai = _registered(conference, "cai@x.org", now)
    organiser_actions.perform_action(cai, RegistrationAction.CONFIRM, organiser, now, over_capacity=True)

    assert only_entry(AuditAction.REGISTRATION_CHANGED).fields["over_capacity"] == [None, True]


def test_a_person_cancelling_their_own_registration_is_not_an_organiser_change(conference, now):
    cancel_registration(_registered(conference, "anna@x.org", now), now)
    assert entries(AuditAction.REGISTRATION_CHANGED) == []


def test_a_lower_capacity_that_moves_people_records_the_change_and_each_person_moved(conference, organiser, now):
    _registered(conference, "anna@x.org", now)
    bo = _registered(conference, "bo@x.org", now + timedelta(minutes=1))
    update_event_seats(conference, {"capacity": 1}, "waitlist_latest", organiser, now)

    assert only_entry(AuditAction.EVENT_UPDATED).fields == {"capacity": [2, 1]}
    moved = only_entry(AuditAction.REGISTRATION_CHANGED)
    assert (moved.actor_id, moved.person_id, moved.fields) == (
        organiser.id, bo.person_id, {"status": ["confirmed", "waitlisted"], "waitlist_position": [None, 1]}
    )  # fmt: skip
