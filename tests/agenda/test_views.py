"""The agenda on its pages: the editor and the event page run a fixed number of statements however long the
agenda is and however many people own its items, and a refused save shows the error on the row."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from eventhub.agenda.services import publish_agenda, replace_agenda
from eventhub.extensions import db
from tests.conftest import csrf_token_from


def _agenda(event, make_person, now: datetime, items: int, owners: int) -> None:
    """``items`` five-minute items, owned in turn by ``owners`` people (each of a different organisation)."""
    people = [make_person(email=f"owner{n}@example.org", organisation=f"Organisation {n}") for n in range(owners)]
    start = event.starts_at.astimezone(event.zone).replace(tzinfo=None)
    rows = [
        {
            "starts_at": (start + timedelta(minutes=5 * n)).isoformat(),
            "ends_at": (start + timedelta(minutes=5 * n + 5)).isoformat(),
            "title": f"Item {n}",
            "owner": people[n % owners].email,
            "kind": "discussion",
        }
        for n in range(items)
    ]
    replace_agenda(event, rows, now)
    publish_agenda(event, now)
    db.session.commit()


def _statements(client, path: str, count_queries) -> list[str]:
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return counter.statements


@pytest.mark.parametrize(
    ("page", "shown"), [("/events/{id}", "Organisation 9"), ("/events/{id}/agenda/edit", "owner9@example.org")]
)
def test_agenda_pages_run_the_same_statements_for_3_items_as_for_35_items_of_10_owners(
    client, make_event, make_person, make_user, login, now, count_queries, page, shown
):
    login(make_user("admin"))
    small = make_event(starts_at=now + timedelta(days=10), ends_at=now + timedelta(days=10, hours=4))
    large = make_event(starts_at=now + timedelta(days=11), ends_at=now + timedelta(days=11, hours=4))
    _agenda(small, make_person, now, items=3, owners=2)
    _agenda(large, make_person, now, items=35, owners=10)
    small_page, large_page = (_statements(client, page.format(id=event.id), count_queries) for event in (small, large))
    assert len(small_page) == len(large_page), "\n\n".join(large_page)
    assert shown in client.get(page.format(id=large.id)).get_data(as_text=True)


def test_a_refused_save_marks_the_row_and_keeps_nothing(client, make_event, make_user, login):
    login(make_user("admin"))
    event = make_event()
    db.session.commit()
    page = client.get(f"/events/{event.id}/agenda/edit").get_data(as_text=True)
    start = event.starts_at.astimezone(event.zone).replace(tzinfo=None)
    data = {
        "csrf_token": csrf_token_from(page),
        "items-0-day": start.date().isoformat(),
        "items-0-starts_at": start.strftime("%H:%M"),
        "items-0-ends_at": (start - timedelta(minutes=5)).strftime("%H:%M"),
        "items-0-title": "Backwards",
        "items-0-kind": "other",
    }
    body = client.post(f"/events/{event.id}/agenda/edit", data=data).get_data(as_text=True)
    assert "Item 1: Ends must be after starts_at" in body  # the column as the page names it, not "ends_at"
    assert client.get(f"/events/{event.id}").get_data(as_text=True).count("Backwards") == 0
