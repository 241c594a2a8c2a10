"""Organisers get one email listing new requests for an invitation, at most one per period, safe to run twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventhub.accounts.models import Role
from eventhub.extensions import db
from eventhub.registration.invitation_requests import RequestInput, decline_request, submit_request
from eventhub.registration.request_digest import organisers_to_notify, run_request_digests
from eventhub.scheduler.planning import run_planning
from tests.conftest import grant_organiser
from tests.registration.conftest import as_received, emails_of

# 10:03 UTC: inside the 10:00-10:15 period.
T0 = datetime(2026, 11, 2, 10, 3, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return T0


@pytest.fixture
def taskforce(make_series):
    return make_series(slug="taskforce", title="Buy Social Taskforce")


@pytest.fixture
def meeting(conference, taskforce):
    """``meeting(**overrides)``: a conference in the taskforce series (its organisers hear about its requests)."""

    def factory(**overrides):
        return conference(series=taskforce.slug, **overrides)

    return factory


@pytest.fixture
def staff(make_user, make_organiser, make_series, taskforce):
    """Olga and Petr organise the taskforce; nobody else in the house may hear about its requests."""
    organiser = make_organiser(taskforce, email="olga@example.org", name="Olga Organiser")
    second = make_organiser(taskforce, email="petr@example.org", name="Petr Organiser")
    make_user("admin", email="adam@example.org", name="Adam Admin")
    make_user("secretary", email="sec@example.org")
    make_organiser(make_series(title="Another series"), email="other@example.org")
    make_organiser(taskforce, email="gone@example.org").active = False
    grant_organiser(make_user("member", email="demoted@example.org"), taskforce)  # no longer an organiser
    return organiser, second


def ask(event, email, at, **extra):
    data = RequestInput(name=email.split("@")[0].title(), email=email, **extra)
    return submit_request(event, data, f"10.0.0.{len(email)}", at)


def digests(to=None):
    return emails_of("request_digest", to)


# ---------------------------------------------------------------------------------------------------------
# Who hears: the series' organisers, else the event's creator if they still organise, else the admins
# ---------------------------------------------------------------------------------------------------------


def test_the_recipients_are_the_active_organisers_of_the_series(app, meeting, staff):
    olga, petr = staff
    assert organisers_to_notify(meeting()) == [olga, petr]  # not admins, inactive, demoted or other organisers


def test_an_admin_who_organises_the_series_is_one_of_them(app, meeting, staff, make_user, taskforce):
    olga, petr = staff
    admin = grant_organiser(make_user("admin", email="ada@example.org"), taskforce)
    assert organisers_to_notify(meeting()) == [olga, petr, admin]


def test_the_creator_hears_about_an_event_without_a_series(app, conference, make_organiser, make_user):
    make_user("admin", email="adam@example.org")
    make_organiser(email="other@example.org")
    event = conference()
    creator = make_organiser(event, email="cleo@example.org")  # the creator of an event without a series
    assert event.created_by_id == creator.id
    assert organisers_to_notify(event) == [creator]


def test_the_creator_hears_when_nobody_organises_the_series(app, conference, make_organiser, make_user, make_series):
    make_user("admin", email="adam@example.org")
    event = conference(series=make_series(title="Orphaned").slug)
    creator = make_organiser(email="cleo@example.org")
    event.created_by_id = creator.id
    assert organisers_to_notify(event) == [creator]


@pytest.mark.parametrize("change", ["demoted", "deactivated", "no creator"])
def test_the_active_admins_hear_when_nobody_else_would(app, conference, make_organiser, make_user, change):
    adam = make_user("admin", email="adam@example.org")
    ada = make_user("admin", email="ada@example.org")
    make_user("admin", email="gone@example.org").active = False
    make_user("secretary", email="sec@example.org")
    make_organiser(email="other@example.org")  # organises something else
    event = conference()
    creator = make_organiser(event, email="cleo@example.org")
    if change == "demoted":
        creator.role = Role.MEMBER
    elif change == "deactivated":
        creator.active = False
    else:
        event.created_by_id = None
    assert organisers_to_notify(event) == [adam, ada]


def test_a_request_for_an_event_nobody_organises_reaches_the_admins(conference, make_user):
    make_user("admin", email="adam@example.org", name="Adam Admin")
    ask(conference(), "ana@example.org", T0)
    assert run_request_digests(T0) == 1
    assert "ana@example.org" in as_received(digests("adam@example.org")[0])["text"]


# ---------------------------------------------------------------------------------------------------------
# The digest
# ---------------------------------------------------------------------------------------------------------


def test_one_digest_per_organiser_lists_the_new_requests_of_every_event_with_links(meeting, staff):
    first, second = meeting(title="Prague conference"), meeting(title="Brno conference")
    ask(first, "ana@example.org", T0, organisation="Praha 7")
    ask(first, "bo@example.org", T0, case_description="Our canteen tender")
    ask(second, "cy@example.org", T0)

    assert run_request_digests(T0) == 2

    (olga,) = digests("olga@example.org")
    shown = as_received(olga)
    assert shown["subject"] == "3 new requests for an invitation"
    assert "Olga Organiser" in shown["to"]
    text = shown["text"]
    assert "Prague conference" in text and "Brno conference" in text
    assert "Ana (Praha 7), ana@example.org" in text and "Bo, bo@example.org · proposes a case" in text
    assert f"/events/{first.id}/manage/requests" in text and f"/events/{second.id}/manage/requests" in text
    assert len(digests("petr@example.org")) == 1
    for nobody in ("adam@example.org", "sec@example.org", "other@example.org", "gone@example.org"):
        assert digests(nobody) == []
    assert digests("demoted@example.org") == []


def test_running_twice_sends_nothing_more(meeting, staff):
    ask(meeting(), "ana@example.org", T0)
    assert run_request_digests(T0) == 2
    assert run_request_digests(T0) == 0
    assert run_request_digests(T0 + timedelta(hours=1)) == 0
    assert len(digests()) == 2


def test_a_request_arriving_later_in_the_period_waits_for_the_next_one(meeting, staff):
    event = meeting()
    ask(event, "ana@example.org", T0)
    run_request_digests(T0)
    ask(event, "bo@example.org", T0 + timedelta(minutes=5))

    assert run_request_digests(T0 + timedelta(minutes=6)) == 0  # 10:09: this period had its digest
    assert run_request_digests(T0 + timedelta(minutes=12)) == 2  # 10:15: a new period

    latest = as_received(digests("olga@example.org")[-1])["text"]
    assert "bo@example.org" in latest and "ana@example.org" not in latest


def test_a_crash_before_the_commit_loses_nothing(app, meeting, staff):
    ask(meeting(), "ana@example.org", T0)
    db.session.commit()
    with db.session.begin_nested():
        run_request_digests(T0)
        db.session.rollback()  # as if the worker died before committing
    assert digests() == []
    assert run_request_digests(T0) == 2


def test_decided_requests_and_cancelled_events_are_not_listed(meeting, staff, now):
    from eventhub.events.services import cancel_event

    organiser, _ = staff
    event, cancelled = meeting(), meeting(title="Called off")
    decline_request(ask(event, "ana@example.org", T0), organiser, T0)
    ask(cancelled, "bo@example.org", T0)
    cancel_event(cancelled, T0)
    assert run_request_digests(T0) == 0


def test_the_planner_runs_the_digest(meeting, staff):
    ask(meeting(), "ana@example.org", T0)
    assert run_planning(T0)["invitation request digests"] == 2


def test_a_danish_organiser_gets_the_digest_in_danish(meeting, taskforce, make_organiser):
    make_organiser(taskforce, email="dorte@example.org", name="Dorte", language="da")
    ask(meeting(), "ana@example.org", T0)
    run_request_digests(T0)
    assert "Hej Dorte" in as_received(digests("dorte@example.org")[0])["text"]
