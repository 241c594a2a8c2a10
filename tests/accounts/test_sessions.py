"""Logging out, a new password, a new role and deactivation end an account's sessions: a copy of the session
cookie taken before is anonymous afterwards (the cookie is signed, so only the server can take it back)."""

import pytest

from eventhub.accounts.auth import user_for_session_id
from eventhub.extensions import db
from tests.conftest import csrf_token_from

EMAIL = "organiser@example.org"


@pytest.fixture
def user(make_user):
    user = make_user("organiser", email=EMAIL)
    db.session.commit()
    return user


def copied_cookie(client, login, user) -> str:
    login(user)
    return client.get_cookie("session").value


def replayed_is_logged_in(app, cookie: str) -> bool:
    """Whether another browser holding ``cookie`` is logged in (the account page answers it, not a redirect)."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/account").status_code == 200


def log_out(app, client):
    token = csrf_token_from(client.get("/account").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def run_cli(app, client, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output


ACTIONS = {
    "logout": log_out,
    "set-password": lambda app, client: run_cli(
        app, client, "users", "set-password", EMAIL, "--password", "a new long password"
    ),
    "set-role": lambda app, client: run_cli(app, client, "users", "set-role", EMAIL, "admin"),
    "deactivate": lambda app, client: run_cli(app, client, "users", "deactivate", EMAIL),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_a_copied_session_cookie_stops_working(app, client, login, user, action):
    cookie = copied_cookie(client, login, user)
    assert replayed_is_logged_in(app, cookie)  # the copy works until the action

    ACTIONS[action](app, client)

    assert not replayed_is_logged_in(app, cookie)


def test_other_actions_leave_sessions_alone(app, client, login, user):
    cookie = copied_cookie(client, login, user)
    run_cli(app, client, "users", "set-role", EMAIL, "organiser")  # the same role: nothing changes
    run_cli(app, client, "tokens", "create", EMAIL, "--name", "script")
    assert replayed_is_logged_in(app, cookie)


def test_logging_in_again_after_a_new_password_works(app, client, login, user):
    copied_cookie(client, login, user)
    run_cli(app, client, "users", "set-password", EMAIL, "--password", "a new long password")
    assert client.get("/account").status_code == 302
    login(user, password="a new long password")
    assert client.get("/account").status_code == 200


def test_a_reactivated_account_does_not_revive_old_sessions(app, client, login, user):
    cookie = copied_cookie(client, login, user)
    run_cli(app, client, "users", "deactivate", EMAIL)
    run_cli(app, client, "users", "activate", EMAIL)
    assert not replayed_is_logged_in(app, cookie)


@pytest.mark.parametrize("session_id", ["", "1", "x:0", "1:", "1:x", ":0"])
def test_malformed_or_unversioned_session_ids_belong_to_nobody(user, session_id):
    assert user_for_session_id(session_id.replace("1", str(user.id))) is None
    assert user_for_session_id(f"{user.id}:{user.session_version}") is user
