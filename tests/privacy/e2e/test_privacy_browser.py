"""In a real browser, an invitee without an account finds the privacy page from the site's footer, asks for the
link with the keyboard, opens it from the email, downloads their data and erases it (confirmation, then done);
the same link then offers a new one. Screenshots (desktop and phone) go to test-artifacts/privacy/.

Served by Werkzeug from a thread on its own migrated SQLite file; emails are written as .eml files by the real
outbox sender and read as a mail client reads them.
"""

from __future__ import annotations

import email
import email.policy
import json
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import NOW
from tests.support import browser_app, served
from tests.web.e2e.journey_support import link_in

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "privacy"
INVITEE = "marta.ribeiro@example.org"


def seed(app) -> None:
    """An invitation-only conference Marta registered for (with a dietary answer); she has no account."""
    from eventhub.events import services
    from eventhub.extensions import db
    from eventhub.registration.invitations import invite_people
    from eventhub.registration.invitee_lists import InviteeRow
    from eventhub.registration.questions import add_question
    from eventhub.registration.services import register_invitee

    with app.app_context():
        day = (NOW + timedelta(days=40)).strftime("%Y-%m-%d")
        event = services.create_event(services.EventInput(
            title="COSPRO mission to Lisbon", kind="mission", timezone="Europe/Lisbon", invitation_only=True,
            starts_at=f"{day}T09:00:00", ends_at=f"{day}T17:00:00",
        ), now=NOW)  # fmt: skip
        question = add_question(event, "short_text", "Dietary needs")
        invitation = invite_people(event, [InviteeRow(1, INVITEE, "Marta Ribeiro", "", "")], None, NOW).created[0]
        register_invitee(invitation, "Marta Ribeiro", "COSPRO", {question.field_name: "vegan"}, NOW)
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    app = browser_app(tmp_path_factory.mktemp("privacy-e2e"))
    with served(app) as base_url:
        seed(app)
        yield SimpleNamespace(app=app, base_url=base_url, mail_folder=Path(app.config["MAIL_FOLDER"]))


def new_page(browser, live, width: int):
    context = browser.new_context(
        base_url=live.base_url, viewport={"width": width, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def newest_mail(live, address: str) -> EmailMessage:
    """Run the sender once, as the worker would, and read the newest email to ``address``."""
    from eventhub.db import utcnow
    from eventhub.extensions import db
    from eventhub.mail.sender import send_due

    with live.app.app_context():
        send_due(max(utcnow(), NOW + timedelta(minutes=1)), "e2e")
        db.session.remove()
    found = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(live.mail_folder.rglob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    ]
    found = [message for message in found if address in str(message["To"])]
    assert found, f"no email to {address}"
    return found[-1]


def test_an_invitee_downloads_and_erases_their_data_from_the_privacy_page(browser, live, tmp_path):
    phone = new_page(browser, live, 390)
    phone.goto("/")
    phone.get_by_role("contentinfo").get_by_role("link", name="Privacy").click()
    phone.get_by_role("heading", name="What eventhub stores").wait_for()
    shot(phone, "1-privacy-page-phone")

    page = new_page(browser, live, 1200)
    page.goto("/privacy")
    shot(page, "1-privacy-page-desktop")
    page.get_by_label("Email").fill(INVITEE)
    page.get_by_label("Email").press("Enter")
    page.get_by_role("heading", name="Check your email").wait_for()
    shot(page, "2-check-your-email")

    message = newest_mail(live, INVITEE)
    assert str(message["Subject"]) == "Your personal data at eventhub"
    link = link_in(message, "privacy")
    page.goto(link)
    page.get_by_role("heading", name="Your personal data").wait_for()
    shot(page, "3-link-page")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data (JSON)").click()
    saved = tmp_path / "data.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data["person"]["name"] == "Marta Ribeiro"
    assert data["registrations"][0]["answers"] == [{"question": "Dietary needs", "answer": "vegan"}]

    page.get_by_role("link", name="Erase my data…").click()
    page.get_by_role("heading", name="Erase my data").wait_for()
    shot(page, "4-erase-confirmation")
    page.get_by_role("button", name="Erase my data").click()
    page.get_by_role("heading", name="Your data is erased").wait_for()
    shot(page, "5-erased")

    assert page.goto(link).status == 410
    page.get_by_role("button", name="Email me a link").wait_for()
    shot(page, "6-link-no-longer-works")
