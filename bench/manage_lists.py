"""Benchmark of the management lists and the API lists for an event with 5,000 invitations and an outbox of
10,000 messages: each page (first, filtered, searched, late) timed through the Flask test client.

The event: 5,000 invitees (200 organisations, a third without one; Danish, English and Swedish readers),
1,500 confirmed registrations with answers to two questions, 200 on the waiting list, 100 cancelled, 600
declined and 100 revoked invitations, 300 requests for an invitation (half pending); a members-only series with
the 5,000 invitees as members and 600 events; 10,000 outbox messages of ~2 KB (300 failed). Issue 11 asks for
≤ 150 ms a page on PostgreSQL. Times are medians of ``--repeat`` requests (after one warm-up request each);
"statements" counts ``before_cursor_execute`` calls of one request.

Runs on a throwaway PostgreSQL database (created, migrated and dropped) named by ``--database-url``,
``EVENTHUB_BENCH_DATABASE_URL`` or ``EVENTHUB_TEST_DATABASE_URL``; ``--sqlite`` adds a throwaway SQLite file:

    EVENTHUB_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/manage_lists.py
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import counting, migrate, postgres_database, sqlite_database  # noqa: E402

from eventhub import create_app  # noqa: E402
from eventhub.extensions import db  # noqa: E402

NOW = datetime.now(UTC)  # the views read the real clock
BASE_URL = "https://eventhub.example.org"
PASSWORD = "correct horse battery"
INVITEES = 5_000
OUTBOX = 10_000
TARGET_MS = 150


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_url = os.environ.get("EVENTHUB_BENCH_DATABASE_URL") or os.environ.get("EVENTHUB_TEST_DATABASE_URL")
    parser.add_argument("--database-url", default=default_url, help="a PostgreSQL server")
    parser.add_argument("--repeat", type=int, default=7, help="timed requests of each page (the median is shown)")
    parser.add_argument("--sqlite", action="store_true", help="also run on a throwaway SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        backends = [("sqlite", sqlite_database(Path(folder)))] if args.sqlite else []
        if args.database_url:
            backends.append(("postgresql", postgres_database(args.database_url)))
        if not backends:
            parser.error("name a PostgreSQL server (--database-url) or pass --sqlite")
        for name, database in backends:
            with database as url:
                bench(name, url, Path(folder), args.repeat)


def bench(name: str, url: str, folder: Path, repeat: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "BASE_URL": BASE_URL})
    app.instance_path = str(folder)
    logging.getLogger("eventhub.requests").setLevel(logging.WARNING)  # one log line per request is noise here
    with app.app_context():
        migrate()
        started = time.perf_counter()
        seeded = _seed()
        print(f"{name}: seeded in {time.perf_counter() - started:.1f} s")
        client = app.test_client()
        _log_in(client)
        headers = {"Authorization": f"Bearer {seeded['token']}"}
        print(f"| {'database':10} | {'page':62} | {'median':>9} | {'min–max':>15} | {'statements':>10} | {'KB':>5} |")
        print(f"|{'-' * 12}|{'-' * 64}|{'-' * 11}:|{'-' * 17}:|{'-' * 12}:|{'-' * 7}:|")
        slow = []
        for path in _paths(seeded):
            median, low, high, statements, size = _timed(client, path, headers if "/api/" in path else {}, repeat)
            flag = " !" if median * 1000 > TARGET_MS else ""
            print(
                f"| {name:10} | {path:62} | {median * 1000:6.1f} ms | {low * 1000:5.1f}–{high * 1000:5.1f} ms "
                f"| {statements:10} | {size / 1024:5.0f} |{flag}"
            )
            if flag:
                slow.append(path)
        print(f"{name}: {'every page within' if not slow else f'{len(slow)} pages over'} {TARGET_MS} ms")
        db.session.remove()
        db.engine.dispose()


def _paths(seeded: dict) -> list[str]:
    event, org, slug = seeded["event_id"], seeded["organisation_id"], seeded["slug"]
    manage = f"/events/{event}/manage"
    return [
        f"{manage}/invitations",
        f"{manage}/invitations?status=pending",
        f"{manage}/invitations?organisation={org}&language=da",
        f"{manage}/invitations?q=j%C3%B8rgensen+12",
        f"{manage}/invitations?page=100",
        f"{manage}/registrations",
        f"{manage}/registrations?status=waitlisted",
        f"{manage}/registrations?q=example.org&language=sv",
        f"{manage}/registrations?page=36",
        f"{manage}/requests",
        f"{manage}/requests?status=pending",
        f"{manage}/requests?q=asker+29",
        f"{manage}/requests?page=6",
        f"/series/{slug}/manage/members",
        f"/series/{slug}/manage/members?language=da",
        f"/series/{slug}/manage/members?q=j%C3%B8rgensen+12",
        f"/series/{slug}/manage/members?page=100",
        "/admin/outbox",
        "/admin/outbox?status=failed",
        "/admin/outbox?q=invitee-4711",
        "/admin/outbox?page=200",
        "/api/v1/events",
        "/api/v1/events?offset=550",
        "/api/v1/series",
        f"/api/v1/events/{event}/invitations",
        f"/api/v1/events/{event}/invitations?status=declined",
        f"/api/v1/events/{event}/invitations?offset=4950",
        f"/api/v1/events/{event}/invitations?limit=500&offset=4500",
        f"/api/v1/events/{event}/registrations",
        f"/api/v1/events/{event}/registrations?offset=1750",
        f"/api/v1/series/{slug}/members",
        f"/api/v1/series/{slug}/members?offset=4950",
        f"/api/v1/series/{slug}/minutes",
    ]


def _timed(client, path: str, headers: dict, repeat: int) -> tuple[float, float, float, int, int]:
    response = client.get(path, headers=headers)  # warm up: templates compiled, statements cached
    assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:300])
    seconds = []
    for _ in range(repeat):
        with counting() as statements:
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            seconds.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(seconds), min(seconds), max(seconds), len(statements), len(response.data)


def _log_in(client) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', page
    )
    data = {"email": "admin@example.org", "password": PASSWORD, "csrf_token": token.group(1)}
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


# ---------------------------------------------------------------------------------------------------------
# Data: multi-row INSERTs, not the services (seeding is not what is measured)
# ---------------------------------------------------------------------------------------------------------


def _seed() -> dict:
    from eventhub.accounts.models import Role
    from eventhub.accounts.services import create_api_token, create_user
    from eventhub.events.models import Event, Organisation, Person, Series, SeriesMembership

    admin = create_user("admin@example.org", Role.ADMIN, name="Admin", password=PASSWORD)
    _, token = create_api_token(admin, "bench")
    stamps = {"created_at": NOW, "updated_at": NOW}
    org_ids = list(
        db.session.scalars(
            sa.insert(Organisation).returning(Organisation.id),
            [{"name": f"Kommune {n:03}", **stamps} for n in range(200)],
        )
    )
    people = [
        {
            "name": f"Invitée {n} Jørgensen",
            "email": f"invitee-{n}@example.org",
            "organisation_id": None if n % 3 == 0 else org_ids[n % 200],
            "language": ("da", "en", "sv")[n % 3 if n % 7 else 2],
            **stamps,
        }
        for n in range(INVITEES)
    ]
    person_ids = list(db.session.scalars(sa.insert(Person).returning(Person.id), people))
    series = Series(slug="bsi-conferences", title="BSI national conferences", visibility="members")
    db.session.add(series)
    db.session.flush()
    db.session.execute(
        sa.insert(SeriesMembership), [{"series_id": series.id, "person_id": p, **stamps} for p in person_ids]
    )
    events = [_event_row(n, series.id) for n in range(600)]
    event_id = list(db.session.scalars(sa.insert(Event).returning(Event.id), events))[0]
    _seed_registration(event_id, person_ids, stamps)
    _seed_outbox(event_id, person_ids, stamps)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # A live database has planner statistics (autovacuum gathers them after bulk writes, but not at once):
        # without them the planner takes these 5,000-row tables for a dozen rows and picks nested loops.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    return {"token": token, "event_id": event_id, "organisation_id": org_ids[12], "slug": series.slug}


def _event_row(n: int, series_id: int) -> dict:
    start = NOW + timedelta(days=40 + n, hours=9)
    return {
        "title": f"BSI national conference {n}",
        "kind": "conference",
        "timezone": "Europe/Copenhagen",
        "starts_at": start,
        "ends_at": start + timedelta(hours=7),
        "location": "Christiansborg, København",
        "series_id": series_id,
        "number": n + 1,
        "status": "scheduled",
        "visibility": "members",
        "invitation_only": True,
        "capacity": 1500,
        "registration_closes_at": NOW + timedelta(days=30 + n),
        "sequence": 0,
        "description": "",
        "created_at": NOW,
        "updated_at": NOW,
    }


def _seed_registration(event_id: int, person_ids: list[int], stamps: dict) -> None:
    """Invitees 0–1,799 registered (1,500 confirmed, 200 waiting, 100 cancelled), 1,800–2,399 declined,
    2,400–2,499 revoked, the rest pending; two questions answered; 300 requests."""
    from eventhub.registration.models import Invitation, InvitationRequest, Question, Registration

    questions = list(
        db.session.scalars(
            sa.insert(Question).returning(Question.id),
            [
                {"event_id": event_id, "position": 1, "kind": "single_choice", "label": "Working group",
                 "choices": ["Construction", "Health care", "Food"], "required": True, "help_text": "", **stamps},
                {"event_id": event_id, "position": 2, "kind": "short_text", "label": "Dietary needs",
                 "choices": [], "required": False, "help_text": "", **stamps},
            ],
        )
    )  # fmt: skip

    def status(n: int) -> str:
        if n < 1800:
            return "registered"
        return "declined" if n < 2400 else "revoked" if n < 2500 else "pending"

    invitations = [
        {"event_id": event_id, "person_id": p, "status": status(n), "last_sent_at": NOW, "send_count": 1, **stamps}
        for n, p in enumerate(person_ids)
    ]
    db.session.execute(sa.insert(Invitation), invitations)
    registrations = []
    for n, person_id in enumerate(person_ids[:1800]):
        state = "confirmed" if n < 1500 else "waitlisted" if n < 1700 else "cancelled"
        registrations.append(
            {
                "event_id": event_id,
                "person_id": person_id,
                "status": state,
                "waitlist_position": n - 1499 if state == "waitlisted" else None,
                "confirmed_at": NOW if state == "confirmed" else None,
                "cancelled_at": NOW if state == "cancelled" else None,
                "answers": {str(questions[0]): ("Construction", "Health care", "Food")[n % 3], str(questions[1]): ""},
                **stamps,
            }
        )
    db.session.execute(sa.insert(Registration), registrations)
    requests = [
        {"event_id": event_id, "name": f"Asker {n}", "email": f"asker-{n}@example.org", "organisation": "Region",
         "message": "May I come?", "case_description": "", "status": "pending" if n % 2 else "declined", **stamps}
        for n in range(300)
    ]  # fmt: skip
    db.session.execute(sa.insert(InvitationRequest), requests)


def _seed_outbox(event_id: int, person_ids: list[int], stamps: dict) -> None:
    from eventhub.mail.models import OutboxMessage

    body = "Kære deltager, du er inviteret til BSI-konferencen på Christiansborg. " * 14
    rows = []
    for n in range(OUTBOX):
        state = "failed" if n % 33 == 0 else "queued" if n % 17 == 0 else "sent"
        person = n % INVITEES
        rows.append(
            {
                "dedup_key": f"invitation:{n}", "kind": "invitation", "message_id": f"<{n}@eventhub.example.org>",
                "recipient_email": f"invitee-{person}@example.org", "recipient_name": f"Invitée {person} Jørgensen",
                "person_id": person_ids[person], "event_id": event_id, "language": "da",
                "subject": f"Invitation: BSI national conference ({n})", "body_text": body,
                "body_html": f"<p>{body}</p>", "headers": {}, "attachments": [], "not_before": NOW, "status": state,
                "attempts": 3 if state == "failed" else 1, "next_attempt_at": NOW,
                "last_error": "550 5.1.1 unknown user" if state == "failed" else None,
                "sent_at": NOW if state == "sent" else None, "created_at": NOW,
                "updated_at": NOW - timedelta(seconds=OUTBOX - n),
            }
        )  # fmt: skip
    for start in range(0, OUTBOX, 2000):
        db.session.execute(sa.insert(OutboxMessage), rows[start : start + 2000])


if __name__ == "__main__":
    main()
