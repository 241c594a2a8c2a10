"""The planner lease: one holder at a time, on SQLite and PostgreSQL; expiry or release hands it over."""

from __future__ import annotations

from datetime import timedelta

from eventhub.extensions import db
from eventhub.scheduler.lease import acquire_lease, release_lease
from eventhub.scheduler.models import JobLease

TTL = timedelta(minutes=5)


def test_first_holder_wins_and_others_are_refused(app, now):
    assert acquire_lease("reminder-planner", "w1", now, TTL) is True
    db.session.commit()
    assert acquire_lease("reminder-planner", "w2", now + timedelta(minutes=1), TTL) is False
    assert db.session.get(JobLease, "reminder-planner").holder == "w1"


def test_holder_renews_its_own_lease(app, now):
    acquire_lease("reminder-planner", "w1", now, TTL)
    assert acquire_lease("reminder-planner", "w1", now + timedelta(minutes=4), TTL) is True
    db.session.commit()
    assert acquire_lease("reminder-planner", "w2", now + timedelta(minutes=8), TTL) is False  # renewed until 9:00


def test_expired_lease_is_taken_over(app, now):
    acquire_lease("reminder-planner", "w1", now, TTL)
    db.session.commit()
    assert acquire_lease("reminder-planner", "w2", now + TTL, TTL) is True
    db.session.commit()
    assert acquire_lease("reminder-planner", "w1", now + TTL + timedelta(seconds=1), TTL) is False
    db.session.expire_all()
    assert db.session.get(JobLease, "reminder-planner").holder == "w2"


def test_released_lease_is_free_at_once(app, now):
    acquire_lease("reminder-planner", "w1", now, TTL)
    release_lease("reminder-planner", "w1", now + timedelta(seconds=10))
    db.session.commit()
    assert acquire_lease("reminder-planner", "w2", now + timedelta(seconds=10), TTL) is True


def test_leases_are_independent_by_name(app, now):
    assert acquire_lease("reminder-planner", "w1", now, TTL)
    assert acquire_lease("something-else", "w2", now, TTL)


def test_lease_created_concurrently_is_not_taken_twice(app, now):
    """The insert path: a row that appears between our UPDATE and INSERT makes the INSERT fail, not win."""
    from sqlalchemy import event

    def other_worker_inserts_first(session, flush_context, instances):
        if any(isinstance(obj, JobLease) and obj.holder == "w2" for obj in session.new):
            session.execute(
                JobLease.__table__.insert().values(name="reminder-planner", holder="w1", expires_at=now + TTL)
            )

    event.listen(db.session, "before_flush", other_worker_inserts_first)
    try:
        assert acquire_lease("reminder-planner", "w2", now, TTL) is False
    finally:
        event.remove(db.session, "before_flush", other_worker_inserts_first)
