"""What the benchmark scripts share: throwaway databases, migrating them, and counting SQL statements."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from eventhub.extensions import db


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT", "ROLLBACK")):
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def migrate() -> None:
    from flask_migrate import upgrade

    upgrade()


@contextmanager
def sqlite_database(folder: Path) -> Iterator[str]:
    yield f"sqlite:///{folder / 'bench.sqlite'}"


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A database created for this run on ``server_url`` and dropped afterwards, whatever happens."""
    admin = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", server_url)
    name = f"eventhub_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin_sql(admin, f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        admin_sql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def admin_sql(admin_url: str, statement: str) -> None:
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(statement)
    engine.dispose()
