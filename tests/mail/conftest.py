"""Real parts for the outbox tests: an aiosmtpd server on 127.0.0.1, real migrated databases, outbox rows.

The fault tests need real commits seen by other processes, so they use a migrated database of their own (an
SQLite file, or a throwaway PostgreSQL database) instead of the rolled-back ``app`` fixture.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from eventhub.extensions import db
from tests.conftest import (
    NOW,
    _create_postgres_database,
    _drop_postgres_database,
    make_app,
    migrate_to_head,
    postgres_admin_url,
)


def free_port() -> int:
    """A port nobody listens on now (aiosmtpd cannot take port 0: its self-check connects to the port)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    rcpt: list[str]
    raw: bytes

    @property
    def message_id(self) -> str:
        return str(message_from_bytes(self.raw, policy=policy.default)["Message-ID"])


@dataclass
class RecordingHandler:
    """Keeps every message accepted; can refuse recipients and hold the connection after N messages."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # recipient address -> SMTP reply, e.g. "550 ..."
    hold_after: int | None = None  # answer nothing after this many messages until ``release`` is set
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), envelope.content))
            count = len(self.received)
        if self.hold_after is not None and count > self.hold_after:
            self.holding.set()
            deadline = time.monotonic() + 30
            while not self.release.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def message_ids(self) -> list[str]:
        with self.lock:
            return [item.message_id for item in self.received]


class SmtpServer:
    """A real SMTP server on 127.0.0.1; ``start``/``stop`` may be called more than once (same port)."""

    def __init__(self, handler: RecordingHandler | None = None) -> None:
        self.handler = handler or RecordingHandler()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.handler.release.set()
            self.controller.stop()
            self.controller = None

    def wait_for(self, count: int, timeout: float = 20) -> int:
        """Poll (bounded) until ``count`` messages arrived; returns how many did."""
        deadline = time.monotonic() + timeout
        while self.handler.count() < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.handler.count()

    def config(self) -> dict[str, Any]:
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_TIMEOUT_SECONDS": 10}

    def env(self) -> dict[str, str]:
        return {"EVENTHUB_MAIL_SERVER": "127.0.0.1", "EVENTHUB_MAIL_PORT": str(self.port)}


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A started SMTP server that records what it accepts."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def stopped_smtp_server() -> Iterator[SmtpServer]:
    """An SMTP server on a known port that is not listening yet (connections are refused)."""
    server = SmtpServer()
    yield server
    server.stop()


@dataclass
class RealDatabase:
    url: str
    instance: Path

    def app(self, **overrides: Any) -> Flask:
        return make_app(self.url, self.instance, **overrides)

    def env(self) -> dict[str, str]:
        """What a subprocess needs to run ``flask --app eventhub`` on this database."""
        return {
            **os.environ,
            "EVENTHUB_DATABASE_URL": self.url,
            "EVENTHUB_SECRET_KEY": "test-secret-key-not-for-production",
            "EVENTHUB_MAIL_FOLDER": str(self.instance / "mail"),
        }


@pytest.fixture
def sqlite_database(tmp_path: Path) -> RealDatabase:
    """A migrated SQLite file of this test's own: commits are real and other processes see them."""
    database = RealDatabase(f"sqlite:///{tmp_path / 'outbox.sqlite'}", tmp_path)
    migrate_to_head(database.app())
    return database


@pytest.fixture
def postgres_database(tmp_path: Path) -> Iterator[RealDatabase]:
    """A migrated throwaway PostgreSQL database of this test's own (skips without EVENTHUB_TEST_DATABASE_URL)."""
    admin = postgres_admin_url()
    if not admin:
        pytest.skip("needs PostgreSQL: set EVENTHUB_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)")
    url = _create_postgres_database(admin)
    database = RealDatabase(url, tmp_path)
    migrate_to_head(database.app())
    yield database
    _drop_postgres_database(admin, url)


def queue_many(app: Flask, count: int, now: datetime = NOW, prefix: str = "bulk") -> list[str]:
    """Queue ``count`` simple emails to distinct people and commit; returns their Message-IDs."""
    from eventhub.events.models import Person
    from eventhub.mail.services import RenderedEmail, queue_email

    with app.app_context():
        people = [Person(email=f"{prefix}{n}@example.org", name=f"Person {n}") for n in range(count)]
        db.session.add_all(people)
        db.session.flush()
        ids = []
        for n, person in enumerate(people):
            email = RenderedEmail(subject=f"{prefix} {n}", text=f"Hello {n}\n", html=f"<p>Hello {n}</p>")
            row = queue_email(dedup_key=f"{prefix}:{n}", kind="test", recipient=person, email=email, now=now)
            ids.append(row.message_id)
        db.session.commit()
        db.engine.dispose()
    return ids


def outbox_statuses(app: Flask) -> dict[str, int]:
    from eventhub.mail.services import count_by_status

    with app.app_context():
        counts = {status.value: count for status, count in count_by_status().items()}
        db.session.rollback()
        db.engine.dispose()
    return counts


def run_in(app: Flask, function: Callable[[], Any]) -> Any:
    """Run ``function`` in an app context and release the database connections afterwards."""
    with app.app_context():
        try:
            return function()
        finally:
            db.session.remove()
            db.engine.dispose()
