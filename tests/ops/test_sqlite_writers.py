"""SQLite with two writers in one process (what ``make run`` does: web, sender and planner threads)."""

import threading

import sqlalchemy as sa

from eventhub.extensions import db
from tests.conftest import make_app, migrate_to_head


def test_a_transaction_that_reads_then_writes_waits_for_another_writer_instead_of_failing(tmp_path):
    """With deferred transactions the second one reads, the first commits, and the second's write fails at once
    with "database is locked"; transactions that take the write lock when they begin simply wait their turn."""
    app = make_app(f"sqlite:///{tmp_path / 'writers.sqlite'}", tmp_path)
    migrate_to_head(app)
    first_has_written, second_has_read, first_committed = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first_writer() -> None:
        with app.app_context(), db.engine.connect() as connection:
            with connection.begin():
                connection.execute(sa.text("INSERT INTO job_leases (name) VALUES ('a')"))
                first_has_written.set()
                second_has_read.wait(2)  # a deferred second transaction reads now; an immediate one cannot begin
            first_committed.set()

    def reader_then_writer() -> None:
        try:
            with app.app_context(), db.engine.connect() as connection:
                first_has_written.wait(5)
                with connection.begin():
                    connection.execute(sa.text("SELECT count(*) FROM job_leases")).scalar()
                    second_has_read.set()
                    first_committed.wait(5)
                    connection.execute(sa.text("INSERT INTO job_leases (name) VALUES ('b')"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=first_writer), threading.Thread(target=reader_then_writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert errors == []
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM job_leases")) == 2
        db.engine.dispose()
