"""Benchmark of calendar feeds served from stored components and stored bodies (issue 14).

* 304 of a personal feed and of a public series feed at 10, 100, 1,000 and 5,000 events (median, statements);
* a 2,000-event public series feed: an unchanged full GET (the stored body) against a static body of the same
  bytes from the same app; a rebuild from stored components (nothing to render) against the first build after
  one event's change (one component rendered).

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
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import counting, migrate, postgres_database, sqlite_database  # noqa: E402

from eventhub import create_app  # noqa: E402
from eventhub.extensions import db  # noqa: E402

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SIZES = (10, 100, 1000, 5000)
BIG = 2000
BASE_URL = "https://eventhub.example.org"
GZIP = {"Accept-Encoding": "gzip"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("EVENTHUB_TEST_DATABASE_URL"), help="PostgreSQL")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each measurement (the median is shown)")
    args = parser.parse_args()
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
    static: dict[str, bytes] = {}
    app.add_url_rule("/bench-static", "bench_static", lambda: (static["body"], 200, {"Content-Type": "text/calendar"}))
    with app.app_context():
        migrate()
        client = app.test_client()
        print(f"{'database':10} {'events':>6} {'304 personal':>13} {'304 series':>11} {'statements':>10}")
        for size in SIZES:
            personal, series = _seed(size)
            _analyze()
            results = [_not_modified(client, path, repeat * 3) for path in (personal, series)]
            print(f"{name:10} {size:6} {results[0][0] * 1000:10.2f} ms {results[1][0] * 1000:8.2f} ms "
                  f"{results[0][1]:>5}/{results[1][1]}")  # fmt: skip
        _, series = _seed(BIG)
        _analyze()
        plain, squeezed = client.get(series).data, client.get(series, headers=GZIP).data
        _analyze()  # as autovacuum would after the first build stored 2,000 components
        for label, headers, body in (("plain", {}, plain), ("gzip", GZIP, squeezed)):
            static["body"] = body
            stored, _ = _timed(lambda: client.get(series, headers=headers), repeat, expect=200)  # noqa: B023
            bytes_only, _ = _timed(lambda: client.get("/bench-static"), repeat, expect=200)
            print(f"{name}: {BIG}-event series feed, unchanged, {label} ({len(body):,} bytes): "
                  f"{stored * 1000:.2f} ms, the same bytes as a static body {bytes_only * 1000:.2f} ms "
                  f"({stored / bytes_only:.2f}x)")  # fmt: skip
        assembled = _median(lambda: _rebuild(client, series, change=False), repeat)
        changed = _median(lambda: _rebuild(client, series, change=True), repeat)
        print(f"{name}: {BIG}-event series feed rebuilt (gzip stored too): from stored components "
              f"{assembled * 1000:.1f} ms, after one event's change {changed * 1000:.1f} ms "
              f"({changed / assembled:.2f}x)")  # fmt: skip
        db.engine.dispose()


def _analyze() -> None:
    """Fresh statistics, as autovacuum keeps them on a live database (else PostgreSQL plans for empty tables)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()


def _not_modified(client, path: str, repeat: int) -> tuple[float, int]:
    etag = client.get(path).headers["ETag"]
    return _timed(lambda: client.get(path, headers={"If-None-Match": etag}), repeat, expect=304)


def _rebuild(client, path: str, change: bool) -> float:
    """One full GET after the feed was marked changed: either by a change to one of its events (one component
    re-rendered) or by its counter alone (every component stored and current)."""
    from eventhub.calendar.models import FeedVersion
    from eventhub.events.models import Event, Series

    slug = path.removeprefix("/series/").removesuffix(".ics")
    series_id = db.session.scalar(sa.select(Series.id).where(Series.slug == slug))
    if change:
        event = db.session.scalars(sa.select(Event).where(Event.series_id == series_id).limit(1)).one()
        event.title = f"{event.title}."
    else:
        table = FeedVersion.__table__
        key = f"series:{series_id}"
        db.session.execute(sa.update(table).where(table.c.feed_key == key).values(version=table.c.version + 1))
    db.session.commit()
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed


def _median(measure: Callable[[], float], repeat: int) -> float:
    return statistics.median(measure() for _ in range(repeat))


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


def _seed(size: int) -> tuple[str, str]:
    """A public series of ``size`` meetings, and a person who belongs to a members-only series of ``size // 2``
    and is registered for ``size - size // 2`` public conferences; returns the personal and series feed paths."""
    from eventhub.calendar.services import issue_feed_token
    from eventhub.events.models import Event, Person, Series, SeriesMembership
    from eventhub.registration.models import Registration

    tag = uuid.uuid4().hex[:8]
    person = Person(name=f"Bench {tag}", email=f"bench-{tag}@example.org", timezone="Europe/Copenhagen")
    members = Series(slug=f"bench-{tag}", title="Buy Social Taskforce Danmark", visibility="members")
    public = Series(slug=f"public-{tag}", title="Buy Social Taskforce Danmark (public)", visibility="public")
    db.session.add_all([person, members, public])
    db.session.flush()
    db.session.add(SeriesMembership(series_id=members.id, person_id=person.id))
    rows = [_event_row(i, tag, members.id if i < size // 2 else None) for i in range(size)]
    ids = list(db.session.scalars(sa.insert(Event).returning(Event.id), rows))
    db.session.execute(
        sa.insert(Registration), [dict(event_id=i, person_id=person.id, status="confirmed") for i in ids[size // 2 :]]
    )
    db.session.execute(sa.insert(Event), [_event_row(i, tag, public.id, "public") for i in range(size)])
    token = issue_feed_token(person, NOW)
    db.session.commit()
    return f"/feeds/{token}.ics", f"/series/{public.slug}.ics"


def _event_row(i: int, tag: str, series_id: int | None, visibility: str | None = None) -> dict:
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
        visibility=visibility or ("public" if series_id is None else "members"),
        invitation_only=False,
        sequence=0,
        description="Dagsorden følger.",
        created_at=NOW,
        updated_at=NOW,
    )


if __name__ == "__main__":
    main()
