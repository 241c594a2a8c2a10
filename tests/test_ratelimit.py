"""The database-backed rate limiter both the login throttle and the invitation-request form use."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub import ratelimit
from eventhub.errors import TooManyRequests
from eventhub.extensions import db


def test_a_key_is_refused_once_its_attempts_in_the_window_are_used_up(app, now):
    limits = {"ip:10.0.0.1": ratelimit.Limit(2, timedelta(hours=1))}
    ratelimit.record_attempts("demo", ["ip:10.0.0.1"], now - timedelta(hours=2))  # outside the window
    ratelimit.record_attempts("demo", ["ip:10.0.0.1"], now - timedelta(minutes=5))
    ratelimit.check_limits("demo", limits, now, "slow down")
    ratelimit.record_attempts("demo", ["ip:10.0.0.1"], now)
    with pytest.raises(TooManyRequests) as error:
        ratelimit.check_limits("demo", limits, now, "slow down")
    assert error.value.status == 429 and error.value.message == "slow down"


def test_scopes_count_separately(app, now):
    ratelimit.record_attempts("login", ["ip:10.0.0.1"], now)
    assert ratelimit.count_attempts("login", "ip:10.0.0.1", now - timedelta(minutes=1)) == 1
    assert ratelimit.count_attempts("invitation-request", "ip:10.0.0.1", now - timedelta(minutes=1)) == 0


def test_pruning_one_scope_leaves_the_other_scopes_rows(app, now):
    old = now - timedelta(days=3)
    ratelimit.record_attempts("login", ["email:a@example.org"], old)
    ratelimit.record_attempts("invitation-request", ["email:a@example.org"], old)
    assert ratelimit.prune_attempts("invitation-request", now - timedelta(days=1)) == 1
    scopes = db.session.scalars(sa.select(ratelimit.RateLimitAttempt.scope))
    assert list(scopes) == ["login"]


def test_a_request_for_an_invitation_does_not_forget_login_failures(app, make_event, now):
    from eventhub.accounts import throttle
    from eventhub.registration.invitation_requests import RequestInput, submit_request

    event = make_event(invitation_only=True, starts_at="2027-02-01T14:00:00", ends_at="2027-02-01T15:00:00")
    throttle.begin_login_attempt("a@example.org", "10.0.0.9", now - timedelta(minutes=1))
    submit_request(event, RequestInput("Bea", "b@example.org"), "10.0.0.1", now + timedelta(days=5))
    assert ratelimit.count_attempts(throttle.SCOPE, "email:a@example.org", now - timedelta(minutes=15)) == 1


def test_the_request_limits_come_from_the_configuration(app, make_event, now):
    from eventhub.registration.invitation_requests import RequestInput, submit_request

    app.config["REQUEST_LIMIT_PER_EMAIL"] = (1, 3600)
    event = make_event(invitation_only=True, starts_at="2027-02-01T14:00:00", ends_at="2027-02-01T15:00:00")
    submit_request(event, RequestInput("Bea", "b@example.org"), "10.0.0.1", now)
    with pytest.raises(TooManyRequests):
        submit_request(event, RequestInput("Bea", "b@example.org"), "10.0.0.2", now)
