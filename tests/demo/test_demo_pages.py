"""What a new user sees after ``make run``: the demo data through the real pages, as an anonymous visitor."""

import re

from eventhub.demo.loader import load_demo
from eventhub.events.queries import list_events
from eventhub.events.services import get_series
from eventhub.extensions import db


def test_home_lists_the_upcoming_national_conferences_and_leads_to_the_taskforce_meetings(app, client, now):
    load_demo(now)  # the pages read the frozen clock (tests/conftest.py), so the demo is dated from it
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    upcoming_round = list_events(series=get_series("bsi-national-conferences-2027"), limit=100)
    assert len(upcoming_round) == 15
    for conference in upcoming_round:
        assert f'href="/events/{conference.id}"' in home
    assert 'href="/series/buy-social-taskforce-danmark"' in home

    taskforce = client.get("/series/buy-social-taskforce-danmark")
    assert taskforce.status_code == 200
    page = taskforce.get_data(as_text=True)
    meetings = list_events(series=get_series("buy-social-taskforce-danmark"), limit=100)
    assert len(meetings) == 7
    for meeting in meetings:
        assert f'href="/events/{meeting.id}"' in page
    # Every meeting, past and upcoming, summer or winter, shows 14:00–15:30 Copenhagen time.
    assert len(re.findall(r">14:00</time>–<time[^>]*>15:30<", page)) == 7
