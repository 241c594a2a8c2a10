"""Plain helpers the fixtures and a few tests share: the suite's fixed instant, test apps, migrated and throwaway
databases, compiled translations. No fixtures here (those are in tests/conftest.py and tests/fixtures/)."""

from __future__ import annotations

import os
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import make_server

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


def create_postgres_database(admin_url: str) -> str:
    name = f"eventhub_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(admin_url: str, url: str) -> None:
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


def browser_app(instance: Path, **overrides: Any) -> Flask:
    """An app for a browser test: its catalogues compiled and a migrated SQLite file in ``instance``, shared by the
    server's threads."""
    compile_translations()
    engine = {"connect_args": {"check_same_thread": False}}
    app = make_app(f"sqlite:///{instance / 'e2e.sqlite'}", instance, SQLALCHEMY_ENGINE_OPTIONS=engine, **overrides)
    migrate_to_head(app)
    return app


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free local port in a thread and yield its base URL, set as BASE_URL first so that the
    links of emails (also of those the caller's seed data sends) point at this server."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["BASE_URL"] = base_url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        thread.join(timeout=5)
