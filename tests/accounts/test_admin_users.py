"""/admin/users: admins list, search, create, re-role and (de)activate accounts in the browser; nobody else may."""

import re

import pytest

from eventhub.accounts import services
from eventhub.accounts.models import Role, User
from eventhub.errors import Conflict
from eventhub.events.models import Person
from eventhub.extensions import db
from tests.accounts.test_sessions import replayed_is_logged_in
from tests.conftest import csrf_token_from


@pytest.fixture
def admin(make_user, commit):
    user = make_user("admin", email="admin@example.org", name="Ada Admin")
    commit()
    return user


@pytest.fixture
def as_admin(client, login, admin):
    login(admin)
    return client


def token(client, path="/admin/users") -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def listed_emails(response) -> list[str]:
    return re.findall(r'<tr data-email="([^"]+)"', response.get_data(as_text=True))


# --- list, search, filter, pages ------------------------------------------------------------------------------


def test_the_list_shows_each_accounts_facts(as_admin, make_user, commit):
    make_user("organiser", email="olga@example.org", name="Olga Organiser", organisation="City of Aarhus")
    commit()
    page = as_admin.get("/admin/users").get_data(as_text=True)
    assert "Olga Organiser" in page and "olga@example.org" in page and "City of Aarhus" in page
    assert listed_emails(as_admin.get("/admin/users")) == ["admin@example.org", "olga@example.org"]


def test_search_by_name_or_email_and_filter_by_role(as_admin, make_user, commit):
    make_user("organiser", email="olga@example.org", name="Olga Hansen")
    make_user("member", email="mette@example.org", name="Mette Olsen")
    make_user("secretary", email="sam@example.org", name="Sam Secretary")
    commit()
    assert listed_emails(as_admin.get("/admin/users?q=OLSEN")) == ["mette@example.org"]
    assert listed_emails(as_admin.get("/admin/users?q=olga@")) == ["olga@example.org"]
    assert listed_emails(as_admin.get("/admin/users?role=secretary")) == ["sam@example.org"]
    assert listed_emails(as_admin.get("/admin/users?q=o&role=member")) == ["mette@example.org"]
    assert listed_emails(as_admin.get("/admin/users?q=%25")) == []  # a wildcard is a literal character


def test_fifty_accounts_a_page(as_admin, make_user, commit):
    for number in range(60):
        make_user("member", email=f"m{number:02d}@example.org")
    commit()
    first = as_admin.get("/admin/users")
    assert len(listed_emails(first)) == 50
    assert "/admin/users?page=2" in first.get_data(as_text=True)
    second = listed_emails(as_admin.get("/admin/users?page=2"))
    assert len(second) == 11 and second[-1] == "m59@example.org"
    assert listed_emails(as_admin.get("/admin/users?page=0")) == listed_emails(first)  # bad page: the first


# --- create ------------------------------------------------------------------------------------------------------


def test_an_admin_creates_an_account_without_a_password(as_admin):
    data = {
        "name": "Nina New",
        "email": "Nina@Example.org",
        "organisation": "Big Buyers",
        "role": "organiser",
        "language": "da",
        "csrf_token": token(as_admin, "/admin/users/new"),
    }
    response = as_admin.post("/admin/users/new", data=data)
    assert response.status_code == 302
    user = services.find_user_by_email("nina@example.org")
    assert user.role == Role.ORGANISER and user.password_hash is None
    assert (user.person.name, user.person.organisation.name, user.person.language) == ("Nina New", "Big Buyers", "da")


def test_a_duplicate_email_is_a_field_error_and_saves_nothing(as_admin, make_user, commit):
    make_user("member", email="taken@example.org")
    commit()
    count = db.session.query(User).count()
    data = {
        "name": "Someone",
        "email": "taken@example.org",
        "organisation": "New Org",
        "role": "admin",
        "language": "en",
        "csrf_token": token(as_admin, "/admin/users/new"),
    }
    response = as_admin.post("/admin/users/new", data=data)
    assert response.status_code == 400
    assert 'id="email-errors"' in response.get_data(as_text=True)
    assert "already has an account" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.query(User).count() == count
    assert services.find_user_by_email("taken@example.org").role == Role.MEMBER


# --- role, deactivation, sessions ----------------------------------------------------------------------------------


def test_a_role_change_ends_the_users_sessions(app, client, login, as_admin, make_user, commit):
    member = make_user("member", email="m@example.org")
    commit()
    other = app.test_client()
    other.post(
        "/login",
        data={
            "email": "m@example.org",
            "password": "correct horse battery",
            "csrf_token": csrf_token_from(other.get("/login").get_data(as_text=True)),
        },
    )
    cookie = other.get_cookie("session").value
    assert replayed_is_logged_in(app, cookie)

    data = {"role": "organiser", "csrf_token": token(as_admin)}
    response = as_admin.post(f"/admin/users/{member.id}/role", data=data)

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, member.id).role == Role.ORGANISER
    assert not replayed_is_logged_in(app, cookie)


