"""Outbox sender throughput to a local SMTP server: one reused connection per batch vs one per message.

Runs the real sender (``send_all_due``: claim, build, SMTP, commit each "sent" mark) against an aiosmtpd server
in a separate process, on SQLite and, when a server is given, on a throwaway PostgreSQL database.

    .venv/bin/python bench/outbox.py [--messages 2000] [--database-url postgresql://postgres@127.0.0.1:5432/test]

``--database-url`` defaults to ``EVENTHUB_TEST_DATABASE_URL``; without either only SQLite is measured.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import socket
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventhub import create_app  # noqa: E402
from eventhub.db import utcnow  # noqa: E402
from eventhub.extensions import db  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_smtp(port: int, count, ready) -> None:
    """An SMTP server that accepts and counts every message (its own process: no GIL shared with the sender)."""
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            with count.get_lock():
                count.value += 1
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def pg_database(admin_url: str) -> tuple[str, sa.Engine]:
    admin_url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", admin_url)
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"eventhub_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False), admin


def drop_pg_database(admin: sa.Engine, url: str) -> None:
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}" WITH (FORCE)')
    admin.dispose()


def make_app(url: str, instance: Path, port: int, max_emails: int | None):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_MAX_EMAILS": max_emails,
            "MAIL_SUPPRESS_SEND": False,
            "MAIL_FOLDER": str(instance / "mail"),
        }
    )
    app.instance_path = str(instance)
    return app


def queue(app, count: int, run: str) -> None:
    from eventhub.events.models import Person
    from eventhub.mail.services import RenderedEmail, queue_email

    with app.app_context():
        people = [Person(email=f"{run}-{n}@example.org", name=f"Søren Ærø {n}") for n in range(count)]
        db.session.add_all(people)
        db.session.flush()
        html = "<p>Kære Søren, vi ses til mødet i København.</p>" * 20
        for n, person in enumerate(people):
            email = RenderedEmail(subject=f"Påmindelse: møde {n}", text="Kære Søren,\nvi ses.\n" * 10, html=html)
            queue_email(
                dedup_key=f"{run}:{n}",
                kind="bench",
                recipient=person,
                email=email,
                now=utcnow(),
                headers={"List-Unsubscribe": "<https://eventhub.example.org/u/x>"},
            )
        db.session.commit()


def measure(app, count: int, server_count) -> float:
    """Emails per second for sending ``count`` due messages, checked against what the server received."""
    from eventhub.mail.sender import send_all_due

    before = server_count.value
    with app.app_context():
        started = time.perf_counter()
        report = send_all_due(utcnow, "bench", batch_size=100, lease=timedelta(minutes=5))
        elapsed = time.perf_counter() - started
        db.engine.dispose()
    assert report.sent == count, report
    assert server_count.value - before == count, (server_count.value, before, count)
    return count / elapsed


def _sender_process(url: str, instance: Path, port: int) -> None:
    from eventhub.mail.sender import send_all_due

    app = make_app(url, instance, port, None)
    with app.app_context():
        send_all_due(utcnow, f"bench-{os.getpid()}", batch_size=100, lease=timedelta(minutes=5))
        db.engine.dispose()


def measure_parallel(url: str, instance: Path, port: int, count: int, server_count, senders: int) -> float:
    """Emails per second with ``senders`` processes at once (SKIP LOCKED keeps them off each other's rows)."""
    before = server_count.value
    started = time.perf_counter()
    processes = [multiprocessing.Process(target=_sender_process, args=(url, instance, port)) for _ in range(senders)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    assert server_count.value - before == count, (server_count.value, before, count)
    return count / elapsed


def bench_database(
    label: str, url: str, instance: Path, port: int, count: int, server_count
) -> list[tuple[str, str, float]]:
    from flask_migrate import upgrade

    rows = []
    migrate_app = make_app(url, instance, port, None)
    with migrate_app.app_context():
        upgrade()
        db.engine.dispose()
    for mode, max_emails in (("reused connection", None), ("connection per message", 1)):
        app = make_app(url, instance, port, max_emails)
        queue(app, count, f"{label}-{max_emails}".lower())
        rows.append((label, mode, measure(app, count, server_count)))
    if label == "PostgreSQL":
        app = make_app(url, instance, port, None)
        queue(app, count, "parallel")
        rows.append((label, "reused, 2 senders", measure_parallel(url, instance, port, count, server_count, 2)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--database-url", default=os.environ.get("EVENTHUB_TEST_DATABASE_URL"))
    args = parser.parse_args()

    port = free_port()
    count, ready = multiprocessing.Value("i", 0), multiprocessing.Event()
    server = multiprocessing.Process(target=serve_smtp, args=(port, count, ready), daemon=True)
    server.start()
    ready.wait(10)
    results = []
    with tempfile.TemporaryDirectory() as directory:
        instance = Path(directory)
        results += bench_database(
            "SQLite", f"sqlite:///{instance / 'bench.sqlite'}", instance, port, args.messages, count
        )
        if args.database_url:
            url, admin = pg_database(args.database_url)
            try:
                results += bench_database("PostgreSQL", url, instance, port, args.messages, count)
            finally:
                drop_pg_database(admin, url)
    server.terminate()

    print(f"{args.messages} messages per run, batches of 100, aiosmtpd on 127.0.0.1 in its own process\n")
    print(f"| {'database':<10} | {'SMTP connections':<22} | {'emails/s':>8} |")
    print(f"|{'-' * 12}|{'-' * 24}|{'-' * 10}|")
    for label, mode, rate in results:
        print(f"| {label:<10} | {mode:<22} | {rate:>8.0f} |")


if __name__ == "__main__":
    main()
