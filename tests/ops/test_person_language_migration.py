"""Revision 0022_person_language_null: people.language may be NULL (none given); going back stores "en" again,
as eventhub did before it, so the older code's NOT NULL holds."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from eventhub.extensions import db
from tests.ops.test_migrations import app, database_url  # noqa: F401 (fixtures: a throwaway database per backend)

REVISION = "0022_person_language_null"


def _insert_person(connection: sa.Connection, email: str, language: str | None) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO people (name, email, language, timezone, reminders_enabled, created_at, updated_at)"
            " VALUES ('P', :email, :language, 'Europe/Brussels', :yes, :at, :at)"
        ),
        {"email": email, "language": language, "yes": True, "at": "2026-12-06 05:00:00+00:00"},
    )


def test_downgrade_turns_no_language_into_english_and_upgrade_allows_none_again(app):  # noqa: F811
    upgrade(revision=REVISION)
    with db.engine.begin() as connection:
        _insert_person(connection, "none@example.org", None)
        _insert_person(connection, "da@example.org", "da")

    downgrade(revision="-1")
    db.engine.dispose()
    with db.engine.connect() as connection:
        languages = dict(connection.execute(sa.text("SELECT email, language FROM people")).all())
    assert languages == {"none@example.org": "en", "da@example.org": "da"}

    upgrade(revision=REVISION)
    with db.engine.begin() as connection:
        _insert_person(connection, "again@example.org", None)
