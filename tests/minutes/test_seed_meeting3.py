"""Acceptance: the 3rd Buy Social Taskforce Danmark meeting (seed 003) entered through the API comes out as the
seed's minutes, with everything in the seed's order."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import refresh

from eventhub.accounts.models import LinkPurpose
from eventhub.demo.taskforce_meeting3 import agenda_input, minutes_input
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from tests.accounts.link_support import link_in


def get_page(client, url: str) -> str:
    """GET a page in a fresh locale: the test's long-lived app context would otherwise keep the locale
    Flask-Babel cached during an earlier request."""
    refresh()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def enter_meeting3(client, taskforce, bearer):
    headers = bearer(taskforce.secretary)
    event_id = taskforce.meeting3.id
    response = client.put(
        f"/api/v1/events/{event_id}/agenda",
        json={"items": agenda_input(taskforce.people), "published": True},
        headers=headers,
    )
    assert response.status_code == 200, response.json
    response = client.put(f"/api/v1/events/{event_id}/minutes", json=minutes_input(taskforce.people), headers=headers)
    assert response.status_code == 200, response.json
    response = client.post(f"/api/v1/events/{event_id}/minutes/publish", json={}, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def test_published_page_carries_the_seed_in_its_order(client, taskforce, bearer, login):
    published = enter_meeting3(client, taskforce, bearer)
    assert published["version"] == 1
    login(taskforce.member)

    page = get_page(client, "/series/buy-social-taskforce-danmark/minutes/3?lang=da")

    milestones = [
        "Referat af møde 3",
        "15. november 2022",
        "online",
        "Medlem0 Efternavn, Rummelig Genstart",  # attendees as "name, organisation" in the seed's order
        "Medlem13 Efternavn, Slagelse Kommune",
        "14.00–14.05",  # the agenda with times and owners
        "Velkommen og velkommen til eventuelt nye deltagere",
        "Medlem2 Efternavn, Sociale Entreprenører i Danmark",
        "15.25–15.30",
        "Afrunding",
        'id="round-table"',  # one entry per participant
        "Medlem11 Efternavn, Reach for Change",
        "80 job",
        "Medlem8 Efternavn, Glad Fonden",
        "Siden sidst",
        "rummeliggenstart.dk/buy-social-taskforce-danmark",
        'id="decisions"',
        "Kapacitetsopbygning",
        'id="deadlines"',
        "7. december 2022",
        "14. februar 2023",
        'id="materials"',
        "Transition Pathway for Proximity and Social Economy Ecosystem",
        'href="https://www.socialtraders.com.au/news/five-ways-to-use-your-procurement-spend-for-good"',
        'id="next-meeting"',
        "Januar 2023",
    ]
    cursor = 0
    for marker in milestones:  # each one after the one before: the seed's order
        found = page.find(marker, cursor)
        assert found >= 0, f"{marker!r} missing or out of order (searched after {page[max(cursor - 80, 0) : cursor]!r})"
        cursor = found + len(marker)
    assert len(re.findall(r'class="round-table-entry"', page)) == 12
    assert page.count("<li>Medlem") >= 14


def test_archive_lists_the_meeting_with_date_number_and_attendees(client, taskforce, bearer, login):
    enter_meeting3(client, taskforce, bearer)
    login(taskforce.member)

    page = get_page(client, "/series/buy-social-taskforce-danmark/minutes?lang=da")

    assert "/series/buy-social-taskforce-danmark/minutes/3" in page
    assert "15. november 2022" in page
    assert "Medlem12 Efternavn, Den Sociale Kapitalfond" in page


def test_members_are_emailed_once_per_version_in_their_language(client, taskforce, bearer):
    taskforce.people["KAB"].language = "da"
    db.session.commit()
    minutes = enter_meeting3(client, taskforce, bearer)

    rows = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "minutes_published")).all()

    assert len(rows) == 17  # 14 organisations, the secretary, one more member and the organiser
    danish = next(row for row in rows if row.recipient_email == taskforce.people["KAB"].email)
    english = next(row for row in rows if row.recipient_email == taskforce.people["Incita"].email)
    assert danish.subject.startswith("Referat") and english.subject.startswith("Minutes")
    # a members-only series: the link signs the member in on the way to the minutes (members mostly have no password)
    link = link_in(english.body_text)
    assert link.target == "/series/buy-social-taskforce-danmark/minutes/3"
    assert link.person == taskforce.people["Incita"] and link.purpose == LinkPurpose.PERSONAL
    assert all(row.dedup_key.startswith("minutes-published:") and ":1:" in row.dedup_key for row in rows)
    assert minutes["parts"]["deadlines"][0]["date"] == "2022-12-07"
