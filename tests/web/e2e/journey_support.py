"""The live site of the browser journeys (tests/web/e2e/test_journeys.py): its own migrated SQLite file served by
Werkzeug from a thread, email through the outbox and the real sender to an aiosmtpd server, the seeded accounts and
the taskforce meeting the secretary minutes, and the helpers that click the way a person does (only ``/`` is typed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import icalendar
import pytest
from playwright.sync_api import expect

from tests.conftest import NOW
from tests.fixtures.mail import SmtpServer
from tests.support import browser_app, served
from tests.web.e2e.conftest import ARTIFACTS, DESKTOP

PASSWORD = "correct horse battery"
ADMIN = "ada.admin@example.org"
ORGANISER = "olga.organiser@example.org"
SECRETARY = "sofie.secretary@example.org"
TASKFORCE = "nordic-buyers-taskforce"
TASKFORCE_TITLE = "Nordic Buyers Taskforce"
WARSAW = ZoneInfo("Europe/Warsaw")
MEETING = "Nordic Buyers Taskforce – 7th meeting"


@dataclass
class Live:
    base_url: str
    app: object
    smtp: SmtpServer

    def deliver(self) -> None:
        """Run the outbox sender once, as the worker would."""
        from eventhub.db import utcnow
        from eventhub.extensions import db
        from eventhub.mail.sender import send_due

        with self.app.app_context():
            send_due(max(utcnow(), NOW + timedelta(minutes=1)), "e2e-journeys")
            db.session.remove()

    def mails_to(self, address: str, subject_part: str) -> list[EmailMessage]:
        """Every message received for ``address`` whose subject contains ``subject_part``, oldest first."""
        self.deliver()
        found = []
        for item in list(self.smtp.handler.received):
            message = message_from_bytes(item.raw, policy=policy.default)
            if address in item.rcpt and subject_part in str(message["Subject"]):
                found.append(message)
        return found

    def mail_to(self, address: str, subject_part: str) -> EmailMessage:
        found = self.mails_to(address, subject_part)
        assert found, f"no email to {address} about {subject_part!r}"
        return found[-1]


def _seed(app) -> None:
    """Three people with passwords (admin, organiser, secretary) and, for the secretary, a members-only series
    whose 7th meeting took place ten days ago with a published agenda and three members."""
    from eventhub.accounts.models import Role
    from eventhub.accounts.services import create_user
    from eventhub.agenda.services import publish_agenda, replace_agenda
    from eventhub.events import services
    from eventhub.extensions import db

    with app.app_context():
        create_user(ADMIN, Role.ADMIN, password=PASSWORD, name="Ada Admin")
        create_user(ORGANISER, Role.ORGANISER, password=PASSWORD, name="Olga Organiser")
        series = services.create_series(TASKFORCE, TASKFORCE_TITLE, "Public buyers of the Nordic capitals.", "members")
        day = (NOW - timedelta(days=10)).strftime("%Y-%m-%d")
        meeting = services.create_event(
            services.EventInput(
                title=MEETING, series=TASKFORCE, number=7, timezone="Europe/Oslo",
                starts_at=f"{day}T10:00:00", ends_at=f"{day}T11:30:00", online_url="https://meet.example.org/nbt",
            ),
            now=NOW - timedelta(days=40),
        )  # fmt: skip
        services.add_series_member(series, SECRETARY, "Sofie Sekretær", "Oslo kommune", "secretary")
        create_user(SECRETARY, Role.SECRETARY, password=PASSWORD)
        services.add_series_member(series, "erik@stockholm.se", "Erik Ek", "Stockholms stad")
        services.add_series_member(series, "liisa@hel.fi", "Liisa Laine", "Helsingin kaupunki")
        agenda = [
            ("10:00", "10:10", "Welcome", "welcome"),
            ("10:10", "10:40", "Round the table", "round_table"),
            ("10:40", "11:30", "Joint tender for electric buses", "discussion"),
        ]
        items = [{"starts_at": f"{day}T{a}:00", "ends_at": f"{day}T{b}:00", "title": t, "kind": k, "owner": None}
                 for a, b, t, k in agenda]  # fmt: skip
        replace_agenda(meeting, items, NOW - timedelta(days=20))
        publish_agenda(meeting, NOW - timedelta(days=20))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    smtp = SmtpServer()
    smtp.start()
    app = browser_app(tmp_path_factory.mktemp("journeys-e2e"), **smtp.config())
    try:
        with served(app) as base_url:  # the emails' links point at this server
            _seed(app)
            yield Live(base_url, app, smtp)
    finally:
        smtp.stop()


def new_page(browser, live: Live, viewport: dict[str, int] = DESKTOP):
    context = browser.new_context(viewport=viewport, base_url=live.base_url, locale="en-GB")
    context.set_default_timeout(5000)
    return context.new_page()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-{name}.png"), full_page=True)


def sign_in(page, address: str, password: str = PASSWORD) -> None:
    """From the home page: the header's "Log in" link, then the password form."""
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill(address)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("status").filter(has_text="You are logged in.")).to_be_visible()


def go_to_manage(page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Manage", exact=True).click()
    expect(page.get_by_role("heading", name="Manage", level=1)).to_be_visible()


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def link_in(message: EmailMessage, path: str) -> str:
    text = message.get_body(("plain",)).get_content()
    match = re.search(rf"https?://\S+/{path}/[A-Za-z0-9_-]+", text)
    assert match, text
    return match[0]


def vevent_in(message: EmailMessage) -> tuple[str, icalendar.cal.Component]:
    """The METHOD of the message's one calendar part and its VEVENT, parsed with the icalendar library."""
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [part.get_content_type() for part in message.walk()]
    calendar = icalendar.Calendar.from_ical(parts[0].get_content())
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert str(calendar["METHOD"]) == parts[0].get_param("method")
    return str(calendar["METHOD"]), events[0]
