"""Members, organisers, accounts, the agenda and the minutes: each change by an organiser, secretary or admin is in
the audit log with the acting account and the changed fields; entries about a person name them (``person_id``)
so that erasure can forget them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventhub.accounts import memberships, organisers
from eventhub.accounts.models import Role
from eventhub.accounts.services import create_user, set_active, set_role
from eventhub.agenda.services import publish_agenda, replace_agenda, unpublish_agenda
from eventhub.audit.models import AuditAction
from eventhub.events.models import MembershipRole
from eventhub.minutes import emails as minutes_emails
from eventhub.minutes import services as minutes_services
from eventhub.registration.invitee_lists import InviteeRow
from tests.audit.conftest import entries, only_entry


@pytest.fixture
def series(make_series):
    return make_series(slug="big-buyers", title="Big Buyers working group")


@pytest.fixture
def admin(make_user):
    return make_user("admin", email="ida@example.org")


# ---------------------------------------------------------------------------------------------------------
# Members and organisers
# ---------------------------------------------------------------------------------------------------------


def test_adding_a_member_records_the_person_and_their_role(series, make_organiser, now):
    organiser = make_organiser(series, email="sophie@example.org")
    membership = memberships.add_member(organiser, series, "lena@example.org", "Lena Berg", None, None, now)

    entry = only_entry(AuditAction.MEMBER_ADDED)
    assert (entry.actor_id, entry.series_id, entry.person_id) == (organiser.id, series.id, membership.person_id)
    assert (entry.subject, entry.fields) == ("Lena Berg <lena@example.org>", {"role": [None, "member"]})


def test_adding_someone_who_is_a_member_already_records_nothing_and_a_new_role_records_the_change(series, admin, now):
    memberships.grant_series_membership(admin, series, "lena@example.org", now=now)
    memberships.grant_series_membership(admin, series, "LENA@example.org", now=now)
    memberships.grant_series_membership(admin, series, "lena@example.org", role="secretary", now=now)

    added, raised = entries(AuditAction.MEMBER_ADDED)
    assert added.fields == {"role": [None, "member"]}
    assert (raised.actor_id, raised.fields) == (admin.id, {"role": ["member", "secretary"]})


def test_a_list_of_members_is_one_entry_with_the_count_and_ids(series, make_organiser, now):
    organiser = make_organiser(series)
    rows = [InviteeRow(1, "a@example.org", "A"), InviteeRow(2, "b@example.org", "B")]
    result = memberships.add_series_members(organiser, series, rows, now)

    entry = only_entry(AuditAction.MEMBER_ADDED)
    assert (entry.actor_id, entry.series_id, entry.person_id, entry.subject) == (
        organiser.id,
        series.id,
        None,
        "2 people",
    )
    assert entry.fields == {"count": [None, 2], "person_ids": [None, [m.person_id for m in result.created]]}


def test_removing_a_member_records_the_role_they_had(series, make_organiser, now):
    organiser = make_organiser(series)
    membership = memberships.add_member(organiser, series, "lena@example.org", "Lena", None, None, now)
    memberships.remove_membership(organiser, membership, now)

    entry = only_entry(AuditAction.MEMBER_REMOVED)
    assert (entry.actor_id, entry.person_id, entry.fields) == (
        organiser.id,
        membership.person_id,
        {"role": ["member", None]},
    )


def test_appointing_and_dismissing_an_organiser(series, admin, make_user, now):
    future = make_user("organiser", email="marta@example.org")
    organisers.appoint_series_organiser(admin, series, future.email, now=now)
    organisers.appoint_series_organiser(admin, series, future.email, now=now)  # organises it already: no entry
    organisers.dismiss_series_organiser(admin, series, future.person_id, now=now)

    appointed, dismissed = only_entry(AuditAction.ORGANISER_APPOINTED), only_entry(AuditAction.ORGANISER_DISMISSED)
    assert (appointed.actor_id, appointed.person_id, appointed.fields) == (
        admin.id, future.person_id, {"role": [None, "organiser"]}
    )  # fmt: skip
    assert (dismissed.actor_id, dismissed.series_id, dismissed.fields) == (
        admin.id, series.id, {"role": ["organiser", None]}
    )  # fmt: skip


def test_appointing_through_the_membership_api_rule_is_recorded_as_an_appointment(series, admin, make_user, now):
    future = make_user("organiser", email="marta@example.org")
    memberships.grant_series_membership(admin, series, future.email, role=MembershipRole.ORGANISER, now=now)
    assert only_entry(AuditAction.ORGANISER_APPOINTED).person_id == future.person_id
    assert entries(AuditAction.MEMBER_ADDED) == []


# ---------------------------------------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------------------------------------


def test_creating_an_account_records_its_role_and_the_admin(admin, now):
    user = create_user("nils@example.org", Role.ORGANISER, actor=admin, now=now)

    entry = only_entry(AuditAction.ACCOUNT_CREATED, person_id=user.person_id)
    assert (entry.actor_id, entry.at, entry.fields) == (admin.id, now, {"role": [None, "organiser"]})


def test_changing_a_role_records_before_and_after_and_not_an_unchanged_one(admin, make_user, now):
    user = make_user("member", email="nils@example.org")
    set_role(user, Role.SECRETARY, actor=admin, now=now)
    set_role(user, Role.SECRETARY, actor=admin, now=now)

    entry = only_entry(AuditAction.ROLE_CHANGED)
    assert (entry.actor_id, entry.person_id, entry.fields) == (
        admin.id,
        user.person_id,
        {"role": ["member", "secretary"]},
    )


def test_deactivating_and_reactivating_are_recorded(admin, make_user, now):
    user = make_user("organiser", email="nils@example.org")
    set_active(user, False, actor=admin, now=now)
    set_active(user, True, actor=admin, now=now + timedelta(hours=1))

    off, on = only_entry(AuditAction.ACCOUNT_DEACTIVATED), only_entry(AuditAction.ACCOUNT_REACTIVATED)
    assert (off.actor_id, off.person_id, off.fields) == (admin.id, user.person_id, {"active": [True, False]})
    assert (on.fields, on.at) == ({"active": [False, True]}, now + timedelta(hours=1))


# ---------------------------------------------------------------------------------------------------------
# Agenda and minutes
# ---------------------------------------------------------------------------------------------------------


def test_publishing_and_hiding_the_agenda(make_event, make_user, now):
    event = make_event(starts_at=now + timedelta(days=10))
    secretary = make_user("secretary", email="sara@example.org")
    start = event.starts_at.astimezone(event.zone).replace(tzinfo=None)
    item = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(minutes=10)).isoformat(), "title": "Hej"}
    replace_agenda(event, [item], now)
    publish_agenda(event, now, secretary)
    publish_agenda(event, now, secretary)  # published already: no entry
    unpublish_agenda(event, now, secretary)

    published, hidden = only_entry(AuditAction.AGENDA_PUBLISHED), only_entry(AuditAction.AGENDA_UNPUBLISHED)
    assert (published.actor_id, published.event_id) == (secretary.id, event.id)
    assert published.fields == {"published_at": [None, now.isoformat()], "items": [None, 1]}
    assert hidden.fields == {"published_at": [now.isoformat(), None], "items": [None, 1]}


def test_circulating_and_publishing_minutes_record_the_secretary(taskforce, now):
    event, secretary = taskforce.meeting3, taskforce.secretary
    minutes_services.update_minutes(event, {"body": "Referat."}, now)
    minutes_emails.circulate_minutes(event, now, secretary)
    minutes_emails.publish_minutes(event, now, secretary.person, "Første udgave", account=secretary)

    circulated, published = only_entry(AuditAction.MINUTES_CIRCULATED), only_entry(AuditAction.MINUTES_PUBLISHED)
    assert (circulated.actor_id, circulated.event_id, circulated.series_id) == (
        secretary.id, event.id, taskforce.series.id
    )  # fmt: skip
    assert circulated.fields["version"] == [None, 1]
    assert (published.actor_id, published.fields) == (
        secretary.id, {"version": [None, 1], "change_note": [None, "Første udgave"]}
    )  # fmt: skip
