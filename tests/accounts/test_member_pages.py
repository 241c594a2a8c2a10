"""The members page of a series: who may open it, adding one person, a pasted list and a CSV file, removing with a
confirmation, the list's pages, filters and search, and the CSV export."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from eventhub.accounts import memberships
from eventhub.events.models import MembershipRole, Person, SeriesMembership
from eventhub.events.services import add_series_member
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from tests.conftest import csrf_token_from, grant_organiser
from tests.web.conftest import text_of, visible_text

VIEWERS = ("anonymous", "member", "secretary", "organiser", "organiser_elsewhere", "admin")
PAGE = "/series/{slug}/manage/members"


def _emails(series) -> list[str]:
    query = (
        sa.select(Person.email)
        .join(SeriesMembership, SeriesMembership.person_id == Person.id)
        .where(SeriesMembership.series_id == series.id, SeriesMembership.role != MembershipRole.ORGANISER)
        .order_by(Person.email)
    )
    return list(db.session.scalars(query))


@pytest.fixture
def as_viewer(make_user, make_series, login, commit):
    """``as_viewer(viewer, series)`` logs in as that kind of viewer of ``series``: a member or secretary of it, its
    organiser, an organiser of another series (``organiser_elsewhere``), an admin."""

    def log_in(viewer: str, series):
        if viewer == "anonymous":
            commit()
            return None
        user = make_user("organiser" if viewer == "organiser_elsewhere" else viewer)
        if viewer in ("member", "secretary"):
            add_series_member(series, user.email, role=viewer)
        if viewer == "organiser":
            grant_organiser(user, series)
        if viewer == "organiser_elsewhere":
            grant_organiser(user, make_series(slug=f"elsewhere-{series.slug}"))
        commit()
        login(user)
        return user

    return log_in


def _token(client, slug: str) -> str:
    return csrf_token_from(text_of(client.get(PAGE.format(slug=slug))))


def _any_token(client) -> str:
    return csrf_token_from(text_of(client.get("/account")))


# --------------------------------------------------------------------------------------------------------------
# Who may open what
# --------------------------------------------------------------------------------------------------------------

# GET path -> status per viewer, in VIEWERS order: anonymous visitors log in; whoever may not manage the series
# gets a 404, whether or not they may see the series (members and secretaries included).
EXPECTED_GET = (302, 404, 404, 200, 404, 200)


@pytest.mark.parametrize("visibility", ["public", "members"])
@pytest.mark.parametrize("suffix", ["", ".csv", "/{membership}/remove"])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_permission_matrix(client, make_series, as_viewer, viewer, suffix, visibility):
    series = make_series(slug="wg", visibility=visibility)
    membership, _ = add_series_member(series, "anna@kk.dk")
    as_viewer(viewer, series)

    response = client.get(PAGE.format(slug="wg") + suffix.format(membership=membership.id))

    assert response.status_code == EXPECTED_GET[VIEWERS.index(viewer)]
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("viewer", ["anonymous", "member", "secretary", "organiser_elsewhere"])
def test_nobody_else_can_add_or_remove(client, make_series, as_viewer, viewer):
    series = make_series(slug="wg")
    membership, _ = add_series_member(series, "anna@kk.dk")
    as_viewer(viewer, series)
    token = _any_token(client) if viewer != "anonymous" else csrf_token_from(text_of(client.get("/login")))
    expected = 302 if viewer == "anonymous" else 404

    assert client.post(PAGE.format(slug="wg"), data={"csrf_token": token, "email": "x@kk.dk"}).status_code == expected
    assert (
        client.post(PAGE.format(slug="wg") + "/list", data={"csrf_token": token, "members": "y@kk.dk"}).status_code
        == expected
    )
    removed = client.post(PAGE.format(slug="wg") + f"/{membership.id}/remove", data={"csrf_token": token})
    assert removed.status_code == expected
    emails = _emails(series)
    assert "anna@kk.dk" in emails and "x@kk.dk" not in emails and "y@kk.dk" not in emails


def test_unknown_series_and_other_series_memberships_are_404(client, make_series, as_viewer):
    series, other = make_series(slug="wg"), make_series(slug="other")
    elsewhere, _ = add_series_member(other, "anna@kk.dk")
    as_viewer("organiser", series)
    assert client.get(PAGE.format(slug="nope")).status_code == 404
    assert client.get(PAGE.format(slug="wg") + f"/{elsewhere.id}/remove").status_code == 404


def test_posts_without_a_csrf_token_change_nothing(client, make_series, as_viewer):
    series = make_series(slug="wg")
    membership, _ = add_series_member(series, "anna@kk.dk")
    as_viewer("organiser", series)

    assert client.post(PAGE.format(slug="wg"), data={"email": "bo@kk.dk"}).status_code == 400
    assert client.post(PAGE.format(slug="wg") + "/list", data={"members": "bo@kk.dk"}).status_code == 400
    assert client.post(PAGE.format(slug="wg") + f"/{membership.id}/remove").status_code == 400
    assert _emails(series) == ["anna@kk.dk"]


def test_the_series_page_and_the_dashboard_link_the_members_page(client, make_series, as_viewer):
    series = make_series(slug="wg")
    as_viewer("organiser", series)
    assert 'href="/series/wg/manage/members"' in text_of(client.get("/series/wg/manage"))
    assert 'href="/series/wg/manage/members"' in text_of(client.get("/manage"))


# --------------------------------------------------------------------------------------------------------------
# Adding
# --------------------------------------------------------------------------------------------------------------


def test_add_one_member(client, make_series, as_viewer):
    series = make_series(slug="wg", title="Working group")
    as_viewer("organiser", series)
    data = {"csrf_token": _token(client, "wg"), "email": "Anna@KK.dk", "name": "Anna Jensen",
            "organisation": "Københavns Kommune", "language": "da"}  # fmt: skip

    response = client.post(PAGE.format(slug="wg"), data=data, follow_redirects=True)

    page = visible_text(text_of(response))
    assert "anna@kk.dk is now a member; a welcome email is on its way." in page
    assert "Anna Jensen anna@kk.dk Københavns Kommune Dansk Member" in page
    welcome = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "member_welcome"))
    assert welcome.recipient_email == "anna@kk.dk" and welcome.subject == "Velkommen til Working group"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "anna@kk.dk"}, "email", "already a member of this series"),
        ({"email": "not an address"}, "email", "Invalid email address."),
        ({"email": "bo@kk.dk", "name": "B" * 201}, "name", "Field cannot be longer than 200 characters."),
        ({"email": "bo@kk.dk", "language": "x1!"}, "language", "A language code, such as da, de-AT or pt-BR."),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(
    client, make_series, as_viewer, data, field, message
):
    series = make_series(slug="wg")
    add_series_member(series, "anna@kk.dk", organisation=None)
    as_viewer("organiser", series)

    response = client.post(
        PAGE.format(slug="wg"), data={"csrf_token": _token(client, "wg"), "organisation": "KK", **data}
    )

    assert response.status_code in (409, 422)
    html = text_of(response)
    assert f'id="member-{field}-errors"' in html and message in html.split(f'id="member-{field}-errors"', 1)[1][:300]
    assert _emails(series) == ["anna@kk.dk"]
    assert db.session.scalar(sa.select(Person.organisation_id).where(Person.email == "anna@kk.dk")) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_only_admins_see_and_use_the_role_field(client, make_series, as_viewer):
    series = make_series(slug="wg")
    as_viewer("organiser", series)
    assert 'name="role"' not in text_of(client.get(PAGE.format(slug="wg"))).split('id="add-one"', 1)[1]
    token = _token(client, "wg")
    response = client.post(PAGE.format(slug="wg"), data={"csrf_token": token, "email": "bo@kk.dk", "role": "secretary"})
    assert response.status_code == 403 and "only admins may grant this role" in text_of(response)
    assert _emails(series) == []


def test_an_admin_appoints_a_secretary(client, make_series, as_viewer):
    series = make_series(slug="wg")
    as_viewer("admin", series)
    token = _token(client, "wg")
    client.post(PAGE.format(slug="wg"), data={"csrf_token": token, "email": "bo@kk.dk", "role": "secretary"})
    assert db.session.scalar(sa.select(SeriesMembership.role)).value == "secretary"


PASTED = "anna@kk.dk; Anna; KK; da\nnot-an-address\nBo <bo@kk.dk>\nanna@kk.dk\n"


def test_paste_a_list_with_line_numbered_problems(client, make_series, as_viewer):
    series = make_series(slug="wg")
    as_viewer("organiser", series)
    response = client.post(
        PAGE.format(slug="wg") + "/list", data={"csrf_token": _token(client, "wg"), "members": PASTED}
    )

    assert response.status_code == 200
    result = visible_text(text_of(response).split('id="members-result"', 1)[1].split("</section>", 1)[0])
    assert "Added: 2. Already members or listed twice: 1. Not valid: 1." in result
    assert "Line 2: not-an-address — email:" in result and "Line 4: anna@kk.dk — listed twice" in result
    assert _emails(series) == ["anna@kk.dk", "bo@kk.dk"]


def _upload(client, slug: str, data: bytes, name: str = "members.csv"):
    form = {"csrf_token": _token(client, slug), "file": (io.BytesIO(data), name)}
    return client.post(PAGE.format(slug=slug) + "/list", data=form, content_type="multipart/form-data")


def test_uploading_a_csv_twice_adds_nobody_the_second_time(client, make_series, as_viewer):
    series = make_series(slug="wg")
    as_viewer("organiser", series)
    csv = "\ufeffE-mail;Navn;Organisation;Sprog\r\nanna@kk.dk;Anna;KK;da\r\nbo@kk.dk;Bo;;en\r\n".encode()

    first = visible_text(text_of(_upload(client, "wg", csv)))
    again = visible_text(text_of(_upload(client, "wg", csv)))

    assert "Added: 2. Already members or listed twice: 0." in first
    assert "Added: 0. Already members or listed twice: 2." in again and "Line 3: bo@kk.dk — already a member" in again
    assert _emails(series) == ["anna@kk.dk", "bo@kk.dk"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 2


def test_a_file_that_cannot_be_read_adds_nobody(client, make_series, as_viewer):
    series = make_series(slug="wg")
    as_viewer("organiser", series)
    response = _upload(client, "wg", b"name;organisation\nAnna;KK\n")
    assert response.status_code == 422
    assert "the first line must name the columns" in text_of(response).split('id="file-errors"', 1)[1][:400]
    assert _emails(series) == []


def test_an_empty_list_form_says_what_to_do(client, make_series, as_viewer):
    as_viewer("organiser", make_series(slug="wg"))
    response = client.post(PAGE.format(slug="wg") + "/list", data={"csrf_token": _token(client, "wg"), "members": " "})
    assert response.status_code == 422 and "paste a list or choose a file" in text_of(response)


# --------------------------------------------------------------------------------------------------------------
# Removing
# --------------------------------------------------------------------------------------------------------------


def test_remove_asks_first_then_removes(client, make_series, as_viewer):
    series = make_series(slug="wg", title="Working group", visibility="members")
    membership, _ = add_series_member(series, "anna@kk.dk", "Anna Jensen")
    as_viewer("organiser", series)
    path = PAGE.format(slug="wg") + f"/{membership.id}/remove"
    assert f'href="{path}"' in text_of(client.get(PAGE.format(slug="wg")))

    page = client.get(path)
    text = visible_text(text_of(page))
    assert "Anna Jensen" in text and "anna@kk.dk" in text
    assert "leave their personal calendar feed" in text and "members-only series" in text
    assert _emails(series) == ["anna@kk.dk"]

    response = client.post(path, data={"csrf_token": csrf_token_from(text_of(page))}, follow_redirects=True)
    assert "anna@kk.dk is no longer a member of Working group." in visible_text(text_of(response))
    assert _emails(series) == []


def test_an_organiser_cannot_remove_a_secretary(client, make_series, as_viewer):
    series = make_series(slug="wg")
    membership, _ = add_series_member(series, "bo@kk.dk", role="secretary")
    as_viewer("organiser", series)
    path = PAGE.format(slug="wg") + f"/{membership.id}/remove"
    assert f'href="{path}"' not in text_of(client.get(PAGE.format(slug="wg")))
    page = client.get(path)
    assert (
        "Only an administrator can remove a secretary." in text_of(page)
        and 'type="submit"' not in text_of(page).split("<main", 1)[-1]
    )
    client.post(path, data={"csrf_token": _any_token(client)})
    assert _emails(series) == ["bo@kk.dk"]


# --------------------------------------------------------------------------------------------------------------
# The list and the export
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture
def big_group(make_series, now, make_user):
    series = make_series(slug="wg")
    admin = make_user("admin")
    from eventhub.registration.invitee_lists import parse_invitee_text

    lines = [
        f"p{i:03d}@example.org; Person {i:03d}; {'KK' if i % 2 else 'Aarhus'}; {'da' if i % 3 else 'en'}"
        for i in range(60)
    ]
    memberships.add_series_members(admin, series, parse_invitee_text("\n".join(lines))[0], now)
    add_series_member(series, "sec@example.org", "Zed Secretary", role="secretary")
    return series


def _rows(response) -> list[str]:
    return [chunk.split('"', 1)[0] for chunk in text_of(response).split('<tr data-email="')[1:]]


def test_the_list_is_paginated(client, big_group, as_viewer):
    as_viewer("admin", big_group)  # an organiser would be on the list too
    first = client.get(PAGE.format(slug="wg"))
    assert "61 members" in visible_text(text_of(first)) and len(_rows(first)) == 50
    assert 'href="/series/wg/manage/members?page=2"' in text_of(first)
    second = client.get(PAGE.format(slug="wg") + "?page=2")
    assert _rows(second) == [f"p{i:03d}@example.org" for i in range(50, 60)] + ["sec@example.org"]


def test_filters_and_search_work_on_the_server(client, big_group, as_viewer):
    as_viewer("organiser", big_group)
    kk = db.session.scalar(sa.text("SELECT id FROM organisations WHERE name = 'KK'"))
    rows = _rows(client.get(PAGE.format(slug="wg") + f"?organisation={kk}&language=en"))
    assert rows == [f"p{i:03d}@example.org" for i in range(60) if i % 2 and not i % 3]
    assert _rows(client.get(PAGE.format(slug="wg") + "?role=secretary")) == ["sec@example.org"]
    assert _rows(client.get(PAGE.format(slug="wg") + "?q=person+04")) == [f"p04{i}@example.org" for i in range(10)]
    assert _rows(client.get(PAGE.format(slug="wg") + "?q=P059%40")) == ["p059@example.org"]
    filtered = client.get(PAGE.format(slug="wg") + "?role=member&page=2")
    assert 'href="/series/wg/manage/members?role=member&amp;page=1"' in text_of(filtered) or "page=1" in text_of(
        filtered
    )
    assert client.get(PAGE.format(slug="wg") + "?organisation=banana&role=boss&page=x").status_code == 200


def test_the_export_is_a_safe_csv(client, make_series, as_viewer):
    series = make_series(slug="wg")
    add_series_member(series, "anna@kk.dk", '=HYPERLINK("http://evil")', "@SUM(1)")
    add_series_member(series, "bo@kk.dk", "Bo", role="secretary")
    as_viewer("organiser", series)

    response = client.get(PAGE.format(slug="wg") + ".csv")

    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="members-wg.csv"'
    body = response.get_data().decode("utf-8")
    lines = body.split("\r\n")
    assert lines[0] == "\ufeffemail,name,organisation,language,role,member_since"
    assert lines[1].startswith('anna@kk.dk,"\'=HYPERLINK(""http://evil"")",\'@SUM(1),,member,')
    assert lines[2].startswith("bo@kk.dk,Bo,,,secretary,")
    only_secretaries = client.get(PAGE.format(slug="wg") + ".csv?role=secretary").get_data().decode()
    assert "bo@kk.dk" in only_secretaries and "anna@kk.dk" not in only_secretaries
