"""An organiser, in a real browser, gives someone on the waiting list a confirmed place (over capacity, after
ticking the box) and cancels someone else's registration; the emails arrive through a real SMTP server with
their calendar parts. Screenshots go to test-artifacts/registration/.
"""

from __future__ import annotations

import re

from eventhub.db import utcnow
from eventhub.extensions import db
from tests.conftest import grant_organiser
from tests.registration.e2e.test_invitation_flow import DESKTOP, calendar_in, live, shot  # noqa: F401 (fixture)

PASSWORD = "correct horse battery"


def _register_everyone(app, event_id: int) -> None:
    """Mette takes the one place; Bo and Ivan wait (in that order). Olga organises."""
    from eventhub.accounts.models import Role
    from eventhub.accounts.services import create_user
    from eventhub.events.models import Event
    from eventhub.registration.invitations import invite_people, list_invitations
    from eventhub.registration.invitee_lists import InviteeRow
    from eventhub.registration.services import register_invitee

    now = utcnow()
    with app.app_context():
        event = db.session.get(Event, event_id)
        invite_people(event, [InviteeRow(1, "ivan@gabrovo.bg", "Ivan Petrov", "Obshtina Gabrovo", "en")], None, now)
        by_email = {i.person.email: i for i in list_invitations(event, None, now)}
        for email in ("mette@kk.dk", "bo@odense.dk", "ivan@gabrovo.bg"):
            invitation = by_email[email]
            register_invitee(invitation, invitation.person.name, None, _answers(event), now)
        olga = create_user("olga@example.org", Role.ORGANISER, password=PASSWORD, name="Olga Organiser")
        grant_organiser(olga, event)  # she manages this event (organiser rights are per series or event)
        db.session.commit()
        db.session.remove()


def _answers(event) -> dict:
    from eventhub.registration.questions import questions_for

    answers = {}
    for question in questions_for(event):
        if question.kind == "single_choice":
            answers[question.field_name] = question.choices[0]
        elif question.kind == "consent":
            answers[question.field_name] = True
    return answers


def test_organiser_confirms_a_waiting_registrant_and_cancels_another(browser, live):  # noqa: F811
    _register_everyone(live.app, live.event_id)
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live.base_url}/login")
    page.get_by_label("Email").fill("olga@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live.base_url}/events/{live.event_id}")
    page.get_by_role("navigation", name="Manage this event").get_by_role(
        "link", name="Registrations and waiting list"
    ).click()
    shot(page, "10-organiser-registrations-with-actions")

    page.get_by_role("link", name="Confirm Bo Præst").click()
    page.wait_for_url(re.compile(r"/registrations/\d+/confirm$"))
    assert "this place would be over capacity" in page.locator("#what-happens").inner_text()
    shot(page, "11-confirm-over-capacity")
    page.get_by_role("button", name="Give Bo Præst a confirmed place").click()
    page.get_by_text("The event is full").first.wait_for()  # refused until the box is ticked
    page.get_by_label("Yes, confirm this place although the event is full").check()
    page.get_by_role("button", name="Give Bo Præst a confirmed place").click()
    page.wait_for_url(re.compile(r"/manage/registrations$"))
    assert "Bo Præst has a confirmed place now" in page.content()
    shot(page, "12-bo-confirmed")

    page.get_by_role("link", name="Cancel Mette Jørgensen").click()
    happens = page.locator("#what-happens").inner_text()
    assert "saying the organiser cancelled it" in happens and "freed place" not in happens  # still full with Bo
    shot(page, "13-cancel-confirmation")
    page.get_by_role("button", name="Cancel the registration of Mette Jørgensen").click()
    page.wait_for_url(re.compile(r"/manage/registrations$"))
    assert "The registration of Mette Jørgensen is cancelled" in page.content()
    page.get_by_role("link", name="The waiting list, in its order").click()
    waiting = page.locator("#registrations").inner_text()
    assert "Ivan Petrov" in waiting and "Bo Præst" not in waiting and "Mette" not in waiting
    shot(page, "14-mette-cancelled")
    context.close()

    live.deliver()
    promoted = live.mail_to("bo@odense.dk", "A place is free for you")
    assert "the organiser has moved you from the waiting list" in promoted.get_body(("plain",)).get_content()
    assert calendar_in(promoted)[0] == "REQUEST"
    cancelled = live.mail_to("mette@kk.dk", "Registration cancelled")
    assert "The organiser has cancelled your registration" in cancelled.get_body(("plain",)).get_content()
    assert calendar_in(cancelled)[0] == "CANCEL"


def test_organiser_lowers_the_capacity_and_chooses_who_waits(browser, live):  # noqa: F811
    from eventhub.events.models import Event
    from eventhub.events.services import update_event

    with live.app.app_context():
        update_event(db.session.get(Event, live.event_id), {"capacity": 3}, now=utcnow())
        db.session.commit()
        db.session.remove()
    _register_everyone(live.app, live.event_id)  # all three confirmed
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live.base_url}/login")
    page.get_by_label("Email").fill("olga@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live.base_url}/events/{live.event_id}/manage/edit")
    page.get_by_label("Capacity").fill("1")
    page.get_by_role("button", name="Save").click()
    step = page.locator("#over-capacity")
    assert "The new capacity (1) is below the 3 people already confirmed" in step.inner_text()
    step.scroll_into_view_if_needed()
    shot(page, "15-capacity-choice")
    page.get_by_label("Move the most recently confirmed to the waiting list (they are emailed)").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"/events/{live.event_id}$"))
    page.goto(f"{live.base_url}/events/{live.event_id}/manage/registrations")
    page.get_by_role("link", name="The waiting list, in its order").click()
    waiting = page.locator("#registrations").inner_text()
    assert "Mette Jørgensen" not in waiting  # the first to register keeps her place
    assert waiting.index("Bo Præst") < waiting.index("Ivan Petrov")  # in the order they had registered
    shot(page, "16-capacity-lowered")
    context.close()
    live.deliver()
    moved = live.mail_to("ivan@gabrovo.bg", "Moved to the waiting list")
    assert calendar_in(moved)[0] == "CANCEL"
