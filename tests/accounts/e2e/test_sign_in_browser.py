"""In a real browser, people without a password get in from the links in their emails:

1. an attendee without an account opens "Read and comment" from the circulated-minutes email, presses "Sign in"
   and comments; the used link, opened again elsewhere, offers a new one (prefilled), which works too;
2. a member without a password opens "Read the minutes" of a members-only series from the publication email
   (the plain address answers 404 to an anonymous visitor).

Served by Werkzeug from a thread on its own migrated SQLite file; emails are written as .eml files by the real
outbox sender and read like a mail client reads them. Screenshots go to test-artifacts/accounts/.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import NOW
from tests.support import browser_app, served

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "accounts"
PASSWORD = "correct horse battery"
SLUG = "big-buyers-construction"
ATTENDEE = "anna.attendee@example.org"
MEMBER = "mikkel.member@example.org"


def seed(app) -> SimpleNamespace:
    """A members-only series with a secretary (password), a member with an account but no password, and a past
    meeting attended by someone with no account at all; its minutes circulated, then meeting 2's published."""
    from eventhub.accounts.models import Role
    from eventhub.accounts.services import create_user
    from eventhub.events import services
    from eventhub.extensions import db
    from eventhub.minutes import emails
    from eventhub.minutes import services as minutes

    with app.app_context():
        series = services.create_series(SLUG, "Big Buyers: construction", "", "members")
        events = {}
        for number, day in ((1, "2026-10-13"), (2, "2026-11-10")):
            events[number] = services.create_event(services.EventInput(
                title=f"Big Buyers construction – meeting {number}", series=SLUG, number=number,
                timezone="Europe/Brussels", starts_at=f"{day}T10:00:00", ends_at=f"{day}T11:30:00",
            ), now=NOW - timedelta(days=60))  # fmt: skip
        services.add_series_member(series, "sara@example.org", "Sara Secretary", "City of Ghent", "secretary")
        create_user("sara@example.org", Role.SECRETARY, password=PASSWORD)
        services.add_series_member(series, MEMBER, "Mikkel Member", "City of Aarhus")
        create_user(MEMBER, Role.MEMBER)  # made by an admin: no password
        from eventhub.events.people import get_or_create_person

        get_or_create_person(ATTENDEE, "Anna Attendee", "Sofia Municipality")  # a guest: no account, no membership
        draft = {"body": "## Procurement of timber\n\nDraft text.", "attendees": [ATTENDEE, MEMBER]}
        minutes.update_minutes(events[2], draft, NOW)
        emails.circulate_minutes(events[2], NOW)
        minutes.update_minutes(events[1], {"body": "## Kick-off\n\nCircular construction first."}, NOW)
        emails.publish_minutes(events[1], NOW)
        db.session.commit()
        site = SimpleNamespace(meeting1=events[1].id, meeting2=events[2].id)
        db.engine.dispose()
    return site


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    app = browser_app(tmp_path_factory.mktemp("sign-in-e2e"))
    with served(app) as base_url:  # the links in the emails point at this server
        site = seed(app)
        site.app, site.base_url, site.mail_folder = app, base_url, Path(app.config["MAIL_FOLDER"])
        yield site


def new_page(browser, live, width: int = 1200):
    context = browser.new_context(base_url=live.base_url, viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    return context.new_page()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def deliver(live) -> None:
    """Run the outbox sender once, as the worker would (file mode: one .eml per message)."""
    from eventhub.db import utcnow
    from eventhub.extensions import db
    from eventhub.mail.sender import send_due

    with live.app.app_context():
        send_due(max(utcnow(), NOW + timedelta(minutes=1)), "e2e")
        db.session.remove()


def newest_mail(live, address: str, subject_part: str) -> EmailMessage:
    deliver(live)
    found = []
    for path in sorted(live.mail_folder.rglob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if address in str(message["To"]) and subject_part in str(message["Subject"]):
            found.append(message)
    assert found, f"no email to {address} about {subject_part!r}"
    return found[-1]


def button_link(message: EmailMessage, label: str) -> str:
    """The link of the email's button, as the HTML part shows it; the text part carries the same link."""
    html = message.get_body(("html",)).get_content()
    match = re.search(rf'<a href="([^"]+)"[^>]*>{re.escape(label)}</a>', html)
    assert match, html
    assert match[1] in message.get_body(("plain",)).get_content()
    return match[1].replace("&amp;", "&")


def test_an_attendee_without_an_account_comments_from_the_emailed_link(browser, live):
    message = newest_mail(live, ATTENDEE, "Draft minutes")
    link = button_link(message, "Read and comment")
    assert "/sign-in/" in link

    page = new_page(browser, live)
    page.goto(link)
    shot(page, "1-attendee-sign-in-button")
    assert "Anna Attendee" in page.locator("main").inner_text()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/events/{live.meeting2}/minutes/comments")
    page.get_by_label("Comment").fill("Please add the timber certification deadline.")
    page.get_by_role("button", name=re.compile("comment", re.I)).click()
    page.get_by_text("Thank you, your comment was sent to the secretary.").wait_for()
    assert "timber certification" in page.locator("main").inner_text()
    shot(page, "2-attendee-commented")

    elsewhere = new_page(browser, live, width=390)  # the same email opened later on a phone
    response = elsewhere.goto(link)
    assert response.status == 410
    assert elsewhere.get_by_label("Email").input_value() == ATTENDEE
    shot(elsewhere, "3-used-link-offers-a-new-one")
    elsewhere.get_by_role("button", name="Email me a sign-in link").click()
    elsewhere.get_by_role("heading", name="Check your email").wait_for()
    shot(elsewhere, "4-check-your-email")
    fresh = button_link(newest_mail(live, ATTENDEE, "sign-in link"), "Sign in")
    elsewhere.goto(fresh)
    elsewhere.get_by_role("button", name="Sign in").click()
    elsewhere.wait_for_url(f"**/events/{live.meeting2}/minutes/comments")
    shot(elsewhere, "5-signed-in-again-on-the-phone")


def test_a_member_without_a_password_reads_members_only_minutes_from_the_publication_email(browser, live):
    anonymous = new_page(browser, live)
    assert anonymous.goto(f"/series/{SLUG}/minutes/1").status == 404  # what the plain link gave them
    anonymous.goto("/login")
    shot(anonymous, "0-login-offers-a-sign-in-link")

    message = newest_mail(live, MEMBER, "Minutes")
    link = button_link(message, "Read the minutes")
    page = new_page(browser, live)
    page.goto(link)
    shot(page, "6-member-sign-in-button")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/series/{SLUG}/minutes/1")
    assert "Circular construction first." in page.locator("main").inner_text()
    shot(page, "7-member-reads-the-minutes")
    page.get_by_role("link", name="Account").click()
    page.get_by_role("heading", name="Password").wait_for()
    assert "You have no password" in page.locator("main").inner_text()
    shot(page, "8-account-offers-a-password")
