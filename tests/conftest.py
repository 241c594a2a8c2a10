"""Test fixtures: a fresh app per test on SQLite and (when configured) PostgreSQL, isolated by a rolled-back
outer transaction, plus factories that return functions.

Every test that takes ``app`` (directly or through ``client``, ``make_event``, ...) runs once per database
backend. The PostgreSQL run needs ``EVENTHUB_TEST_DATABASE_URL`` (``.ci/run`` sets it) and skips without it.
Each test run creates its own databases (an SQLite file, a PostgreSQL database named after the process)
and drops them at the end, so runs never see each other's rows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session, sessionmaker

from eventhub.extensions import db
from tests.support import (  # noqa: F401 (tests import these from here)
    BACKENDS,
    NOW,
    PG_ENV,
    TRANSLATIONS,
    compile_translations,
    create_postgres_database,
    drop_postgres_database,
    make_app,
    migrate_to_head,
    postgres_admin_url,
)

pytest_plugins = ("tests.fixtures.api", "tests.fixtures.mail", "tests.fixtures.meetings")
NOT_QUERIES = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Every test sees the Danish catalogue, whichever area it belongs to."""
    compile_translations()


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str | None]]:
    """One migrated database per backend for the whole run; PostgreSQL only when configured."""
    instance = tmp_path_factory.mktemp("instance")
    urls: dict[str, str | None] = {"sqlite": f"sqlite:///{instance / 'test.sqlite'}", "postgresql": None}
    admin = postgres_admin_url()
    if admin:
        urls["postgresql"] = create_postgres_database(admin)
    for url in urls.values():
        if url:
            migrate_to_head(make_app(url, instance))
    yield urls
    if admin and urls["postgresql"]:
        drop_postgres_database(admin, urls["postgresql"])


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend of this run of the test."""
    if request.param == "postgresql" and not os.environ.get(PG_ENV):
        pytest.skip(f"PostgreSQL run: set {PG_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test) to run it")
    return request.param


@pytest.fixture
def app(backend: str, database_urls: dict[str, str | None], tmp_path: Path) -> Iterator[Flask]:
    """A fresh app whose every database change is rolled back after the test.

    The session joins an outer transaction through SAVEPOINTs (``join_transaction_mode="create_savepoint"``),
    so code under test may commit and roll back as it does in production.
    """
    app = make_app(database_urls[backend], tmp_path)
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original_session = db.session
        db.session = scoped_session(sessionmaker(bind=connection, join_transaction_mode="create_savepoint"))
        try:
            yield app
        finally:
            db.session.remove()
            db.session = original_session
            outer.rollback()
            connection.close()
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    """A test client whose every request starts with an empty ``g``, as in production.

    The requests run inside the test's app context (the session's outer transaction lives there), so without
    this they would share its ``g``: the first request's language and logged-in user would stick.
    """

    def fresh_g(sender: Flask, **extra: Any) -> None:
        for name in list(vars(g)):
            delattr(g, name)

    request_started.connect(fresh_g, app)
    try:
        yield app.test_client()
    finally:
        request_started.disconnect(fresh_g, app)


@pytest.fixture
def now() -> datetime:
    """The fixed instant tests run at (services take ``now``; nothing reads the wall clock)."""
    return NOW


class FrozenClock:
    """What ``eventhub.clock.now()`` answers during a test; ``set`` and ``advance`` move it."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch, now: datetime) -> FrozenClock:
    """Every view, API handler, command and job reads ``eventhub.clock.now()``: pinned here to the suite's ``now``
    for every test (the browser tests' servers included: they run in this process), so a new view cannot escape
    the freeze. Code that must see real time passing (the mail sender's leases) reads ``eventhub.db.utcnow``."""
    clock = FrozenClock(now)
    monkeypatch.setattr("eventhub.clock.now", clock.now)
    return clock


@pytest.fixture
def commit(app: Flask) -> Callable[[], None]:
    """Commit the factories' rows (into the test's SAVEPOINT) so requests see them."""
    return db.session.commit


class QueryCounter:
    """SQL statements sent to the database (transaction control left out)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.lstrip().upper().startswith(NOT_QUERIES):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """``with count_queries() as counter:`` counts the statements sent inside the block (``counter.count``)."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", counter)

    return counting


