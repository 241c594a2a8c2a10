"""The migrations, on a throwaway database per test and backend: upgrade to head matches the models exactly
(``flask db check`` finds no drift), downgrade to base removes everything, and upgrading again works.

Nothing here names a revision, so the checks hold as later issues add revisions.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade

from eventhub import PROJECT_ROOT
from eventhub.extensions import db
from tests.conftest import PG_ENV, create_postgres_database, drop_postgres_database, make_app, postgres_admin_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own for this test, dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    admin = postgres_admin_url()
    if not admin:
        pytest.skip(f"PostgreSQL run: set {PG_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test) to run it")
    url = create_postgres_database(admin)
    yield url
    drop_postgres_database(admin, url)


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(database_url, tmp_path)
    with app.app_context():
        yield app
        db.engine.dispose()


def table_names() -> set[str]:
    db.engine.dispose()  # a fresh inspector connection sees what the migration just committed
    return set(sa.inspect(db.engine).get_table_names())


def flask_db_check(database_url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``flask --app eventhub db check`` as an operator runs it, configured only by the environment."""
    env = {
        **os.environ,
        "EVENTHUB_DATABASE_URL": database_url,
        "EVENTHUB_SECRET_KEY": "migration-test-not-a-secret",
        "HOME": str(tmp_path),
    }
    command = [sys.executable, "-m", "flask", "--app", "eventhub", "db", "check"]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_migrations_have_one_head():
    script = ScriptDirectory(str(PROJECT_ROOT / "migrations"))
    assert len(script.get_heads()) == 1, script.get_heads()


def test_upgrade_matches_the_models_and_downgrade_removes_everything(app, database_url, tmp_path):
    upgrade()
    assert table_names() == set(db.metadata.tables) | {"alembic_version"}

    check = flask_db_check(database_url, tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr

    downgrade(revision="base")
    assert table_names() == {"alembic_version"}
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            leftovers = connection.scalars(
                sa.text(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = 'public' AND c.relkind IN ('S', 'v', 'm')"
                    " UNION ALL SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
                    " WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd')"
                )
            ).all()
        assert leftovers == [], "sequences, views or types left behind by a downgrade"

    upgrade()
    assert table_names() == set(db.metadata.tables) | {"alembic_version"}


def test_db_check_notices_drift(app, database_url, tmp_path):
    """Guards the check above: a schema that differs from the models must make ``flask db check`` fail."""
    upgrade()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE drift_probe (id INTEGER PRIMARY KEY)")
    check = flask_db_check(database_url, tmp_path)
    assert check.returncode != 0
    assert "drift_probe" in check.stdout + check.stderr
