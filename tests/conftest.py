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
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session, sessionmaker

from eventhub import create_app
from eventhub.extensions import db

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
TRANSLATIONS = Path(__file__).resolve().parents[1] / "eventhub" / "translations"
PG_ENV = "EVENTHUB_TEST_DATABASE_URL"
BACKENDS = ("sqlite", "postgresql")


def postgres_admin_url() -> str | None:
    """The server to create test databases on, as a SQLAlchemy URL with the psycopg 3 driver."""
    url = os.environ.get(PG_ENV)
    if not url:
        return None
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", url)


def _create_postgres_database(admin_url: str) -> str:
    name = f"eventhub_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(admin_url: str, url: str) -> None:
    name = sa.make_url(url).database
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


def make_app(database_url: str, instance_path: Path, **overrides: Any) -> Flask:
    """An app configured for tests (CSRF on, mail to files) on ``database_url``."""
    from config import TestConfig

    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=database_url, SECRET_KEY="test-secret-key-not-for-production")
    config.update(MAIL_SERVER=None, MAIL_SUPPRESS_SEND=False, MAIL_FOLDER=str(instance_path / "mail"))
    config.update(overrides)
    app = create_app(config)
    app.instance_path = str(instance_path)
    return app


def migrate_to_head(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        db.engine.dispose()


def compile_translations() -> None:
    """Compile each .po whose .mo is missing or older (.mo files are build output, not in git; ``make`` makes
    them too). Written to a temporary file and renamed, so parallel test processes never read half a catalogue."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        temporary = mo_path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        os.replace(temporary, mo_path)


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
        urls["postgresql"] = _create_postgres_database(admin)
    for url in urls.values():
        if url:
            migrate_to_head(make_app(url, instance))
    yield urls
    if admin and urls["postgresql"]:
        _drop_postgres_database(admin, urls["postgresql"])


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
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def now() -> datetime:
    """The fixed instant tests run at (services take ``now``; nothing reads the wall clock)."""
    return NOW


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
            email=email or f"person{number}@example.org", name=name or f"Person {number}", organisation=organisation, **kwargs
        )

    return factory


@pytest.fixture
def make_user(app: Flask, make_person: Callable[..., Any]) -> Callable[..., Any]:
    from eventhub.accounts.models import Role
    from eventhub.accounts.services import create_user

    def factory(role: str | Role = Role.MEMBER, email: str | None = None, password: str = "correct horse battery", **kwargs: Any):
        person = make_person(email=email, **kwargs)
        return create_user(person.email, Role(role), password=password)

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
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "the page has no CSRF token field"
    return match.group(1)


@pytest.fixture
def login(client: FlaskClient) -> Callable[..., Any]:
    """``login(user)`` logs the test client in through the real login form."""

    def do_login(user: Any, password: str = "correct horse battery"):
        page = client.get("/login")
        response = client.post(
            "/login", data={"email": user.email, "password": password, "csrf_token": csrf_token_from(page.get_data(as_text=True))}
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
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (pip install playwright)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
