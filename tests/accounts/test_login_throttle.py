"""Password guessing is slowed down: too many failures for one address or from one client lock logins for a while."""

from datetime import timedelta

import pytest

from eventhub.errors import TooManyRequests
from tests.conftest import csrf_token_from


def post_login(client, email, password, ip="192.0.2.10"):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}, environ_base={"REMOTE_ADDR": ip}
    )


def test_an_address_is_locked_after_too_many_failures_even_with_the_right_password(app, client, make_user):
    app.config["LOGIN_FAILURES_PER_EMAIL"] = 3
    user = make_user(email="organiser@example.org")
    for _ in range(3):
        assert post_login(client, user.email, "wrong password!").status_code == 200
    locked = post_login(client, user.email, "correct horse battery")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.get_data(as_text=True)


def test_unknown_addresses_are_locked_the_same_way(app, client):
    """The lock says nothing about whether an address has an account."""
    app.config["LOGIN_FAILURES_PER_EMAIL"] = 2
    for _ in range(2):
        post_login(client, "nobody@example.org", "guess guess guess")
    assert post_login(client, "nobody@example.org", "guess guess guess").status_code == 429


def test_one_client_cannot_spray_many_addresses(app, client, make_user):
    app.config["LOGIN_FAILURES_PER_IP"] = 4
    user = make_user(email="admin@example.org")
    for n in range(4):
        post_login(client, f"someone{n}@example.org", "wrong password!", ip="198.51.100.9")
    assert post_login(client, user.email, "correct horse battery", ip="198.51.100.9").status_code == 429
    assert post_login(client, user.email, "correct horse battery", ip="198.51.100.10").status_code == 302


def test_failures_older_than_the_window_no_longer_count(app, now):
    """The same two failures lock the address inside the window and no longer count once they are older than it."""
    from eventhub.accounts import throttle

    app.config["LOGIN_FAILURES_PER_EMAIL"] = 2
    for _ in range(2):
        throttle.begin_login_attempt("member@example.org", "192.0.2.1", now - timedelta(minutes=16))
    throttle.check_login_allowed(throttle.begin_login_attempt("member@example.org", "192.0.2.1", now))  # allowed
    throttle.begin_login_attempt("member@example.org", "192.0.2.1", now - timedelta(minutes=14))
    with pytest.raises(TooManyRequests):  # the positive control: failures inside the window do lock
        throttle.check_login_allowed(throttle.begin_login_attempt("member@example.org", "192.0.2.1", now))


def test_successful_logins_do_not_count(app, client, make_user):
    app.config["LOGIN_FAILURES_PER_EMAIL"] = 2
    user = make_user(email="organiser@example.org")
    for _ in range(3):
        assert post_login(client, user.email, "correct horse battery").status_code == 302
        address = {"REMOTE_ADDR": "192.0.2.10"}  # the session is bound to the client it was made for
        token = csrf_token_from(client.get("/account", environ_base=address).get_data(as_text=True))
        client.post("/logout", data={"csrf_token": token}, environ_base=address)
    assert post_login(client, user.email, "wrong password!").status_code == 200


def test_refused_attempts_do_not_prolong_the_lock(app, client, make_user, frozen_clock):
    app.config["LOGIN_FAILURES_PER_EMAIL"] = 2
    user = make_user(email="organiser@example.org")
    for _ in range(2):
        post_login(client, user.email, "wrong password!")
    frozen_clock.advance(timedelta(minutes=10))
    assert post_login(client, user.email, "correct horse battery").status_code == 429
    frozen_clock.advance(timedelta(minutes=5, seconds=1))  # a quarter of an hour after the failures
    assert post_login(client, user.email, "correct horse battery").status_code == 302
