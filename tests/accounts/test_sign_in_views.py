"""The pages of getting in without a password: "Email me a sign-in link" on /login, the link's "Sign in" button,
the set-password link an admin sends from /admin/users, and setting a password on /account."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.accounts import links, services
from eventhub.accounts.models import LinkPurpose, Role, SignInLink, User
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from tests.accounts.link_support import link_in, tokens_in
from tests.accounts.test_sessions import replayed_is_logged_in
from tests.conftest import csrf_token_from


def page(response) -> str:
    return response.get_data(as_text=True)


def csrf(client, path: str = "/login") -> str:
    return csrf_token_from(page(client.get(path)))


def ask_for_link(client, email: str, next_path: str = "", ip: str = "192.0.2.10"):
    data = {"link-email": email, "link-next": next_path, "csrf_token": csrf(client)}
    return client.post("/login/link", data=data, environ_base={"REMOTE_ADDR": ip})


def emailed(kind: str = "sign_in_link") -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)))


def issue(person, purpose=LinkPurpose.SIGN_IN, target="/account", now=None) -> str:
    from tests.support import NOW

    _link, token = links.issue_link(person, purpose, now or NOW, target)
    db.session.commit()
    return token


def sign_in(client, token: str):
    return client.post(f"/sign-in/{token}", data={"csrf_token": csrf(client, f"/sign-in/{token}")})


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


# --- asking for a link --------------------------------------------------------------------------------------------


def test_the_login_page_offers_a_sign_in_link_that_keeps_where_the_visitor_was_going(client):
    html = page(client.get("/login?next=/series/bstf/minutes/3"))
    assert 'href="/login/link?next=/series/bstf/minutes/3">Email me a sign-in link</a>' in html
    form = page(client.get("/login/link?next=/series/bstf/minutes/3&email=mette@example.org"))
    assert 'name="link-next" type="hidden" value="/series/bstf/minutes/3"' in form
    assert 'value="mette@example.org"' in form


def test_known_and_unknown_addresses_get_the_same_answer(client, make_person, commit):
    make_person(email="mette@example.org")
    commit()
    known, unknown = ask_for_link(client, "mette@example.org"), ask_for_link(client, "nobody@example.org")
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    assert known.headers["Location"] == "/login/link/sent"
    assert "If eventhub knows this address" in page(client.get("/login/link/sent"))
    assert [message.recipient_email for message in emailed()] == ["mette@example.org"]


def test_the_link_leads_back_to_the_page_that_asked_for_a_login_and_never_elsewhere(client, make_person, commit):
    make_person(email="mette@example.org")
    commit()
    ask_for_link(client, "mette@example.org", "/series/bstf/minutes/3")
    ask_for_link(client, "mette@example.org", "https://evil.example/phish")
    first, second = emailed()
    assert link_in(first.body_text).target == "/series/bstf/minutes/3"
    assert link_in(second.body_text).target == "/"


def test_asking_needs_a_csrf_token(client, make_person, commit):
    make_person(email="mette@example.org")
    commit()
    assert client.post("/login/link", data={"link-email": "mette@example.org"}).status_code == 400
    assert emailed() == []


def test_too_many_requests_for_one_address_are_refused_whoever_it_is(app, client, make_person, commit):
    app.config["SIGN_IN_LINK_LIMIT_PER_EMAIL"] = (2, 900)
    make_person(email="mette@example.org")
    commit()
    for address in ("mette@example.org", "nobody@example.org"):
        assert [ask_for_link(client, address).status_code for _ in range(3)] == [302, 302, 429]
    assert "Too many sign-in links" in page(ask_for_link(client, "nobody@example.org"))
    assert len(emailed()) == 2


def test_one_client_cannot_ask_for_links_for_many_addresses(app, client):
    app.config["SIGN_IN_LINK_LIMIT_PER_IP"] = (3, 3600)
    codes = [ask_for_link(client, f"p{n}@example.org", ip="198.51.100.7").status_code for n in range(4)]
    assert codes == [302, 302, 302, 429]
    assert ask_for_link(client, "p9@example.org", ip="198.51.100.8").status_code == 302


# --- using a link ---------------------------------------------------------------------------------------------------


def test_opening_a_link_uses_nothing_and_the_button_signs_in(client, make_person, commit):
    """Mail scanners open links: only the button (a POST with a CSRF token) uses the link."""
    person = make_person(email="mette@example.org", name="Mette Jensen")
    commit()
    token = issue(person, target="/series/bstf/minutes/3")
    for _ in range(2):
        html = page(client.get(f"/sign-in/{token}"))
        assert "Mette Jensen" in html and '<button type="submit" class="button">Sign in</button>' in html
    assert not signed_in(client)

    response = sign_in(client, token)

    assert response.status_code == 302 and response.headers["Location"] == "/series/bstf/minutes/3"
    assert signed_in(client)
    user = db.session.scalar(sa.select(User).where(User.person_id == person.id))
    assert user.role == Role.MEMBER and user.password_hash is None


def test_the_button_needs_a_csrf_token(client, make_person, commit):
    token = issue(make_person())
    assert client.post(f"/sign-in/{token}").status_code == 400
    assert not signed_in(client)
    db.session.expire_all()
    assert db.session.scalar(sa.select(SignInLink.used_at)) is None


def test_a_used_link_offers_a_new_one_prefilled(client, app, make_person, commit):
    person = make_person(email="mette@example.org")
    commit()
    token = issue(person, LinkPurpose.PERSONAL, "/events/7/minutes/comments")
    sign_in(client, token)
    other_browser = app.test_client()

    response = other_browser.get(f"/sign-in/{token}")

    html = page(response)
    assert response.status_code == 410 and "This link has expired or was already used" in html
    assert 'value="mette@example.org"' in html and 'value="/events/7/minutes/comments"' in html
    assert 'action="/login/link"' in html


def test_a_used_link_opened_again_in_the_same_browser_goes_straight_to_its_page(client, make_person, commit):
    token = issue(make_person(), LinkPurpose.PERSONAL, "/account")
    sign_in(client, token)
    response = client.get(f"/sign-in/{token}")
    assert response.status_code == 302 and response.headers["Location"] == "/account"


def test_an_expired_link_says_so(client, make_person, commit, frozen_clock):
    token = issue(make_person(), now=frozen_clock.now())
    frozen_clock.advance(timedelta(minutes=15))
    assert client.get(f"/sign-in/{token}").status_code == 410
    response = sign_in_without_page(client, token)
    assert response.status_code == 410 and not signed_in(client)


def sign_in_without_page(client, token: str):
    return client.post(f"/sign-in/{token}", data={"csrf_token": csrf(client)})


def test_an_unknown_link_is_not_valid(client):
    response = client.get("/sign-in/made-up")
    assert response.status_code == 410 and "This link is not valid" in page(response)


def test_a_deactivated_account_is_refused(client, make_user, commit):
    user = make_user()
    commit()
    token = issue(user.person)
    services.set_active(user, False)
    commit()
    response = sign_in(client, token)
    assert response.status_code == 403 and "deactivated" in page(response)
    assert not signed_in(client)


def test_a_link_session_ends_like_any_other(app, client, make_user, commit):
    """The session a link starts carries the account's session version: deactivation (or a logout elsewhere)
    ends it."""
    user = make_user()
    commit()
    sign_in(client, issue(user.person))
    cookie = client.get_cookie("session").value
    assert replayed_is_logged_in(app, cookie)
    services.set_active(user, False)
    commit()
    assert not replayed_is_logged_in(app, cookie)


# --- set-password links (admins) and /account -------------------------------------------------------------------


@pytest.fixture
def as_admin(client, login, make_user, commit):
    admin = make_user("admin", email="admin@example.org")
    commit()
    login(admin)
    return client


def test_an_admin_sends_a_set_password_link_and_the_person_sets_a_password(app, as_admin, make_user, commit):
    member = make_user("member", email="mette@example.org", password=None)
    commit()
    listing = page(as_admin.get("/admin/users?q=mette"))
    assert "Send a set-password link" in listing
    response = as_admin.post(
        f"/admin/users/{member.id}/set-password-link", data={"csrf_token": csrf(as_admin, "/admin/users")}
    )
    assert response.status_code == 302
    assert "A set-password link was emailed to mette@example.org" in page(as_admin.get(response.headers["Location"]))
    [message] = emailed("set_password_link")
    [token] = tokens_in(message.body_text)

    person = app.test_client()
    form = page(person.get(f"/set-password/{token}"))
    assert 'autocomplete="new-password"' in form and "mette@example.org" in form
    token_field = csrf_token_from(form)
    mismatch = person.post(
        f"/set-password/{token}",
        data={"password": "a long new password", "confirm": "another one", "csrf_token": token_field},
    )
    assert mismatch.status_code == 422 and "The two passwords are not the same." in page(mismatch)
    short = person.post(
        f"/set-password/{token}", data={"password": "short", "confirm": "short", "csrf_token": token_field}
    )
    assert short.status_code == 422 and "The password must have at least 10 characters." in page(short)
    done = person.post(
        f"/set-password/{token}",
        data={"password": "a long new password", "confirm": "a long new password", "csrf_token": token_field},
    )
    assert done.status_code == 302 and done.headers["Location"] == "/account"
    assert signed_in(person)
    db.session.expire_all()
    assert services.authenticate("mette@example.org", "a long new password") is not None
    assert person.get(f"/set-password/{token}").status_code == 410  # once


def test_no_set_password_link_for_a_deactivated_account(as_admin, make_user, commit):
    member = make_user("member")
    services.set_active(member, False)
    commit()
    as_admin.post(f"/admin/users/{member.id}/set-password-link", data={"csrf_token": csrf(as_admin, "/admin/users")})
    assert emailed("set_password_link") == []


def test_the_admin_button_needs_a_csrf_token(as_admin, make_user, commit):
    member = make_user("member")
    commit()
    assert as_admin.post(f"/admin/users/{member.id}/set-password-link").status_code == 400
    assert emailed("set_password_link") == []


def test_someone_signed_in_by_link_sets_a_password_on_the_account_page(app, client, make_person, commit):
    person = make_person(email="mette@example.org")
    commit()
    sign_in(client, issue(person))
    other = app.test_client()
    sign_in(other, issue(person))
    html = page(client.get("/account"))
    assert "You have no password" in html

    response = client.post(
        "/account/password",
        data={
            "password": "a long new password",
            "confirm": "a long new password",
            "csrf_token": csrf(client, "/account"),
        },
    )

    assert response.status_code == 302 and signed_in(client)  # this browser stays signed in
    assert not signed_in(other)  # every other session ends
    assert "You have a password" in page(client.get("/account"))
    assert services.authenticate("mette@example.org", "a long new password") is not None


def test_the_account_password_form_checks_its_input(client, login, make_user, commit):
    user = make_user()
    commit()
    login(user)
    token = csrf(client, "/account")
    response = client.post("/account/password", data={"password": "x" * 12, "confirm": "y" * 12, "csrf_token": token})
    assert response.status_code == 422 and "The two passwords are not the same." in page(response)
    assert client.post("/account/password", data={"password": "x" * 12, "confirm": "x" * 12}).status_code == 400
    assert services.authenticate(user.email, "correct horse battery") is not None


def test_anonymous_visitors_are_asked_to_log_in_before_setting_a_password(client):
    response = client.post("/account/password", data={"csrf_token": csrf(client)})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_the_pages_speak_danish(client, make_person, commit):
    assert "Send mig et login-link" in page(client.get("/login?lang=da"))
    token = issue(make_person())
    assert "Log ind" in page(client.get(f"/sign-in/{token}?lang=da"))
