"""Benchmark of one reminder-planner tick: 10,000 confirmed registrations across 100 events.

(a) a tick where every reminder becomes due at once (render + queue 10,000 emails);
(b) a steady-state tick right after, where nothing new is due.

Runs on a throwaway SQLite file, and on a throwaway PostgreSQL database (created, migrated and dropped) when
``--database-url`` or ``EVENTHUB_TEST_DATABASE_URL`` names a server:

    .venv/bin/python bench/planner.py
    EVENTHUB_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/planner.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import counting, migrate, postgres_database, sqlite_database  # noqa: E402

from eventhub import create_app  # noqa: E402
from eventhub.extensions import db  # noqa: E402

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("EVENTHUB_TEST_DATABASE_URL"), help="a PostgreSQL server"
    )
    parser.add_argument("--registrations", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (fresh data for (a))")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        backends = [("sqlite", sqlite_database(Path(folder)))]
        if args.database_url:
            backends.append(("postgresql", postgres_database(args.database_url)))
        for name, database in backends:
            with database as url:
                bench(name, url, Path(folder), args.registrations, args.events, args.repeat)


def bench(name: str, url: str, folder: Path, registrations: int, events: int, repeat: int) -> None:
    """Print the median (and every) time of tick (a) and tick (b), and their statement counts."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "BASE_URL": "https://eventhub.example.org"}
    )
    app.instance_path = str(folder)
    full: list[tuple[float, int, float, float | None]] = []
    steady: list[tuple[float, int, float, float | None]] = []
    with app.app_context():
        migrate()
        for run in range(repeat):
            _seed(registrations, events, run)
            full.append(_timed_tick(NOW + timedelta(days=run * 10), expect=registrations))
            steady.append(_timed_tick(NOW + timedelta(days=run * 10, minutes=1), expect=0))
        db.engine.dispose()
    for label, results in (("(a) all due", full), ("(b) steady", steady)):
        seconds = [r[0] for r in results]
        cpu = f"CPU: eventhub {statistics.median(r[2] for r in results):.2f} s"
        if results[0][3] is not None:
            cpu += f", database {statistics.median(r[3] for r in results):.2f} s"
        print(
            f"{name:10} {label:12} {registrations} registrations / {events} events: "
            f"median {statistics.median(seconds):.3f} s  (runs: {', '.join(f'{s:.3f}' for s in seconds)})  "
            f"statements: {results[0][1]}  {cpu} (medians)"
        )


def _timed_tick(now: datetime, expect: int) -> tuple[float, int, float, float | None]:
    """One tick as the worker runs it: ``run_planner`` then commit. Returns (seconds, statements, CPU seconds of
    this process, CPU seconds of the database's server process or None). CPU time, unlike the clock, hardly
    depends on what else the machine runs."""
    from eventhub.reminders.planner import run_planner

    backend = _backend_cpu_reader()
    with counting() as statements:
        started, cpu, database = time.perf_counter(), time.process_time(), backend()
        queued = run_planner(now)
        db.session.commit()
        elapsed, cpu, database = time.perf_counter() - started, time.process_time() - cpu, backend() - database
    assert queued == expect, (queued, expect)
    return elapsed, len(statements), cpu, None if backend() < 0 else database


def _backend_cpu_reader() -> Callable[[], float]:
    """CPU seconds used so far by the PostgreSQL process serving this session, read from /proc (the server runs
    on this machine); -1 where it cannot be read (SQLite, a remote server)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return lambda: -1.0
    stat = Path(f"/proc/{db.session.scalar(sa.text('select pg_backend_pid()'))}/stat")

    def read() -> float:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return -1.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    return read


def _seed(registrations: int, events: int, run: int) -> None:
    """``events`` events starting a day after this run's ``now`` with a one-day reminder, shared evenly by
    ``registrations`` people (Danish and English), written with a few bulk inserts."""
    from eventhub.events.models import Event, Person
    from eventhub.registration.models import Registration

    start = NOW + timedelta(days=run * 10 + 1)
    event_rows = [
        dict(
            title=f"Buy Social Taskforce Danmark meeting {run}-{i}",
            kind="meeting",
            timezone="Europe/Copenhagen",
            starts_at=start,
            ends_at=start + timedelta(minutes=90),
            location="Copenhagen",
            reminder_offsets=[1440],
            status="scheduled",
            visibility="public",
            invitation_only=False,
            sequence=0,
            description="",
        )
        for i in range(events)
    ]
    event_ids = list(db.session.scalars(sa.insert(Event).returning(Event.id), event_rows))
    people = [
        dict(
            name=f"Person {run}-{i}",
            email=f"p{run}-{i}@example.org",
            language="da" if i % 2 else "en",
            timezone="Europe/Copenhagen",
            reminders_enabled=True,
        )
        for i in range(registrations)
    ]
    person_ids = list(db.session.scalars(sa.insert(Person).returning(Person.id), people))
    db.session.execute(
        sa.insert(Registration),
        [dict(event_id=event_ids[i % events], person_id=pid, status="confirmed") for i, pid in enumerate(person_ids)],
    )
    db.session.commit()


if __name__ == "__main__":
    main()
