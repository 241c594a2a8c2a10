"""A real server and a real browser for the click-through tests.

The per-test ``app`` fixture shares one database connection through SAVEPOINTs, which a threaded server cannot
use; these tests get their own SQLite file, migrated to head, seeded through the services with real commits,
and served by Werkzeug from a thread. One Chromium serves the whole session; each test gets a fresh context.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import NOW
from tests.support import browser_app, served

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "web"
PASSWORD = "correct horse battery"
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}


@dataclass
class Site:
    base_url: str
    admin_email: str
    series_slug: str
    series_title: str
    next_meeting_id: int
    next_meeting_title: str


def _next_winter_afternoon(now: datetime) -> str:
    """Wall-clock 14:00 on a January day in Copenhagen at least a month ahead (CET, so 13:00 UTC)."""
    year = now.year + 1 if now.month >= 12 else now.year + (1 if now.month > 1 else 0)
    return f"{year}-01-19T14:00:00"


def seed(app) -> Site:
    """Demo-like data: a numbered online meeting series, a conference by invitation, a members-only group.

    Dates are relative to the suite's fixed ``NOW``, which the ``frozen_clock`` fixture also gives the views.
    """
    from eventhub.accounts.models import Role
    from eventhub.accounts.services import create_user
    from eventhub.events import queries, services
    from eventhub.extensions import db

    now = NOW
    with app.app_context():
        create_user("ada.admin@example.org", Role.ADMIN, password=PASSWORD, name="Ada Admin")
        taskforce = services.create_series(
            "buy-social-taskforce-danmark",
            "Buy Social Taskforce Danmark",
            "Online meetings on social procurement in Denmark, 14:00–15:30 Copenhagen time.\nMinutes are shared after each meeting.",
        )
        start = _next_winter_afternoon(now)
        past = (now - timedelta(days=45)).astimezone(ZoneInfo("Europe/Copenhagen")).strftime("%Y-%m-%dT14:00:00")
        for number, starts in ((3, past), (4, start)):
            services.create_event(
                services.EventInput(
                    title=f"{number}. møde i Buy Social Taskforce Danmark",
                    series=taskforce.slug,
                    number=number,
                    starts_at=starts,
                    ends_at=starts.replace("T14:00", "T15:30"),
                    timezone="Europe/Copenhagen",
                    online_url="https://meet.example.org/buy-social-taskforce",
                    description="14.00–14.05 Welcome\n14.05–14.15 Round the table\n15.25–15.30 Wrap-up",
                )
            )
        conference_day = (now + timedelta(days=40)).astimezone(ZoneInfo("Europe/Prague")).strftime("%Y-%m-%d")
        services.create_event(
            services.EventInput(
                title="Buying for Social Impact: national conference Czech Republic",
                kind="conference",
                starts_at=f"{conference_day}T09:30:00",
                ends_at=f"{conference_day}T16:00:00",
                timezone="Europe/Prague",
                location="Prague, Ministry of Labour and Social Affairs",
                country="CZ",
                capacity=120,
                invitation_only=True,
            )
        )
        services.create_series("big-buyers-circular", "Big Buyers working group: circular construction", "", "members")
        db.session.commit()
        meeting = next(e for e in queries.upcoming_events_of(taskforce, now) if e.number == 4)
        site = Site("", "ada.admin@example.org", taskforce.slug, taskforce.title, meeting.id, meeting.title)
        db.engine.dispose()
    return site


@pytest.fixture(scope="session")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    app = browser_app(tmp_path_factory.mktemp("e2e-instance"))
    with served(app) as base_url:
        site = seed(app)
        site.base_url = base_url
        yield site


@pytest.fixture(params=["desktop", "mobile"])
def viewport(request: pytest.FixtureRequest) -> tuple[str, dict[str, int]]:
    return request.param, DESKTOP if request.param == "desktop" else MOBILE


@pytest.fixture
def page(browser, live_site: Site, viewport):
    """A fresh browser context (no cookies) per test, with a short timeout so a broken flow fails fast."""
    context = browser.new_context(viewport=viewport[1], base_url=live_site.base_url, locale="en-GB")
    context.set_default_timeout(5000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def shoot(page, viewport, request: pytest.FixtureRequest):
    """``shoot("name")`` saves a full-page screenshot to test-artifacts/web/<name>-<viewport>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}-{viewport[0]}.png"
        scrolled = page.evaluate("window.scrollY")
        page.screenshot(path=str(path), full_page=True)
        # After a full-page screenshot Chromium may route the next click by a stale scroll offset (it landed on the
        # form around a button below the fold); scrolling to the top and back brings it in line with the page.
        page.evaluate("y => { window.scrollTo(0, 0); window.scrollTo(0, y); }", scrolled)
        return path

    return take
