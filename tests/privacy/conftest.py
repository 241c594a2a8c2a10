"""Two worlds of personal data: Anna Nowak, whom the export and erasure tests find everywhere (``anna``), and a
past meeting whose retention period passes (``world``, for the retention tests).

Anna Nowak, someone eventhub holds a bit of everything about: the world the export and erasure tests share.

Every kind of row that can hold her or point at her exists once: an account with an API token, a feed link and a
sign-in link; a membership; an upcoming invitation-only conference (invited, registered with a dietary answer, the
only seat, Bo waiting) with an agenda item she presents and a queued reminder; a past numbered meeting she
attended (round table, an action item, a comment, published minutes naming her, the minutes email to Bo); a
request for an invitation to a workshop (and the organisers' digest naming her); a privacy link with its
rate-limit count; the do-not-send list; an unsubscription; audit entries about her and by her.

A past meeting full of personal data, for the retention tests: invitees who registered with answers (one a
member, one with a later event too), a walk-in who commented on the draft, a requester, an organiser's digest,
queued reminders and an audit entry. Everything happens at ``now``; the meeting ends ten days later, so its
retention period (365 days by default) has passed at ``world.due``.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from tests.conftest import grant_organiser

ADDRESS = "anna.nowak@example.org"
NAME = "Anna Nowak"
ORGANISATION = "Krakowska Spółdzielnia"


def agenda_item(event: Any, **values: Any) -> dict[str, Any]:
    start = event.starts_at.astimezone(event.zone).replace(tzinfo=None)
    item = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(minutes=20)).isoformat()}
    return {**item, "title": "Social clauses in Kraków", **values}


@pytest.fixture
def anna(make_series, make_event, make_user, make_person, now) -> SimpleNamespace:
    from eventhub.accounts.links import issue_link
    from eventhub.accounts.models import LinkPurpose
    from eventhub.accounts.services import create_api_token
    from eventhub.agenda.services import replace_agenda
    from eventhub.audit.log import record
    from eventhub.audit.models import AuditAction
    from eventhub.calendar.services import issue_feed_token
    from eventhub.events.services import add_series_member
    from eventhub.mail.lists import unsubscribe_from_series
    from eventhub.mail.models import SuppressionReason
    from eventhub.mail.services import RenderedEmail, queue_email
    from eventhub.mail.suppression import suppress_address
    from eventhub.minutes.emails import publish_minutes
    from eventhub.minutes.services import add_comment, get_or_create_minutes, update_minutes
    from eventhub.privacy import links
    from eventhub.registration.invitation_requests import RequestInput, submit_request
    from eventhub.registration.invitations import invite_people
    from eventhub.registration.invitee_lists import InviteeRow
    from eventhub.registration.questions import add_question
    from eventhub.registration.request_digest import run_request_digests
    from eventhub.registration.services import register, register_invitee

    series = make_series(slug="bsi", title="Buying for Social Impact")
    organiser = grant_organiser(make_user("organiser", email="olga@example.org", name="Olga Organiser"), series)
    make_user("admin", email="ada@example.org", name="Ada Admin")
    user = make_user("member", email=ADDRESS, name=NAME, organisation=ORGANISATION)
    person = user.person
    bo = make_person(email="bo@example.org", name="Bo Berg")
    for member in (ADDRESS, bo.email):
        add_series_member(series, member)

    conference = make_event(
        title="BSI national conference", series="bsi", number=5, capacity=1, invitation_only=True,
        starts_at=now + timedelta(days=30),
    )  # fmt: skip
    question = add_question(conference, "short_text", "Dietary needs")
    rows = [InviteeRow(1, ADDRESS, NAME, "", ""), InviteeRow(2, bo.email, bo.name, "", "")]
    invitations = {i.person.email: i for i in invite_people(conference, rows, organiser, now).created}
    registration = register_invitee(
        invitations[ADDRESS], NAME, ORGANISATION, {question.field_name: "vegetarian, no nuts"}, now
    ).registration
    waiting = register_invitee(invitations[bo.email], bo.name, None, {}, now).registration
    replace_agenda(conference, [agenda_item(conference, owner=ADDRESS)], now)
    reminder = queue_email(
        dedup_key="test-reminder-anna", kind="reminder", recipient=person,
        email=RenderedEmail("Reminder: BSI national conference", "See you soon", "<p>See you soon</p>", "en"),
        now=now, not_before=now + timedelta(days=29), event=conference,
    )  # fmt: skip

    meeting = make_event(title="BSI working meeting", series="bsi", number=1, starts_at=now - timedelta(days=20))
    register(meeting, person, now - timedelta(days=25))
    update_minutes(
        meeting,
        {
            "body": "We discussed social clauses.",
            "attendees": [ADDRESS, bo.email],
            "round_table": [{"person": ADDRESS, "text": "Kraków buys from social enterprises."}],
            "action_items": [{"what": "Send the tender template", "owner": ADDRESS, "due": "2026-12-10"}],
        },
        now,
    )
    add_comment(get_or_create_minutes(meeting, now), person, "A typo in the second item.", now)
    publish_minutes(meeting, now, organiser.person)

    workshop = make_event(title="Procurement workshop", series="bsi", number=6, invitation_only=True)
    asked = RequestInput(NAME, ADDRESS, ORGANISATION, "May I come?", "", "en")
    request = submit_request(workshop, asked, "10.0.0.9", now)
    run_request_digests(now)

    create_api_token(user, "my script", now)
    issue_feed_token(person, now)
    issue_link(person, LinkPurpose.SIGN_IN, now)
    links.begin_link_request(ADDRESS, "10.0.0.9", now)
    links.email_privacy_link(ADDRESS, "en", now)
    suppress_address(ADDRESS, SuppressionReason.BOUNCED, "550 5.1.1 mailbox full")
    unsubscribe_from_series(person, series)
    record(
        AuditAction.INVITATIONS_SENT, actor=organiser, now=now, event=conference, person=person,
        subject=f"{NAME} <{ADDRESS}>", fields={"invitees": ([], [ADDRESS])},
    )  # fmt: skip
    record(AuditAction.SERIES_UPDATED, actor=user, now=now, series=series, fields={"title": ("BSI", "Buying")})
    db.session.commit()
    return SimpleNamespace(
        user=user, person=person, bo=bo, organiser=organiser, series=series, conference=conference,
        meeting=meeting, workshop=workshop, question=question, registration=registration, waiting=waiting,
        reminder_id=reminder.id, request=request,
    )  # fmt: skip


def count(model: type, *conditions: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


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