def test_deactivation_asks_first_then_reactivation_works(as_admin, make_user, commit):
    member = make_user("member", email="m@example.org")
    commit()
    page = as_admin.get(f"/admin/users/{member.id}/deactivate")
    assert page.status_code == 200 and db.session.get(User, member.id).active  # asking changes nothing
    confirm = {"csrf_token": csrf_token_from(page.get_data(as_text=True))}
    as_admin.post(f"/admin/users/{member.id}/deactivate", data=confirm)
    db.session.expire_all()
    assert not db.session.get(User, member.id).active
    as_admin.post(f"/admin/users/{member.id}/reactivate", data={"csrf_token": token(as_admin)})
    db.session.expire_all()
    assert db.session.get(User, member.id).active


@pytest.mark.parametrize("action", ["role", "deactivate"])
def test_the_last_active_admin_stays(as_admin, admin, action):
    data = {"role": "member", "csrf_token": token(as_admin)}
    response = as_admin.post(f"/admin/users/{admin.id}/{action}", data=data, follow_redirects=True)
    assert "The last active administrator cannot be demoted or deactivated." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == Role.ADMIN and db.session.get(User, admin.id).active


def test_an_admin_may_go_when_another_active_admin_remains(app, make_user):
    first, second = make_user("admin"), make_user("admin")
    services.set_active(second, False)  # an inactive admin does not count
    with pytest.raises(Conflict):
        services.set_role(first, Role.MEMBER)
    services.set_active(second, True)
    services.set_role(first, Role.MEMBER)
    assert first.role == Role.MEMBER
    with pytest.raises(Conflict):
        services.set_active(second, False)


def test_forms_need_a_csrf_token(app, as_admin, make_user, commit):
    assert app.config["WTF_CSRF_ENABLED"]
    member = make_user("member", email="m@example.org")
    commit()
    for path, data in [
        ("/admin/users/new", {"name": "X", "email": "x@example.org", "role": "admin", "language": "en"}),
        (f"/admin/users/{member.id}/role", {"role": "admin"}),
        (f"/admin/users/{member.id}/deactivate", {}),
        (f"/admin/users/{member.id}/reactivate", {}),
        (f"/admin/users/{member.id}/set-password-link", {}),
    ]:
        response = as_admin.post(path, data=data)
        assert response.status_code == 400, path
    db.session.expire_all()
    assert db.session.get(User, member.id).role == Role.MEMBER and db.session.get(User, member.id).active
    assert db.session.query(Person).filter_by(email="x@example.org").count() == 0


def test_the_outbox_links_to_the_accounts(as_admin):
    assert 'href="/admin/users"' in as_admin.get("/admin/outbox").get_data(as_text=True)


# --- who may ----------------------------------------------------------------------------------------------------

VIEWERS = ("anonymous", "member", "secretary", "organiser", "admin")
ROUTES = {
    "list": ("get", "/admin/users"),
    "new": ("get", "/admin/users/new"),
    "create": ("post", "/admin/users/new"),
    "role": ("post", "/admin/users/{id}/role"),
    "confirm-deactivate": ("get", "/admin/users/{id}/deactivate"),
    "deactivate": ("post", "/admin/users/{id}/deactivate"),
    "reactivate": ("post", "/admin/users/{id}/reactivate"),
    "set-password-link": ("post", "/admin/users/{id}/set-password-link"),
}
# anonymous visitors log in first; other roles never learn the pages exist; admins reach them (a POST with only
# a CSRF token is an empty form again, a 400 for a missing role, or done and back to the list).
ADMIN_STATUS = {
    "list": 200,
    "new": 200,
    "create": 400,
    "role": 400,
    "confirm-deactivate": 200,
    "deactivate": 302,
    "reactivate": 302,
    "set-password-link": 302,
}


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_permission_matrix(client, login, make_user, commit, viewer, route):
    target = make_user("member", email="target@example.org")
    if viewer != "anonymous":
        user = make_user(viewer)
    commit()
    if viewer != "anonymous":
        login(user)
    method, path = ROUTES[route]
    # a valid CSRF token, so the answer is the permission check's and not the CSRF check's
    data = {"csrf_token": token(client, "/account" if viewer != "anonymous" else "/login")}

    response = getattr(client, method)(path.format(id=target.id), **({"data": data} if method == "post" else {}))

    if viewer == "anonymous":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    elif viewer == "admin":
        assert response.status_code == ADMIN_STATUS[route]
    else:
        assert response.status_code == 404


def test_an_unknown_account_is_a_404(as_admin):
    assert as_admin.get("/admin/users/99999/deactivate").status_code == 404


def test_the_pages_speak_danish(as_admin):
    page = as_admin.get("/admin/users?lang=da").get_data(as_text=True)
    assert "<h1>Konti</h1>" in page and "Skift rolle" in page and "Administrator" in page


def test_the_cli_keeps_the_last_admin_too(app, admin):
    result = app.test_cli_runner().invoke(args=["users", "deactivate", "admin@example.org"])
    assert result.exit_code != 0 and "last active administrator" in result.output
    db.session.expire_all()
    assert db.session.get(User, admin.id).active
