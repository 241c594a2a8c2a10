"""Real readers of the feeds: Mozilla's ical.js (Thunderbird's parser, through node) and calcurse (a calendar
program importing non-interactively). Each is skipped, saying why, where it is not installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from eventhub.events.services import cancel_event
from eventhub.extensions import db
from tests.calendar.conftest import day

JS = Path(__file__).parent / "js"
CALCURSE = "/usr/bin/calcurse"
UTC = timezone.utc


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture(scope="session")
def ical_js() -> Path:
    """ical.js installed into tests/calendar/js/node_modules (once; gitignored)."""
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node and npm are needed to read feeds with Mozilla's ical.js")
    if not (JS / "node_modules" / "ical.js").exists():
        result = subprocess.run(
            ["npm", "install", "--prefix", str(JS), "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            pytest.skip(f"npm install of ical.js failed (offline?): {result.stderr[-500:]}")
    return JS / "read.mjs"


def read_with_ical_js(script: Path, body: bytes) -> dict:
    result = subprocess.run(["node", str(script)], input=body, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


@pytest.fixture
def taskforce(make_series, make_event, make_person, add_member, make_minutes, feed_url, now):
    """A Copenhagen meeting series either side of both 2027 DST changes, one cancelled, plus an action item."""
    person = make_person(name="Anne Rahbek", timezone_name="Europe/Copenhagen")
    series = make_series(slug="bstf", title="Buy Social Taskforce Danmark", visibility="members")
    add_member(series, person)
    title = "Bordet rundt; siden sidst, næste møde"
    starts = [utc(2027, 3, 25, 13), utc(2027, 4, 8, 12), utc(2027, 10, 28, 12), utc(2027, 11, 4, 13)]
    events = [
        make_event(series="bstf", title=title, starts_at=start, location="Община Габрово, zaal 2") for start in starts
    ]
    cancelled = make_event(series="bstf", title="Aflyst møde", starts_at=utc(2027, 5, 6, 12))
    cancel_event(cancelled, now=now)
    minutes = make_minutes(events[0], actions=[("Send the template, please; thanks", person, day("2027-04-01"))])
    return events, cancelled, minutes.action_items[0], feed_url(person)


def test_ical_js_reads_the_personal_feed(client, taskforce, ical_js, frozen_clock):
    events, cancelled, action, url = taskforce

    calendar = read_with_ical_js(ical_js, client.get(url).data)

    items = {item["uid"]: item for item in calendar["items"]}
    assert calendar["timezones"] == ["Europe/Copenhagen"]
    expected_utc_hours = [13, 12, 12, 13]
    for event, hour in zip(events, expected_utc_hours):
        item = items[f"event-{event.id}@eventhub.test"]
        assert item["tzid"] == "Europe/Copenhagen"
        assert item["local"].endswith("T14:00:00")
        assert datetime.fromtimestamp(item["utc"], UTC).hour == hour
        assert item["summary"] == "Bordet rundt; siden sidst, næste møde"
        assert item["location"] == "Община Габрово, zaal 2"
        assert item["status"] == "CONFIRMED" and item["sequence"] == 0
    gone = items[f"event-{cancelled.id}@eventhub.test"]
    assert gone["status"] == "CANCELLED" and gone["sequence"] == 1
    todo = items[f"action-item-{action.id}-todo@eventhub.test"]
    assert todo["type"] == "vtodo" and todo["isDate"] and todo["local"] == "2027-04-01"
    assert todo["summary"] == "Send the template, please; thanks"
    assert items[f"action-item-{action.id}@eventhub.test"]["type"] == "vevent"


def test_ical_js_reads_series_and_event_feeds(client, make_series, make_event, ical_js, frozen_clock):
    make_series(slug="bsi-bg", title="BSI България")
    event = make_event(series="bsi-bg", title="Община Габрово", timezone="Europe/Sofia")
    db.session.commit()

    for path in ("/series/bsi-bg.ics", f"/events/{event.id}.ics"):
        calendar = read_with_ical_js(ical_js, client.get(path).data)
        assert [item["summary"] for item in calendar["items"]] == ["Община Габрово"], path
        assert calendar["items"][0]["tzid"] == "Europe/Sofia"


@pytest.mark.skipif(not os.path.exists(CALCURSE), reason=f"calcurse is not installed at {CALCURSE}")
def test_calcurse_imports_the_feed_at_copenhagen_times(client, taskforce, tmp_path, frozen_clock):
    events, cancelled, action, url = taskforce
    feed = tmp_path / "feed.ics"
    feed.write_bytes(client.get(url).data)
    home = tmp_path / "calcurse"
    home.mkdir()
    env = {**os.environ, "TMPDIR": str(home), "TZ": "Europe/Copenhagen"}

    imported = subprocess.run(
        [CALCURSE, "-D", str(home), "-i", str(feed)],
        stdin=subprocess.DEVNULL,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert imported.returncode == 0, imported.stderr
    query = [
        CALCURSE,
        "-D",
        str(home),
        "-Q",
        "--input-datefmt",
        "4",
        "--from",
        "2027-03-01",
        "--days",
        "300",
        "--format-apt",
        "%(start:%Y-%m-%d %H:%M)-%(end:%H:%M) %m\n",
    ]
    listing = subprocess.run(query, env=env, capture_output=True, text=True, timeout=60).stdout

    for date in ("2027-03-25", "2027-04-08", "2027-10-28", "2027-11-04"):
        assert f"{date} 14:00-15:30 Bordet rundt; siden sidst, næste møde" in listing
    assert "Send the template, please; thanks" in listing
