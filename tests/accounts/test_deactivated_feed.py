"""A deactivated account's personal calendar feed stops working (404), like its API tokens."""

from eventhub.accounts import services
from eventhub.calendar.services import issue_feed_token
from eventhub.extensions import db


def test_a_deactivated_accounts_feed_is_gone(client, make_user, now, count_queries):
    user = make_user("member")
    url = f"/feeds/{issue_feed_token(user.person, now)}.ics"
    db.session.commit()
    first = client.get(url)
    assert first.status_code == 200
    with count_queries() as counter:  # the conditional request stays one query
        assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert counter.count == 1

    services.set_active(user, False)
    db.session.commit()
    assert client.get(url).status_code == 404
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 404

    services.set_active(user, True)
    db.session.commit()
    assert client.get(url).status_code == 200
