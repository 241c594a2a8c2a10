"""A past meeting full of personal data, for the retention tests: invitees who registered with answers (one a
member, one with a later event too), a walk-in who commented on the draft, a requester, an organiser's digest,
queued reminders and an audit entry. Everything happens at ``now``; the meeting ends ten days later, so its
retention period (365 days by default) has passed at ``world.due``."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from eventhub.extensions import db

ANNA = ("anna.novak@example.org", "Anna Novákova")
BO = ("bo.medlem@example.org", "Bo Medlemsen")
CARLA = ("carla.later@example.org", "Carla Senerebro")
WANDA = ("wanda.walkin@example.org", "Wanda Walkindottir")
RITA = ("rita.request@example.org", "Rita Requestova")


@pytest.fixture
def world(app, make_series, make_event, make_organiser, now) -> SimpleNamespace:
    from eventhub.audit.log import record
    from eventhub.audit.models import AuditAction
    from eventhub.events.services import add_series_member, get_or_create_person
    from eventhub.minutes.attendance import add_walk_in, set_attendance
    from eventhub.minutes.services import add_comment, get_or_create_minutes
    from eventhub.registration.invitation_requests import RequestInput, decline_request, submit_request
    from eventhub.registration.invitations import invite_people
    from eventhub.registration.invitee_lists import InviteeRow
    from eventhub.registration.questions import add_question
    from eventhub.registration.request_digest import run_request_digests
    from eventhub.registration.services import register, register_invitee
    from eventhub.reminders.planner import run_planner

    series = make_series(slug="buy-social-dk", title="Buy Social Taskforce Danmark")
    start = now + timedelta(days=10)
    meeting = make_event(
        series=series.slug, starts_at=start, ends_at=start + timedelta(hours=2), invitation_only=True,
        registration_closes_at=start - timedelta(days=2),
    )  # fmt: skip
    later = make_event(series=series.slug, starts_at=now + timedelta(days=500))
    organiser = make_organiser(series, email="olga.organiser@example.org")
    diet = add_question(meeting, "short_text", "Dietary needs", delete_answers_after_event=True)
    workshop = add_question(series, "single_choice", "Workshop", choices=["Criteria", "Market dialogue"])
    add_series_member(series, BO[0], name=BO[1])

    registered = {}
    for email, name in (ANNA, BO, CARLA):
        (invitation,) = invite_people(
            meeting, [InviteeRow(1, email, name, "Kooperationen", "")], organiser, now
        ).created
        answers = {diet.field_name: f"vegetarian ({name})", workshop.field_name: "Criteria"}
        registered[email] = register_invitee(invitation, name, "Kooperationen", answers, now).registration
    carla = registered[CARLA[0]].person
    later_registration = register(later, carla, now)

    request = submit_request(
        meeting, RequestInput(name=RITA[1], email=RITA[0], message=f"I am {RITA[1]}"), "192.0.2.7", now
    )
    assert run_request_digests(now) == 1  # the organiser's digest names Rita
    decline_request(request, organiser, now)

    bo = registered[BO[0]].person
    set_attendance(meeting, [bo, registered[ANNA[0]].person], now)
    wanda = add_walk_in(meeting, WANDA[0], WANDA[1], None, now).person
    minutes = get_or_create_minutes(meeting, now)
    add_comment(minutes, wanda, f"{WANDA[1]} would add a point", now)
    add_comment(minutes, bo, "Fine by me", now)
    anna = get_or_create_person(ANNA[0])
    record(AuditAction.REGISTRATION_CHANGED, actor=organiser, now=now, event=meeting, person=anna,
           subject=f"{ANNA[1]} <{ANNA[0]}>", fields={"status": ("confirmed", "cancelled")})  # fmt: skip
    assert run_planner(start - timedelta(days=1)) == 3  # reminders queued for the three registrants, never sent
    db.session.commit()
    return SimpleNamespace(
        series=series, meeting=meeting, later=later, organiser=organiser, diet=diet, workshop=workshop, bo=bo,
        carla=carla, wanda=wanda, later_registration=later_registration, request=request,
        due=meeting.ends_at + timedelta(days=365),
    )  # fmt: skip


def everything_about(*people: tuple[str, str]) -> list[tuple[str, str, object]]:
    """Every text column, in every table, holding one of these people's address or name."""
    from tests.fixtures.scan import rows_mentioning

    return [found for email, name in people for needle in (email, name) for found in rows_mentioning(needle)]
