"""Benchmark of a large invitee list: 5,000 invitees through ``POST /api/v1/events/<id>/invitations``.

One request creates the people (a tenth of them known already, a third of the new ones in one of 50 organisations,
half Danish readers), their invitations and link tokens, and queues one invitation email each in the outbox; the
request is timed from the test client's call to its answer (JSON parsed, all rows written and committed). A second
identical request (the re-upload: everything skipped) is timed too. Issue 10 asks for ≤ 5 s on PostgreSQL.

Runs on a throwaway SQLite file, and on a throwaway PostgreSQL database (created, migrated and dropped) when
``--database-url``, ``EVENTHUB_BENCH_DATABASE_URL`` or ``EVENTHUB_TEST_DATABASE_URL`` names a server:

    .venv/bin/python bench/invite_bulk.py [--invitees 5000] [--repeat 3]
    EVENTHUB_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/invite_bulk.py
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import counting, migrate, postgres_database, sqlite_database  # noqa: E402

from eventhub import create_app  # noqa: E402
from eventhub.extensions import db  # noqa: E402

NOW = datetime.now(timezone.utc)  # the API reads the real clock
BASE_URL = "https://eventhub.example.org"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_url = os.environ.get("EVENTHUB_BENCH_DATABASE_URL") or os.environ.get("EVENTHUB_TEST_DATABASE_URL")
    parser.add_argument("--database-url", default=default_url, help="a PostgreSQL server")
    parser.add_argument("--invitees", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3, help="runs, each on a fresh event")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    print(
        f"{'database':10} {'run':>3} {'invitees':>8} {'import':>9} {'statements':>10} {'re-upload':>10} {'emails':>7}"
    )
    with tempfile.TemporaryDirectory() as folder:
        backends = [] if args.skip_sqlite else [("sqlite", sqlite_database(Path(folder)))]
        if args.database_url:
            backends.append(("postgresql", postgres_database(args.database_url)))
        for name, database in backends:
            with database as url:
                bench(name, url, Path(folder), args.invitees, args.repeat)


def bench(name: str, url: str, folder: Path, size: int, repeat: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "BASE_URL": BASE_URL})
    app.instance_path = str(folder)
    with app.app_context():
        migrate()
        token = _seed_organiser()
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        for run in range(1, repeat + 1):
            event_id, body = _seed_event(run, size)
            path = f"/api/v1/events/{event_id}/invitations"
            with counting() as statements:
                started = time.perf_counter()
                response = client.post(path, json=body, headers=headers)
                seconds = time.perf_counter() - started
            assert response.status_code == 201, response.get_data(as_text=True)[:500]
            created = len(response.get_json()["created"])
            assert created == size, created  # the known tenth is new to this event too
            started = time.perf_counter()
            again = client.post(path, json=body, headers=headers)
            reupload = time.perf_counter() - started
            assert again.status_code == 201 and not again.get_json()["created"]
            emails = _count_emails(event_id)
            print(f"{name:10} {run:3} {size:8} {seconds:7.2f} s {len(statements):10} {reupload:8.2f} s {emails:7}")
        db.session.remove()
        db.engine.dispose()


def _seed_organiser() -> str:
    from eventhub.accounts.models import Role
    from eventhub.accounts.services import create_api_token, create_user

    user = create_user("organiser@example.org", Role.ORGANISER, name="Organiser")
    _, token = create_api_token(user, "bench")
    db.session.commit()
    return token


def _seed_event(run: int, size: int) -> tuple[int, dict]:
    """A fresh invitation-only event, a tenth of the invitees known as people already, and the request body."""
    from eventhub.events.models import Person
    from eventhub.events.services import EventInput, create_event

    event = create_event(
        EventInput(
            title=f"BSI conference {run}",
            kind="conference",
            timezone="Europe/Copenhagen",
            starts_at=NOW + timedelta(days=40),
            ends_at=NOW + timedelta(days=40, hours=6),
            invitation_only=True,
        ),
        now=NOW,
    )
    known = [
        {
            "email": f"known{run}-{n}@example.org",
            "name": f"Known {n}",
            "language": "da",
            "created_at": NOW,
            "updated_at": NOW,
        }
        for n in range(size // 10)
    ]
    if known:
        db.session.execute(sa.insert(Person), known)
    db.session.commit()
    invitees = [{"email": row["email"]} for row in known]
    for n in range(size - len(known)):
        invitee = {
            "email": f"Invitee{run}-{n}@Example.org",
            "name": f"Invitée {n} Jørgensen",
            "language": ("da", "en")[n % 2],
        }
        if n % 3 == 0:
            invitee["organisation"] = f"Kommune {n % 50}"
        invitees.append(invitee)
    return event.id, {"invitees": invitees}


def _count_emails(event_id: int) -> int:
    from eventhub.mail.models import OutboxMessage

    return db.session.scalar(
        sa.select(sa.func.count()).where(OutboxMessage.event_id == event_id, OutboxMessage.kind == "invitation")
    )


if __name__ == "__main__":
    main()
