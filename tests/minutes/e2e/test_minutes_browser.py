"""In a real browser: a secretary drafts the minutes of meeting 3 from its agenda and publishes them; a member
receives the email and finds the minutes in the archive; someone outside the members-only series gets a 404.

Served by Werkzeug from a thread on its own migrated SQLite file (the savepoint ``app`` fixture cannot be shared
with a server thread). Screenshots go to test-artifacts/minutes/.
"""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.support import browser_app, served

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "minutes"
PASSWORD = "correct horse battery"
SLUG = "buy-social-taskforce-danmark"


def seed(app) -> SimpleNamespace:
    """A members-only Taskforce with a secretary, a Danish-speaking member, an outsider, meetings 3 and 4 and
    meeting 3's published agenda, committed for real."""
    from eventhub.accounts.models import Role
    from eventhub.accounts.services import create_user
    from eventhub.agenda.services import publish_agenda, replace_agenda
    from eventhub.demo.taskforce_meeting3 import AGENDA
    from eventhub.events import services
    from eventhub.events.people import get_or_create_person
    from eventhub.extensions import db

    now = datetime.now(timezone.utc)
    with app.app_context():
        series = services.create_series(SLUG, "Buy Social Taskforce Danmark", "", "members")
        events = {}
        for number, day in ((3, "2022-11-15"), (4, "2023-01-24")):
            events[number] = services.create_event(services.EventInput(
                title=f"Buy Social Taskforce Danmark – {number}. møde", series=SLUG, number=number, timezone="Europe/Copenhagen",
                starts_at=f"{day}T14:00:00", ends_at=f"{day}T15:30:00", online_url="https://meet.example.org/bstf",
            ))  # fmt: skip
        services.add_series_member(series, "sofie@example.org", "Sofie Lindholm", "Rummelig Genstart", "secretary")
        create_user("sofie@example.org", Role.SECRETARY, password=PASSWORD)
        get_or_create_person("mikkel@example.org", "Mikkel Medlem", "Kooperationen", language="da")
        services.add_series_member(series, "mikkel@example.org")
        create_user("mikkel@example.org", Role.MEMBER, password=PASSWORD)
        create_user("olga@example.org", Role.MEMBER, password=PASSWORD, name="Olga Outsider")
        items = [{"starts_at": f"2022-11-15T{a}:00", "ends_at": f"2022-11-15T{b}:00", "title": t, "kind": k,
                  "owner": "sofie@example.org" if owner else None} for a, b, t, k, owner in AGENDA]  # fmt: skip
        replace_agenda(events[3], items, now)
        publish_agenda(events[3], now)
        db.session.commit()
        meeting3_id = events[3].id
        db.engine.dispose()
    return SimpleNamespace(meeting3_id=meeting3_id)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    app = browser_app(tmp_path_factory.mktemp("minutes-e2e"))
    with served(app) as base_url:
        site = seed(app)
        site.app, site.base_url, site.mail_folder = app, base_url, Path(app.config["MAIL_FOLDER"])
        yield site


def new_page(browser, live):
    context = browser.new_context(base_url=live.base_url, viewport={"width": 1200, "height": 900})
    context.set_default_timeout(10_000)
    return context.new_page()


def log_in(page, address: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", address)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit], main input[type=submit]")  # not the header's language switcher
    page.wait_for_url(lambda url: "/login" not in url)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_secretary_drafts_and_publishes_member_is_told_outsider_sees_nothing(browser, live):
    secretary = new_page(browser, live)
    log_in(secretary, "sofie@example.org")
    secretary.goto(f"/events/{live.meeting3_id}/minutes/edit")
    secretary.get_by_role("button", name="Draft from the agenda").click()
    body = secretary.locator("textarea[name=body]")
    assert "14.00–14.05 Velkommen" in body.input_value()
    assert "Bordet rundt" not in body.input_value()  # the round table is its own section
    body.fill(body.input_value() + "\n## Siden sidst\n\nNyt website for Taskforcen.\n")
    secretary.fill("textarea[name=decisions]", "Kapacitetsopbygning prioriteres.")
    secretary.fill("input[name='deadlines-0-title']", "EU call: buy social B2B market")
    secretary.fill("input[name='deadlines-0-date']", "2022-12-07")
    secretary.fill("input[name=next_meeting]", "Januar 2023")
    secretary.get_by_role("button", name="Save draft").click()
    secretary.wait_for_selector("text=The draft is saved.")
    shot(secretary, "1-secretary-editor")
    secretary.get_by_role("link", name="Publish…").click()
    assert "Publishing emails 2 members of the series." in secretary.locator("#publish-recipients").inner_text()
    secretary.get_by_role("button", name="Publish").click()
    secretary.wait_for_url(f"**/series/{SLUG}/minutes/3")
    assert secretary.locator("#minutes-title").inner_text().startswith("Minutes of meeting 3")
    assert "7 December 2022" in secretary.locator("#deadlines").inner_text()
    shot(secretary, "2-published")

    eml = deliver_and_find(live, "mikkel@example.org")
    assert eml["Subject"].startswith("Referat")
    text = eml.get_body(preferencelist=("plain",)).get_content()
    # members-only: the link is personal (signs the member in on the way; tests/accounts/e2e follows one)
    assert "/sign-in/" in text and "Kapacitetsopbygning prioriteres." in text

    member = new_page(browser, live)
    log_in(member, "mikkel@example.org")
    member.goto(f"/series/{SLUG}/minutes")
    shot(member, "3-member-archive")
    member.get_by_role("link", name="Møde 3: Buy Social Taskforce Danmark – 3. møde").click()
    member.wait_for_selector("#minutes-title")
    assert "Kapacitetsopbygning prioriteres." in member.locator("#decisions").inner_text()
    assert "7. december 2022" in member.locator("#deadlines").inner_text()
    shot(member, "4-member-minutes-da")

    outsider = new_page(browser, live)
    log_in(outsider, "olga@example.org")
    response = outsider.goto(f"/series/{SLUG}/minutes/3")
    assert response.status == 404 and "Kapacitetsopbygning" not in outsider.content()
    shot(outsider, "5-outsider-404")
    anonymous = new_page(browser, live)
    assert anonymous.goto(f"/series/{SLUG}/minutes").status == 404


def deliver_and_find(live, address: str) -> email.message.EmailMessage:
    """Run the sender once (file mode: .eml files) and return the message written for ``address``."""
    from eventhub.mail.sender import send_due

    with live.app.app_context():
        send_due(datetime.now(timezone.utc), "e2e")
    for path in sorted(live.mail_folder.rglob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if address in str(message["To"]):
            return message
    raise AssertionError(f"no email to {address} in {live.mail_folder}")
