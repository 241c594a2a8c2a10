"""The organiser's invitation list in a real browser with 120 invitations: search, filter by status from the
counts, the pager keeping the filters, and Revoke coming back to the same page; at desktop and phone widths.

Screenshots go to test-artifacts/registration/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from eventhub.db import utcnow
from eventhub.extensions import db
from tests.support import browser_app, served
from tests.web.e2e.conftest import DESKTOP, MOBILE

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "registration"
PASSWORD = "correct horse battery"


def _seed(app) -> int:
    from eventhub.accounts.models import Role
    from eventhub.accounts.services import create_user
    from eventhub.events.services import EventInput, create_event
    from eventhub.registration.invitations import invite_people
    from eventhub.registration.invitee_lists import InviteeRow

    now = utcnow()
    with app.app_context():
        olga = create_user("organiser@example.org", Role.ORGANISER, password=PASSWORD, name="Olga Organiser")
        start = (now + timedelta(days=40)).replace(hour=8, minute=30, second=0, microsecond=0)
        event = create_event(
            EventInput(title="BSI national conference Denmark", kind="conference", timezone="Europe/Copenhagen",
                       starts_at=start, ends_at=start + timedelta(hours=7), invitation_only=True),
            now=now,
            actor=olga,  # a standalone event is managed by its creator
        )  # fmt: skip
        rows = [
            InviteeRow(i + 1, f"invitee{i:03}@example.org", f"Invitée {i:03} Jørgensen",
                       f"Kommune {i % 4}", ("da", "en")[i % 2])
            for i in range(120)
        ]  # fmt: skip
        invite_people(event, rows, None, now)
        db.session.commit()
        event_id = event.id
        db.session.remove()
        db.engine.dispose()
    return event_id


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[str, int]]:
    app = browser_app(tmp_path)
    with served(app) as base_url:
        yield base_url, _seed(app)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
def test_search_filter_page_and_revoke_on_the_invitation_list(browser, live, viewport):
    base_url, event_id = live
    context = browser.new_context(viewport=viewport, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill("organiser@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/manage|/$"))
    name = "desktop" if viewport == DESKTOP else "mobile"

    page.goto(f"{base_url}/events/{event_id}/manage/invitations")
    assert page.locator("#invitations tbody tr").count() == 50
    ids = page.locator("[id]").evaluate_all("nodes => nodes.map(n => n.id)")
    assert {i for i in ids if ids.count(i) > 1} <= {"csrf_token", "submit"}  # (hidden and button ids: older forms)
    assert page.get_by_role("status").filter(has_text="1–50 of 120").is_visible()
    shot(page, f"lists-01-invitations-{name}")

    search = page.get_by_role("search", name="Search and filter")
    search.get_by_label("Language").select_option("da")
    search.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"language=da"))
    assert page.locator("#invitations tbody tr").count() == 50
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert "language=da" in page.url and page.locator("#invitations tbody tr").count() == 10
    page.locator("#invitations tbody tr").first.get_by_role("button", name="Revoke").click()
    page.get_by_text("Invitation revoked.").wait_for()  # the URL was page=2 before the click too: wait for the answer
    assert "language=da" in page.url and "page=2" in page.url
    shot(page, f"lists-02-filtered-page-2-after-revoke-{name}")

    search.get_by_label("Name or email contains").fill("nobody-like-this")
    search.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=nobody"))
    assert page.get_by_text("No invitations match.").is_visible()
    shot(page, f"lists-03-no-match-{name}")
    context.close()
