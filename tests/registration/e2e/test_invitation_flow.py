"""The invitation path in a real browser: the link from a received invitation email, the form with custom
questions, the confirmation email with its calendar part, cancelling through the self-service link, and the
promotion email to the next on the waiting list. Email goes through the outbox and a real SMTP server.

Screenshots go to test-artifacts/registration/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import vobject

from eventhub.db import utcnow
from eventhub.extensions import db
from tests.fixtures.mail import SmtpServer
from tests.support import browser_app, served
from tests.web.e2e.conftest import DESKTOP, MOBILE

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "registration"


@dataclass
class Live:
    base_url: str
    app: object
    smtp: SmtpServer
    event_id: int

    def deliver(self) -> None:
        """Run the outbox sender once, as the worker would."""
        from eventhub.mail.sender import send_due

        with self.app.app_context():
            send_due(utcnow(), "e2e-sender")
            db.session.remove()

    def mail_to(self, address: str, subject_part: str) -> EmailMessage:
        for item in reversed(self.smtp.handler.received):
            message = message_from_bytes(item.raw, policy=policy.default)
            if address in item.rcpt and subject_part in str(message["Subject"]):
                return message
        raise AssertionError(
            f"no email to {address} about {subject_part!r}; got {[str(message_from_bytes(i.raw, policy=policy.default)['Subject']) for i in self.smtp.handler.received]}"
        )


def link_in(message: EmailMessage, path: str) -> str:
    text = message.get_body(("plain",)).get_content()
    match = re.search(rf"https?://\S+/{path}/[A-Za-z0-9_-]+", text)
    assert match, text
    return match.group(0)


def calendar_in(message: EmailMessage) -> tuple[str, vobject.base.Component]:
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return parts[0].get_param("method"), vobject.readOne(parts[0].get_content())


def _seed(app) -> int:
    from eventhub.events.services import EventInput, create_event
    from eventhub.registration.invitations import invite_people
    from eventhub.registration.invitee_lists import InviteeRow
    from eventhub.registration.questions import add_question

    now = utcnow()
    with app.app_context():
        event = create_event(
            EventInput(
                title="Buying for Social Impact – national conference Denmark",
                kind="conference",
                timezone="Europe/Copenhagen",
                starts_at=(now + timedelta(days=40)).replace(hour=8, minute=30, second=0, microsecond=0),
                ends_at=(now + timedelta(days=40)).replace(hour=15, minute=0, second=0, microsecond=0),
                location="Københavns Rådhus",
                country="DK",
                capacity=1,
                invitation_only=True,
                registration_closes_at=now + timedelta(days=30),
                description="Social considerations in public procurement: public buyers meet social-economy enterprises.",
            ),
            now=now,
        )
        add_question(
            event, "single_choice", "You come as", required=True, choices=["Public buyer", "Social-economy enterprise"]
        )
        add_question(
            event, "multiple_choice", "Workshops", choices=["Reserved contracts", "Social clauses", "Market dialogue"]
        )
        add_question(event, "long_text", "A procurement case you would share (optional)")
        add_question(
            event, "consent", "I agree that my name and organisation are on the participant list", required=True
        )
        rows = [
            InviteeRow(1, "mette@kk.dk", "Mette Jørgensen", "Københavns Kommune", "en"),
            InviteeRow(2, "bo@odense.dk", "Bo Præst", "Odense Kommune", "en"),
        ]
        invite_people(event, rows, None, now)
        db.session.commit()
        event_id = event.id
        db.session.remove()
        db.engine.dispose()
    return event_id


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    smtp = SmtpServer()
    smtp.start()
    app = browser_app(tmp_path, **smtp.config())
    try:
        with served(app) as base_url:  # before seeding: the emails carry links
            yield Live(base_url, app, smtp, _seed(app))
    finally:
        smtp.stop()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_invitation_to_registration_to_cancellation_and_promotion(browser, live):  # noqa: F811
    live.deliver()
    invitation_link = link_in(live.mail_to("mette@kk.dk", "Invitation"), "invitations")
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()

    page.goto(invitation_link)
    assert page.get_by_role("heading", name="Buying for Social Impact – national conference Denmark").is_visible()
    assert page.get_by_label("Your name").input_value() == "Mette Jørgensen"
    assert "(Copenhagen)" in page.content()
    shot(page, "01-invitation-desktop")
    page.get_by_label("Public buyer").check()
    page.get_by_label("Social clauses").check()
    page.get_by_label("Market dialogue").check()
    page.get_by_label("A procurement case you would share (optional)").fill(
        "Kantinedrift med social klausul: 4 ledige i job."
    )
    page.get_by_label("I agree that my name and organisation are on the participant list").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r"/registrations/"))
    assert "Your place is confirmed" in page.locator("#registration-status").inner_text()
    assert "Social clauses and Market dialogue" in page.content()
    shot(page, "02-registered")

    live.deliver()
    confirmation = live.mail_to("mette@kk.dk", "You are registered")
    method, calendar = calendar_in(confirmation)
    assert method == "REQUEST" and calendar.method.value == "REQUEST"
    assert calendar.vevent.uid.value.startswith(f"event-{live.event_id}@") and int(calendar.vevent.sequence.value) == 0
    assert calendar.vevent.attendee.value.lower() == "mailto:mette@kk.dk"
    manage_link = link_in(confirmation, "registrations")

    other = context.new_page()  # Bo registers in his own browser context: the event is full now
    bo_context = browser.new_context(viewport=MOBILE, locale="en-GB")
    bo = bo_context.new_page()
    bo.goto(link_in(live.mail_to("bo@odense.dk", "Invitation"), "invitations"))
    shot(bo, "03-invitation-mobile")
    bo.get_by_label("Social-economy enterprise").check()
    bo.get_by_label("I agree that my name and organisation are on the participant list").check()
    bo.get_by_role("button", name="Register").click()
    bo.wait_for_url(re.compile(r"/registrations/"))
    assert "waiting list" in bo.locator("#registration-status").inner_text()
    shot(bo, "04-waitlisted-mobile")
    other.close()

    page.goto(manage_link)
    page.get_by_role("button", name="Cancel my registration").click()
    page.wait_for_load_state()
    assert "cancelled" in page.locator("#registration-status").inner_text()
    shot(page, "05-cancelled")

    live.deliver()
    method, calendar = calendar_in(live.mail_to("mette@kk.dk", "Registration cancelled"))
    assert method == "CANCEL" and calendar.vevent.status.value == "CANCELLED"
    promotion = live.mail_to("bo@odense.dk", "A place is free for you")
    method, calendar = calendar_in(promotion)
    assert method == "REQUEST" and calendar.vevent.attendee.value.lower() == "mailto:bo@odense.dk"
    bo.goto(link_in(promotion, "registrations"))
    assert "Your place is confirmed" in bo.locator("#registration-status").inner_text()
    shot(bo, "06-promoted-mobile")
    bo_context.close()
    context.close()


def test_organiser_uploads_a_csv_and_sees_invitations_registrations_and_requests(browser, live, tmp_path):  # noqa: F811
    from eventhub.accounts.models import Role
    from eventhub.accounts.services import create_user
    from eventhub.events.models import Event

    with live.app.app_context():
        olga = create_user(
            "organiser@example.org", Role.ORGANISER, password="correct horse battery", name="Olga Organiser"
        )
        db.session.get(Event, live.event_id).created_by_id = olga.id  # she made the event: she manages it
        db.session.commit()
        db.session.remove()
    csv_file = tmp_path / "invitees.csv"
    csv_file.write_bytes(
        "\ufeffemail;name;organisation;language\nivan@gabrovo.bg;Иван Петров;Община Габрово;en\nbroken-address;X;;\n=cmd@example.org;<b>Bold</b>;;\n".encode()
    )
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()

    page.goto(f"{live.base_url}/events/{live.event_id}/request-invitation")
    page.get_by_label("Your name").fill("Nina Nielsen")
    page.get_by_label("Email").fill("nina@example.org")
    page.get_by_label("A procurement case you would like to present (optional)").fill(
        "Reserved contracts for sheltered workshops."
    )
    page.get_by_role("button", name="Send request").click()
    page.get_by_text("Thank you").first.wait_for()  # the answer page, not the page still being left

    page.goto(f"{live.base_url}/login")
    page.get_by_label("Email").fill("organiser@example.org")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live.base_url}/events/{live.event_id}")
    page.get_by_role("navigation", name="Manage this event").get_by_role("link", name="Invitations").click()
    page.get_by_label("Or upload a CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Invite everyone").click()
    result = page.locator("#invite-result").inner_text()
    assert "Invited: 2." in result and "Line 3" in result
    assert "<b>Bold</b>" in page.locator("#invitations").inner_text()  # shown as text, not markup
    assert "Иван Петров" in page.locator("#invitations").inner_text()
    shot(page, "07-organiser-invitations")
    page.get_by_role("link", name="Registrations and waiting list").click()
    shot(page, "08-organiser-registrations")
    page.get_by_role("link", name="Requests").click()
    page.get_by_text("Reserved contracts for sheltered workshops.").wait_for()
    shot(page, "09-organiser-requests")
    context.close()
