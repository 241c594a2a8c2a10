"""Admins appoint and dismiss a series' organisers on /series/<slug>/manage (the "Organisers" section) and
/series/<slug>/manage/organisers: CSRF, a confirmation before removing, clear errors, admins only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.events.models import MembershipRole, SeriesMembership
from eventhub.events.services import add_series_member
from eventhub.extensions import db
from tests.conftest import csrf_token_from, grant_organiser
from tests.web.conftest import text_of, visible_text

VIEWERS = ("anonymous", "member", "secretary", "other_organiser", "organiser", "admin")


@pytest.fixture
def series(make_series, make_user):
    """COSPRO (public), with Marta as its organiser; Oskar has an organiser account but runs nothing yet."""
    cospro = make_series(slug="cospro", title="COSPRO")
    marta = make_user("organiser", email="marta@example.org", name="Marta Ribeiro")
    grant_organiser(marta, cospro)
    make_user("organiser", email="oskar@example.org", name="Oskar Lindqvist")
    make_user("member", email="mikkel@example.org", name="Mikkel Medlem")
    return cospro


def _organisers() -> list[str]:
    query = sa.select(SeriesMembership).where(SeriesMembership.role == MembershipRole.ORGANISER)
    return sorted(membership.person.email for membership in db.session.scalars(query))


def _login_as(viewer, make_user, make_organiser, login, commit, series):
    user = None
    if viewer == "organiser":
        user = make_organiser(series)
    elif viewer == "other_organiser":
        user = make_organiser()
    elif viewer != "anonymous":
        user = make_user(viewer)
    commit()
    if user is not None:
        login(user)
    return user


def _add(client, email, slug="cospro"):
    page = text_of(client.get(f"/series/{slug}/manage"))
    data = {"organiser-csrf_token": _organiser_csrf(page), "organiser-email": email}
    return client.post(f"/series/{slug}/manage/organisers", data=data)


def _organiser_csrf(html: str) -> str:
    form = html.split('id="organisers"', 1)[1]
    return csrf_token_from(form.replace('name="organiser-csrf_token"', 'name="csrf_token"'))


def test_admins_see_the_organisers_and_add_one_by_email(client, series, make_user, make_organiser, login, commit):
    _login_as("admin", make_user, make_organiser, login, commit, series)
    page = text_of(client.get("/series/cospro/manage"))
    section = page.split('id="organisers"', 1)[1].split("</section>", 1)[0]
    assert "Marta Ribeiro" in section and "marta@example.org" in section
    assert 'for="organiser-email"' in section  # the field has its label

    response = _add(client, "OSKAR@example.org")

    assert response.status_code == 302 and response.headers["Location"] == "/series/cospro/manage#organisers"
    assert _organisers() == ["marta@example.org", "oskar@example.org"]
    assert "Oskar Lindqvist now organises this series." in visible_text(text_of(client.get("/series/cospro/manage")))


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("mikkel@example.org", "This account cannot organise"),
        ("nobody@example.org", "There is no account with this address"),
        ("not-an-address", "There is no account with this address"),
    ],
)
def test_an_address_that_cannot_organise_is_refused_next_to_the_field(
    client, series, make_user, make_organiser, login, commit, email, message
):
    _login_as("admin", make_user, make_organiser, login, commit, series)
    response = _add(client, email)
    assert response.status_code == 422
    errors = text_of(response).split('id="organiser-email-errors"', 1)[1].split("</ul>", 1)[0]
    assert message in errors
    assert _organisers() == ["marta@example.org"]


def test_a_secretary_is_not_silently_made_organiser(client, series, make_user, make_organiser, login, commit):
    make_user("organiser", email="sara@example.org")
    add_series_member(series, "sara@example.org", role="secretary")
    _login_as("admin", make_user, make_organiser, login, commit, series)
    response = _add(client, "sara@example.org")
    assert response.status_code == 422 and "the series' secretary" in visible_text(text_of(response))
    assert _organisers() == ["marta@example.org"]


def test_removing_asks_first_then_removes(client, series, make_user, make_organiser, login, commit):
    _login_as("admin", make_user, make_organiser, login, commit, series)
    marta = db.session.scalar(sa.select(SeriesMembership).where(SeriesMembership.role == MembershipRole.ORGANISER))
    path = f"/series/cospro/manage/organisers/{marta.person_id}/remove"
    assert f'href="{path}"' in text_of(client.get("/series/cospro/manage"))

    question = text_of(client.get(path))

    assert "Remove Marta Ribeiro as organiser of COSPRO?" in visible_text(question)
    assert _organisers() == ["marta@example.org"]  # asking changed nothing
    assert client.post(path).status_code == 400  # no CSRF token, no removal
    assert _organisers() == ["marta@example.org"]
    response = client.post(path, data={"csrf_token": csrf_token_from(question)})
    assert response.status_code == 302
    assert _organisers() == []
    assert client.get(path).status_code == 404  # nothing left to remove


def test_adding_needs_the_csrf_token(client, series, make_user, make_organiser, login, commit):
    _login_as("admin", make_user, make_organiser, login, commit, series)
    response = client.post("/series/cospro/manage/organisers", data={"organiser-email": "oskar@example.org"})
    assert response.status_code == 400
    assert _organisers() == ["marta@example.org"]


def test_the_series_own_organiser_sees_no_organisers_section(client, series, make_user, make_organiser, login, commit):
    _login_as("organiser", make_user, make_organiser, login, commit, series)
    page = text_of(client.get("/series/cospro/manage"))
    assert page.count("<form") >= 1 and 'id="organisers"' not in page


# GET of the organisers page, GET of a removal question, POST of an addition: expected status per viewer.
EXPECTED = {
    ("get", "/series/cospro/manage/organisers"): (302, 403, 403, 403, 403, 200),
    ("get", "/series/cospro/manage/organisers/{marta}/remove"): (302, 403, 403, 403, 403, 200),
    ("post", "/series/cospro/manage/organisers"): (302, 403, 403, 403, 403, 302),
    ("post", "/series/cospro/manage/organisers/{marta}/remove"): (302, 403, 403, 403, 403, 302),
    ("get", "/series/hidden/manage/organisers"): (404, 404, 404, 403, 403, 200),
}


@pytest.mark.parametrize(("method", "path"), EXPECTED, ids=[f"{m} {p}" for m, p in EXPECTED])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_permission_matrix(client, series, make_series, make_user, make_organiser, login, commit, viewer, method, path):
    """Only admins appoint organisers: the series' own organiser gets a 403 like everyone who may see the series
    (a members-only series stays a 404 for whoever may not see it); nothing changes for them."""
    make_series(slug="hidden", visibility="members")
    marta = db.session.scalar(sa.select(SeriesMembership).where(SeriesMembership.role == MembershipRole.ORGANISER))
    _login_as(viewer, make_user, make_organiser, login, commit, series)
    data = None
    if method == "post":
        token = csrf_token_from(text_of(client.get("/login" if viewer == "anonymous" else "/")))
        data = {"csrf_token": token, "organiser-csrf_token": token, "organiser-email": "oskar@example.org"}

    response = getattr(client, method)(path.format(marta=marta.person_id), data=data)

    assert response.status_code == EXPECTED[method, path][VIEWERS.index(viewer)]
    if response.status_code == 302 and viewer == "anonymous":
        assert response.headers["Location"].startswith("/login?next=")
    if viewer != "admin":
        assert "marta@example.org" in _organisers() and "oskar@example.org" not in _organisers()


def test_the_section_speaks_danish(client, series, make_user, make_organiser, login, commit):
    _login_as("admin", make_user, make_organiser, login, commit, series)
    page = text_of(client.get("/series/cospro/manage?lang=da"))
    assert "Arrangører</h2>" in page and 'value="Tilføj arrangør"' in page