# -------------------------------------------------------------------------------------------------------------
# Factories
# -------------------------------------------------------------------------------------------------------------


@pytest.fixture
def make_person(app: Flask) -> Callable[..., Any]:
    from eventhub.events.people import get_or_create_person

    counter = iter(range(1, 100_000))

    def factory(email: str | None = None, name: str | None = None, organisation: str | None = None, **kwargs: Any):
        number = next(counter)
        return get_or_create_person(
            email=email or f"person{number}@example.org",
            name=name or f"Person {number}",
            organisation=organisation,
            **kwargs,
        )

    return factory


@pytest.fixture
def make_user(app: Flask, make_person: Callable[..., Any]) -> Callable[..., Any]:
    from eventhub.accounts.models import Role
    from eventhub.accounts.services import create_user

    def factory(
        role: str | Role = Role.MEMBER, email: str | None = None, password: str = "correct horse battery", **kwargs: Any
    ):
        person = make_person(email=email, **kwargs)
        return create_user(person.email, Role(role), password=password)

    return factory


def grant_organiser(user: Any, *things: Any) -> Any:
    """Make ``user`` manage each of ``things``: an organiser membership of a series (of an event's series), and
    creator of an event without a series. Returns ``user``."""
    from eventhub.events.models import Event, MembershipRole, SeriesMembership

    for thing in things:
        series = thing.series if isinstance(thing, Event) else thing
        if series is None:
            thing.created_by_id = user.id
        else:
            db.session.add(SeriesMembership(series=series, person_id=user.person_id, role=MembershipRole.ORGANISER))
    db.session.flush()
    return user


@pytest.fixture
def make_organiser(app: Flask, make_user: Callable[..., Any]) -> Callable[..., Any]:
    """``make_organiser(*series_or_events, **user_fields)``: an account with the role organiser that manages what it
    is given (``grant_organiser``). Nothing given: an organiser of nothing here (another network's organiser)."""

    def factory(*things: Any, **user_fields: Any):
        return grant_organiser(make_user("organiser", **user_fields), *things)

    return factory


@pytest.fixture
def make_series(app: Flask) -> Callable[..., Any]:
    from eventhub.events.services import create_series

    counter = iter(range(1, 100_000))

    def factory(slug: str | None = None, title: str | None = None, visibility: str = "public", description: str = ""):
        number = next(counter)
        return create_series(slug or f"series-{number}", title or f"Series {number}", description, visibility)

    return factory


@pytest.fixture
def make_event(app: Flask, now: datetime) -> Callable[..., Any]:
    from eventhub.events.services import EventInput, create_event

    def factory(**overrides: Any):
        start = overrides.pop("starts_at", now + timedelta(days=30))
        values = {
            "title": "Buy Social Taskforce Danmark meeting",
            "kind": "meeting",
            "timezone": "Europe/Copenhagen",
            "starts_at": start,
            "ends_at": overrides.pop("ends_at", None) or start + timedelta(minutes=90),
        }
        values.update(overrides)
        return create_event(EventInput(**values), now=now)

    return factory


@pytest.fixture
def api_token(app: Flask, make_user: Callable[..., Any]) -> Callable[..., str]:
    """``api_token(role)`` creates a user with that role and returns a bearer token for them."""
    from eventhub.accounts.services import create_api_token

    def factory(role: str = "admin", **kwargs: Any) -> str:
        user = make_user(role, **kwargs)
        _, token = create_api_token(user, "test")
        db.session.flush()
        return token

    return factory


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "the page has no CSRF token field"
    return match.group(1)


@pytest.fixture
def login(client: FlaskClient) -> Callable[..., Any]:
    """``login(user)`` logs the test client in through the real login form."""

    def do_login(user: Any, password: str = "correct horse battery"):
        page = client.get("/login")
        response = client.post(
            "/login",
            data={
                "email": user.email,
                "password": password,
                "csrf_token": csrf_token_from(page.get_data(as_text=True)),
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_login


# -------------------------------------------------------------------------------------------------------------
# The one browser of the session (Playwright's sync API allows a single running instance per thread, so every
# browser test shares this fixture; a second sync_playwright() elsewhere would fail).
# -------------------------------------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, launched once; skips with the reason where it is not installed."""
    import shutil

    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="browser tests need playwright (pip install playwright)"
    )
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
