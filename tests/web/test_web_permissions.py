"""Who sees which page: every kind of viewer against every kind of page."""

import pytest

from eventhub.events.services import add_series_member

VIEWERS = ("anonymous", "member", "member_of_series", "organiser", "admin")
# page -> expected status per viewer, in VIEWERS order. Members-only things are a 404 (not a 403 or a login
# redirect) for whoever may not see them, so their existence is not given away; /account asks anonymous
# visitors to log in.
EXPECTED = {
    "public_event": (200, 200, 200, 200, 200),
    "members_event": (404, 404, 200, 200, 200),
    "members_series": (404, 404, 200, 200, 200),
    "account": (302, 200, 200, 200, 200),
}


@pytest.mark.parametrize("page", EXPECTED)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_permission_matrix(client, make_user, make_series, make_event, login, commit, viewer, page):
    series = make_series(slug="big-buyers-wg", title="Big Buyers working group", visibility="members")
    paths = {
        "public_event": f"/events/{make_event(title='BSI conference Denmark', kind='conference').id}",
        "members_event": f"/events/{make_event(title='Working group call', series=series.slug).id}",
        "members_series": "/series/big-buyers-wg",
        "account": "/account",
    }
    if viewer != "anonymous":
        user = make_user("member" if viewer.startswith("member") else viewer)
        if viewer == "member_of_series":
            add_series_member(series, user.email)
    commit()
    if viewer != "anonymous":
        login(user)

    response = client.get(paths[page])

    assert response.status_code == EXPECTED[page][VIEWERS.index(viewer)]
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login?next=")
