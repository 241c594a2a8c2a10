"""The scheduler tests reuse the outbox tests' real parts (SMTP server, real databases)."""

from tests.mail.conftest import postgres_database, smtp_server, sqlite_database  # noqa: F401
