"""Organisers get one email listing new requests for an invitation, at most one per period, safe to run twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventhub.extensions import db
from eventhub.registration.invitation_requests import RequestInput, decline_request, submit_request
from eventhub.registration.request_digest import organisers_to_notify, run_request_digests
from eventhub.scheduler.planning import run_planning
from tests.registration.conftest import as_received, emails_of

# 10:03 UTC: inside the 10:00-10:15 period.
T0 = datetime(2026, 11, 2, 10, 3, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return T0


@pytest.fixture
def staff(make_user):
    organiser = make_user("organiser", email="olga@example.org", name="Olga Organiser")
    admin = make_user("admin", email="adam@example.org", name="Adam Admin")
    make_user("secretary", email="sec@example.org")
    gone = make_user("organiser", email="gone@example.org")
    gone.active = False
    return organiser, admin


def ask(event, email, at, **extra):
    data = RequestInput(name=email.split("@")[0].title(), email=email, **extra)
    return submit_request(event, data, f"10.0.0.{len(email)}", at)


def digests(to=None):
    return emails_of("request_digest", to)


def test_the_recipients_are_the_active_organisers_and_admins(app, conference, staff):
    organiser, admin = staff
    assert organisers_to_notify(conference()) == [organiser, admin]


def test_one_digest_per_organiser_lists_the_new_requests_of_every_event_with_links(conference, staff):
    first, second = conference(title="Prague conference"), conference(title="Brno conference")
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
    assert len(digests("adam@example.org")) == 1 and digests("sec@example.org") == []
    assert digests("gone@example.org") == []


def test_running_twice_sends_nothing_more(conference, staff):
    ask(conference(), "ana@example.org", T0)
    assert run_request_digests(T0) == 2
    assert run_request_digests(T0) == 0
    assert run_request_digests(T0 + timedelta(hours=1)) == 0
    assert len(digests()) == 2


def test_a_request_arriving_later_in_the_period_waits_for_the_next_one(conference, staff):
    event = conference()
    ask(event, "ana@example.org", T0)
    run_request_digests(T0)
    ask(event, "bo@example.org", T0 + timedelta(minutes=5))

    assert run_request_digests(T0 + timedelta(minutes=6)) == 0  # 10:09: this period had its digest
    assert run_request_digests(T0 + timedelta(minutes=12)) == 2  # 10:15: a new period

    latest = as_received(digests("olga@example.org")[-1])["text"]
    assert "bo@example.org" in latest and "ana@example.org" not in latest


def test_a_crash_before_the_commit_loses_nothing(app, conference, staff):
    ask(conference(), "ana@example.org", T0)
    db.session.commit()
    with db.session.begin_nested():
        run_request_digests(T0)
        db.session.rollback()  # as if the worker died before committing
    assert digests() == []
    assert run_request_digests(T0) == 2


def test_decided_requests_and_cancelled_events_are_not_listed(conference, staff, now):
    from eventhub.events.services import cancel_event

    organiser, _ = staff
    event, cancelled = conference(), conference(title="Called off")
    decline_request(ask(event, "ana@example.org", T0), organiser, T0)
    ask(cancelled, "bo@example.org", T0)
    cancel_event(cancelled, T0)
    assert run_request_digests(T0) == 0


def test_the_planner_runs_the_digest(conference, staff):
    ask(conference(), "ana@example.org", T0)
    assert run_planning(T0)["invitation request digests"] == 2


def test_a_danish_organiser_gets_the_digest_in_danish(conference, make_user):
    make_user("organiser", email="dorte@example.org", name="Dorte", language="da")
    ask(conference(), "ana@example.org", T0)
    run_request_digests(T0)
    assert "Hej Dorte" in as_received(digests("dorte@example.org")[0])["text"]
