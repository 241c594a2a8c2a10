"""Fixtures for agenda and minutes tests: compiled translations, a frozen clock in the views and API, bearer
headers, and a members-only series with a secretary, members and two numbered meetings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any

import pytest

from eventhub.extensions import db
from tests.calendar.conftest import count_queries  # noqa: F401 (fixture shared with the calendar tests)

CLOCKED_MODULES = ("eventhub.agenda.views", "eventhub.minutes.views", "eventhub.events.views")


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch, now: datetime) -> datetime:
    for module in CLOCKED_MODULES:
        monkeypatch.setattr(f"{module}.utcnow", lambda: now)
    monkeypatch.setattr("eventhub.clock.now", lambda: now)  # the API reads eventhub.clock
    return now


@pytest.fixture
def commit() -> Callable[[], None]:
    return db.session.commit


@pytest.fixture
def bearer(app: Any) -> Callable[[Any], dict[str, str]]:
    """``bearer(user)``: headers authenticating as an existing user."""
    from eventhub.accounts.services import create_api_token

    def factory(user: Any) -> dict[str, str]:
        _, token = create_api_token(user, "test")
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return factory


@pytest.fixture
def taskforce(make_series, make_event, make_user, make_person) -> SimpleNamespace:
    """Buy Social Taskforce Danmark (members-only): a secretary, the 14 member organisations of seed 003 with
    invented people, meetings 3 (15 Nov 2022, online) and 4 (24 Jan 2023), and people of every other role."""
    from eventhub.demo.taskforce_meeting3 import ATTENDING
    from eventhub.events.services import add_series_member

    series = make_series(slug="buy-social-taskforce-danmark", title="Buy Social Taskforce Danmark", visibility="members")
    other = make_series(slug="big-buyers-wg", title="Big Buyers working group", visibility="members")
    zone = "Europe/Copenhagen"
    meeting3 = make_event(title="Buy Social Taskforce Danmark – 3. møde", series=series.slug, number=3, timezone=zone,
                          starts_at="2022-11-15T14:00:00", ends_at="2022-11-15T15:30:00", online_url="https://meet.example.org/bstf-3")
    meeting4 = make_event(title="Buy Social Taskforce Danmark – 4. møde", series=series.slug, number=4, timezone=zone,
                          starts_at="2023-01-24T14:00:00", ends_at="2023-01-24T15:30:00")
    people = {}
    for index, organisation in enumerate(ATTENDING):
        person = make_person(email=f"member{index}@example.org", name=f"Medlem{index} Efternavn", organisation=organisation)
        add_series_member(series, person.email)
        people[organisation] = person
    secretary = make_user("secretary", email="sekretaer@example.org", name="Sara Sekretær", organisation="Rummelig Genstart")
    add_series_member(series, secretary.email, role="secretary")
    member = make_user("member", email="medlem@example.org", name="Mikkel Medlem", organisation="Kooperationen")
    add_series_member(series, member.email)
    other_secretary = make_user("secretary", email="other-secretary@example.org")
    add_series_member(other, other_secretary.email, role="secretary")
    organiser = make_user("organiser", email="organiser@example.org")
    admin = make_user("admin", email="admin@example.org")
    outsider = make_user("member", email="outsider@example.org")
    db.session.commit()
    return SimpleNamespace(
        series=series, other=other, meeting3=meeting3, meeting4=meeting4, people=people, secretary=secretary,
        member=member, other_secretary=other_secretary, organiser=organiser, admin=admin, outsider=outsider,
    )  # fmt: skip


NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
