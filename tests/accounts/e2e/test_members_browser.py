"""An organiser manages a series' members in Chromium, on a desktop and on a phone: from /manage to the members
page, adds one member by the form and two by a CSV upload, removes one after the confirmation page; the new
member's welcome email carries a feed link that answers with the series' meetings.

Screenshots go to test-artifacts/accounts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from eventhub.extensions import db
from tests.support import NOW, browser_app, served
from tests.web.e2e.conftest import DESKTOP, MOBILE

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "accounts"
PASSWORD = "correct horse battery"
SERIES = "Big Buyers working group: circular construction"
MEETING = "Circular construction, 3rd call"


def _seed(app) -> None:
    from eventhub.accounts.models import Role
    from eventhub.accounts.services import create_user
    from eventhub.events.services import EventInput, add_series_member, create_event, create_series

    with app.app_context():
        olga = create_user("olga.organiser@example.org", Role.ORGANISER, password=PASSWORD, name="Olga Organiser")
        # Olga made the series, so she organises it (an organiser manages only their own series).
        series = create_series(
            "big-buyers-circular", SERIES, "Circular construction procurement.", "members", actor=olga
        )
        start = (NOW + timedelta(days=21)).replace(hour=13, minute=0, second=0, microsecond=0)
        create_event(
            EventInput(title=MEETING, series=series.slug, starts_at=start, ends_at=start + timedelta(hours=1),
                       timezone="Europe/Brussels", online_url="https://meet.example.org/bb"),
            now=NOW,
        )  # fmt: skip
        add_series_member(series, "pia@stockholm.se", "Pia Lindqvist", "Stockholms stad")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[str, object]]:
    app = browser_app(tmp_path)
    with served(app) as base_url:  # the welcome email's links point here
        _seed(app)
        yield base_url, app


@pytest.fixture(params=["desktop", "mobile"])
def page(request, browser, live):
    context = browser.new_context(
        viewport=DESKTOP if request.param == "desktop" else MOBILE, base_url=live[0], locale="en-GB"
    )
    context.set_default_timeout(5000)
    page = context.new_page()
    page.viewport_name = request.param
    try:
        yield page
    finally:
        context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{page.viewport_name}.png"), full_page=True)


def _welcome_feed_path(app, address: str) -> str:
    """The personal feed link of the welcome email to ``address``, read from the message a mail client gets."""
    from eventhub.mail.message import OutgoingEmail, build_message
    from eventhub.mail.models import OutboxMessage

    with app.app_context():
        row = db.session.scalar(
            sa.select(OutboxMessage).where(
                OutboxMessage.kind == "member_welcome", OutboxMessage.recipient_email == address
            )
        )
        message = message_from_bytes(
            build_message(OutgoingEmail.from_row(row), "eventhub <e@x.org>", NOW), policy=policy.default
        )
        db.session.remove()
    text = message.get_body(("plain",)).get_content()
    webcal = re.search(r"webcal://\S+/feeds/[A-Za-z0-9_-]+\.ics", text)[0]
    return urlsplit("http://" + webcal.removeprefix("webcal://")).path


def test_organiser_adds_by_form_and_csv_and_removes_with_confirmation(page, live, tmp_path):
    page.goto("/login")
    page.get_by_label("Email").fill("olga.organiser@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("status").filter(has_text="You are logged in.")).to_be_visible()

    page.goto("/manage")
    page.get_by_role("link", name=f"Members {SERIES}").click()
    expect(page.get_by_role("heading", name=f"Members of {SERIES}", level=1)).to_be_visible()
    # Pia, and Olga herself: the series' organiser is one of its memberships.
    expect(page.locator("#members-count")).to_contain_text("2 members")
    expect(page.locator('tr[data-email="olga.organiser@example.org"]')).to_be_visible()
    shot(page, "members-list")

    add = page.locator("form", has=page.get_by_role("button", name="Add member"))
    add.get_by_label("Email").fill("anna@kk.dk")
    add.get_by_label("Name").fill("Anna Jensen")
    add.get_by_label("Organisation").fill("Københavns Kommune")
    add.get_by_label("Language").fill("da")
    add.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("status").filter(has_text="anna@kk.dk is now a member")).to_be_visible()
    expect(page.locator('tr[data-email="anna@kk.dk"]')).to_contain_text("Dansk")
    shot(page, "members-added-one")

    csv = tmp_path / "members.csv"
    csv.write_text("E-mail;Navn;Organisation;Sprog\nbo@aarhus.dk;Bo Nielsen;Aarhus Kommune;da\nanna@kk.dk;Anna;;\n"
                   "not-an-address;X;;\ncarl@odense.dk;Carl Hansen;Odense Kommune;en\n", encoding="utf-8")  # fmt: skip
    page.get_by_label("Or upload a CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Add everyone").click()
    result = page.locator("#members-result")
    expect(result).to_contain_text("Added: 2. Already members or listed twice: 1. Not valid: 1.")
    expect(result).to_contain_text("Line 3: anna@kk.dk — already a member")
    expect(result).to_contain_text("Line 4: not-an-address")
    expect(page.locator("#members-count")).to_contain_text("5 members")
    shot(page, "members-csv-result")

    page.locator('tr[data-email="pia@stockholm.se"]').get_by_role("link", name="Remove").click()
    expect(page.get_by_role("heading", name="Remove a member", level=1)).to_be_visible()
    expect(page.get_by_text("Pia Lindqvist will no longer be a member")).to_be_visible()
    shot(page, "members-remove-confirm")
    page.get_by_role("button", name="Remove Pia Lindqvist").click()
    expect(page.get_by_role("status").filter(has_text="pia@stockholm.se is no longer a member")).to_be_visible()
    expect(page.locator('tr[data-email="pia@stockholm.se"]')).to_have_count(0)
    expect(page.locator("#members-count")).to_contain_text("4 members")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "members-after-remove")

    page.get_by_label("Organisation", exact=True).first.select_option(label="Aarhus Kommune")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator('tr[data-email="bo@aarhus.dk"]')).to_be_visible()

    feed = page.request.get(_welcome_feed_path(live[1], "bo@aarhus.dk"))
    assert feed.status == 200 and "text/calendar" in feed.headers["content-type"]
    assert f"SUMMARY:{MEETING}".replace(",", "\\,") in feed.text()
