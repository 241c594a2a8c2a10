"""Benchmark of a personal calendar feed of 10, 100 and 1,000 events: full build, 304, queries, and the floor.

The floor is what the icalendar library alone needs to build and serialise the same VEVENTs from plain values
already in memory (no database, no ORM): a full feed cannot be cheaper than that.

Runs on a throwaway SQLite file, and on a throwaway PostgreSQL database (created, migrated and dropped) when
``--database-url`` or ``EVENTHUB_TEST_DATABASE_URL`` names a server:

    .venv/bin/python bench/feeds.py
    EVENTHUB_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/feeds.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import counting, migrate, postgres_database, sqlite_database  # noqa: E402

from eventhub import create_app  # noqa: E402
from eventhub.extensions import db  # noqa: E402

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
SIZES = (10, 100, 1000)
BASE_URL = "https://eventhub.example.org"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("EVENTHUB_TEST_DATABASE_URL"), help="a PostgreSQL server"
    )
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each measurement (the median is shown)")
    args = parser.parse_args()
    print(
        f"{'database':10} {'events':>6} {'full build':>11} {'floor':>9} {'ratio':>6} {'304':>9} {'queries full/304':>17}"
    )
    with tempfile.TemporaryDirectory() as folder:
        backends = [("sqlite", sqlite_database(Path(folder)))]
        if args.database_url:
            backends.append(("postgresql", postgres_database(args.database_url)))
        for name, database in backends:
            with database as url:
                bench(name, url, Path(folder), args.repeat)


def bench(name: str, url: str, folder: Path, repeat: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "BASE_URL": BASE_URL})
    app.instance_path = str(folder)
    with app.app_context():
        migrate()
        for size in SIZES:
            path, rows = _seed(size)
            client = app.test_client()
            etag = client.get(path).headers["ETag"]  # warm up, and record the feed's version
            full, full_queries = _timed(lambda: client.get(path), repeat, expect=200)
            not_modified, queries_304 = _timed(
                lambda: client.get(path, headers={"If-None-Match": etag}), repeat * 3, expect=304
            )
            floor = statistics.median(_floor(rows) for _ in range(repeat))
            print(
                f"{name:10} {size:6} {full * 1000:8.1f} ms {floor * 1000:6.1f} ms {full / floor:5.2f}x "
                f"{not_modified * 1000:6.2f} ms {full_queries:>8}/{queries_304}"
            )
        db.engine.dispose()


def _timed(request: Callable[[], object], repeat: int, expect: int) -> tuple[float, int]:
    """Median seconds of ``repeat`` requests, and the statements (transaction control left out) of one."""
    seconds = []
    for _ in range(repeat):
        with counting() as statements:
            started = time.perf_counter()
            response = request()
            seconds.append(time.perf_counter() - started)
        assert response.status_code == expect, response.status_code
    return statistics.median(seconds), len(statements)


def _floor(rows: list[dict]) -> float:
    """icalendar alone: the same VEVENTs from plain values, a cached VTIMEZONE, serialised."""
    import icalendar

    from eventhub.ical import _timezone

    started = time.perf_counter()
    calendar = icalendar.Calendar()
    for key in ("PRODID", "VERSION", "CALSCALE", "X-WR-CALNAME", "X-WR-TIMEZONE"):
        calendar.add(key, "x")
    calendar.add_component(_timezone("Europe/Copenhagen", 2026, 2030))
    for row in rows:
        component = icalendar.Event()
        for key, value in row.items():
            component.add(key, value)
        calendar.add_component(component)
    calendar.to_ical()
    return time.perf_counter() - started


def _seed(size: int) -> tuple[str, list[dict]]:
    """A person who belongs to a series of ``size // 2`` meetings and is registered for ``size - size // 2``
    conferences; returns their feed path and the same events as plain values for the floor."""
    from eventhub.calendar.services import issue_feed_token
    from eventhub.events.models import Event, Person, Series, SeriesMembership
    from eventhub.registration.models import Registration

    tag = uuid.uuid4().hex[:8]
    person = Person(name=f"Bench {tag}", email=f"bench-{tag}@example.org", timezone="Europe/Copenhagen")
    series = Series(slug=f"bench-{tag}", title="Buy Social Taskforce Danmark", visibility="members")
    db.session.add_all([person, series])
    db.session.flush()
    db.session.add(SeriesMembership(series_id=series.id, person_id=person.id))
    rows = [_event_row(i, tag, series.id if i < size // 2 else None) for i in range(size)]
    ids = list(db.session.scalars(sa.insert(Event).returning(Event.id), rows))
    db.session.execute(
        sa.insert(Registration), [dict(event_id=i, person_id=person.id, status="confirmed") for i in ids[size // 2 :]]
    )
    token = issue_feed_token(person, NOW)
    db.session.commit()
    return f"/feeds/{token}.ics", [_floor_row(event_id, row) for event_id, row in zip(ids, rows)]


def _event_row(i: int, tag: str, series_id: int | None) -> dict:
    start = NOW + timedelta(days=i % 700 + 1, hours=i % 5)
    return dict(
        title=f"Bordet rundt; siden sidst, næste møde {tag} {i}",
        kind="meeting",
        timezone="Europe/Copenhagen",
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        location="Rådhuset, København",
        series_id=series_id,
        number=i + 1 if series_id else None,
        status="scheduled",
        visibility="public" if series_id is None else "members",
        invitation_only=False,
        sequence=0,
        description="Dagsorden følger.",
        created_at=NOW,
        updated_at=NOW,
    )


def _floor_row(event_id: int, row: dict) -> dict:
    zone = ZoneInfo(row["timezone"])
    page = f"{BASE_URL}/events/{event_id}"
    organizer = __import__("icalendar").vCalAddress("mailto:noreply@eventhub.example.org")
    organizer.params["CN"] = "eventhub"
    return {
        "UID": f"event-{event_id}@eventhub.example.org",
        "DTSTAMP": row["updated_at"],
        "CREATED": row["created_at"],
        "LAST-MODIFIED": row["updated_at"],
        "SEQUENCE": 0,
        "DTSTART": row["starts_at"].astimezone(zone),
        "DTEND": row["ends_at"].astimezone(zone),
        "SUMMARY": row["title"],
        "LOCATION": row["location"],
        "URL": page,
        "DESCRIPTION": f"{row['description']}\n\n{page}",
        "ORGANIZER": organizer,
        "CATEGORIES": ["Meeting"],
        "STATUS": "CONFIRMED",
        "TRANSP": "OPAQUE",
    }


if __name__ == "__main__":
    main()
