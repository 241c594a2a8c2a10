"""Anna Nowak, someone eventhub holds a bit of everything about: the world the export and erasure tests share.

Every kind of row that can hold her or point at her exists once: an account with an API token, a feed link and a
sign-in link; a membership; an upcoming invitation-only conference (invited, registered with a dietary answer, the
only seat, Bo waiting) with an agenda item she presents and a queued reminder; a past numbered meeting she
attended (round table, an action item, a comment, published minutes naming her, the minutes email to Bo); a
request for an invitation to a workshop (and the organisers' digest naming her); a privacy link with its
rate-limit count; the do-not-send list; an unsubscription; audit entries about her and by her.
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
