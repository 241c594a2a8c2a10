"""The database storage beside a sweep, on a real PostgreSQL database with two sessions at once (two workers, or
a web process and a worker): a saved-again blob's row lock makes the sweep's DELETE wait, and a DELETE in
progress makes the upload's save wait and then store the bytes anew. ``lock_timeout`` turns "would wait" into
an error the test can see, so nothing sleeps."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.materials.models import MaterialBlob
from eventhub.materials.storage import DatabaseStorage, content_key
from eventhub.materials.sweep import GRACE, sweep_files
from tests.materials.conftest import PDF
from tests.support import NOW

LATER = NOW + GRACE + timedelta(minutes=1)


@pytest.fixture(autouse=True)
def materials_storage():
    """This module makes its own app (the package's autouse fixture would ask for the transactional one)."""


@pytest.fixture
def database_app(postgres_database):
    app = postgres_database.app(MATERIALS_STORAGE="database")
    with app.app_context():
        db.session.add(MaterialBlob(key=content_key(PDF), data=PDF, size=len(PDF), created_at=NOW))
        db.session.commit()  # stored an hour and more ago, used by no material
    return app


def _impatient() -> None:
    db.session.execute(sa.text("SET LOCAL lock_timeout = '200ms'"))


def test_a_sweep_waits_for_an_upload_saving_the_same_bytes_and_then_keeps_them(database_app):
    with database_app.app_context():
        DatabaseStorage().save(PDF, LATER)  # an upload in flight: saved again, its row not committed yet
        with database_app.app_context():
            _impatient()
            with pytest.raises(sa.exc.OperationalError, match="lock timeout"):
                sweep_files(LATER, DatabaseStorage())  # would wait for the upload
            db.session.rollback()
        db.session.commit()
    with database_app.app_context():
        assert sweep_files(LATER, DatabaseStorage()) == []
        db.session.commit()
        assert DatabaseStorage().read(content_key(PDF)) == PDF


def test_an_upload_waits_for_a_sweep_removing_the_same_bytes_and_then_stores_them_anew(database_app):
    with database_app.app_context():
        assert [found.key for found in sweep_files(LATER, DatabaseStorage())] == [content_key(PDF)]
        with database_app.app_context():
            _impatient()
            with pytest.raises(sa.exc.OperationalError, match="lock timeout"):
                DatabaseStorage().save(PDF, LATER)  # would wait for the sweep
            db.session.rollback()
        db.session.commit()
    with database_app.app_context():
        DatabaseStorage().save(PDF, LATER)
        db.session.commit()
        assert DatabaseStorage().read(content_key(PDF)) == PDF
