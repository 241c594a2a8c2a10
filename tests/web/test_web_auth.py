"""Login, logout, the account page and API tokens, through the real forms with CSRF tokens."""

import pytest
import sqlalchemy as sa

from eventhub.accounts.models import ApiToken
from eventhub.extensions import db
from tests.conftest import csrf_token_from
from tests.web.conftest import text_of


def post_login(client, email, password, path="/login"):
    token = csrf_token_from(text_of(client.get(path)))
    return client.post(path, data={"email": email, "password": password, "csrf_token": token})


def test_login_with_right_password_logs_in(client, make_user, commit):
    user = make_user("member", email="Ada@Example.org", name="Ada Lovelace")
    commit()

    response = post_login(client, "ada@example.org", "correct horse battery")

    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Ada Lovelace" in text_of(client.get("/account"))
    assert user.last_login_at is not None


@pytest.mark.parametrize(
    "email, password", [("ada@example.org", "wrong password!"), ("nobody@example.org", "correct horse battery")]
)
def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_user, commit, email, password):
    make_user("member", email="ada@example.org")
    commit()

    response = post_login(client, email, password)

    assert response.status_code == 200
    page = text_of(response)
    assert "Wrong email or password." in page
    assert 'name="password"' in page
    assert client.get("/account").status_code == 302


def test_login_without_csrf_token_is_refused(client, make_user, commit):
    make_user("member", email="ada@example.org")
    commit()

    response = client.post("/login", data={"email": "ada@example.org", "password": "correct horse battery"})

    assert response.status_code == 400
    assert client.get("/account").status_code == 302


def test_login_follows_local_next(client, make_user, commit):
    make_user("member", email="ada@example.org")
    commit()

    assert client.get("/account").headers["Location"] == "/login?next=%2Faccount"
    response = post_login(client, "ada@example.org", "correct horse battery", path="/login?next=%2Faccount")

    assert response.headers["Location"] == "/account"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "/\\evil.example.com",
        "/\t/evil.example.com",
        "javascript:alert(1)",
    ],
)
def test_no_open_redirect_through_next(client, make_user, commit, target):
    make_user("member", email="ada@example.org")
    commit()

    token = csrf_token_from(text_of(client.get("/login")))
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "ada@example.org", "password": "correct horse battery", "csrf_token": token},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_logout_needs_post_with_csrf(client, make_user, login, commit):
    user = make_user("member")
    commit()
    login(user)

    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200

    token = csrf_token_from(text_of(client.get("/account")))
    response = client.post("/logout", data={"csrf_token": token})

    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_account_page_shows_who_you_are(client, make_user, login, commit):
    user = make_user("organiser", email="org@example.org", name="Olga Organiser")
    commit()
    login(user)

    page = text_of(client.get("/account"))

    assert "Olga Organiser" in page and "org@example.org" in page and "Organiser" in page
    assert "You have no API tokens." in page


def test_create_token_shows_it_once_and_lists_it(client, make_user, login, commit):
    user = make_user("member")
    commit()
    login(user)
    token = csrf_token_from(text_of(client.get("/account")))

    response = client.post("/account/tokens", data={"name": "minutes import", "csrf_token": token})

    assert response.status_code == 200
    page = text_of(response)
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    plaintext = page.split('<code id="new-token">')[1].split("</code>")[0]
    assert plaintext.startswith(row.prefix) and len(plaintext) > 30
    later = text_of(client.get("/account"))
    assert plaintext not in later
    assert row.prefix in later and "minutes import" in later


def test_revoke_token(client, make_user, login, commit):
    from eventhub.accounts.services import create_api_token

    user = make_user("member")
    token_row, _ = create_api_token(user, "old script")
    commit()
    login(user)
    csrf = csrf_token_from(text_of(client.get("/account")))

    response = client.post(f"/account/tokens/{token_row.id}/revoke", data={"csrf_token": csrf})

    assert response.status_code == 302
    db.session.refresh(token_row)
    assert token_row.revoked_at is not None
    assert "old script" not in text_of(client.get("/account"))


def test_cannot_revoke_someone_elses_token(client, make_user, login, commit):
    from eventhub.accounts.services import create_api_token

    owner = make_user("member")
    token_row, _ = create_api_token(owner, "theirs")
    intruder = make_user("member")
    commit()
    login(intruder)
    csrf = csrf_token_from(text_of(client.get("/account")))

    response = client.post(f"/account/tokens/{token_row.id}/revoke", data={"csrf_token": csrf})

    assert response.status_code == 404
    db.session.refresh(token_row)
    assert token_row.revoked_at is None


def test_token_name_is_required(client, make_user, login, commit):
    user = make_user("member")
    commit()
    login(user)
    csrf = csrf_token_from(text_of(client.get("/account")))

    response = client.post("/account/tokens", data={"name": "  ", "csrf_token": csrf})

    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
