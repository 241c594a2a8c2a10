"""/manage (the dashboard) and the series pages /manage/series/new and /series/<slug>/manage."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.agenda.services import publish_agenda
from eventhub.events.models import Series
from eventhub.events.services import add_series_member
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage, OutboxStatus
from eventhub.registration.models import (
    Invitation,
    InvitationRequest,
    InvitationStatus,
    Registration,
    RegistrationStatus,
)
from tests.conftest import csrf_token_from, grant_organiser
from tests.web.conftest import text_of, visible_text

VIEWERS = ("anonymous", "member", "secretary", "organiser", "admin")


def _invitation(event, person, status):
    db.session.add(Invitation(event_id=event.id, person_id=person.id, status=status))


def _registration(event, person, status, position=None):
    db.session.add(Registration(event_id=event.id, person_id=person.id, status=status, waitlist_position=position))


def _failed_email(now, number):
    db.session.add(
        OutboxMessage(
            dedup_key=f"test:{number}",
            kind="test",
            message_id=f"<{number}@test>",
            recipient_email="x@example.org",
            subject="s",
            body_text="t",
            body_html="h",
            not_before=now,
            next_attempt_at=now,
            status=OutboxStatus.FAILED,
        )
    )


def _login_as(make_user, login, commit, viewer, *managed):
    """Log in with a new account of role ``viewer``; an organiser organises ``managed`` (series or events)."""
    if viewer == "anonymous":
        commit()
        return None
    user = make_user(viewer)
    if viewer == "organiser":
        grant_organiser(user, *managed)
    commit()
    login(user)
    return user


# --------------------------------------------------------------------------------------------------------------
# The dashboard
# --------------------------------------------------------------------------------------------------------------


def test_organiser_sees_each_events_counts(client, make_user, make_person, make_event, login, commit, now):
    event = make_event(title="BSI conference Denmark", kind="conference", capacity=2)
    other = make_event(title="Quiet meeting")
    people = [make_person() for _ in range(7)]
    for person, status in zip(
        people,
        [
            InvitationStatus.PENDING,
            InvitationStatus.PENDING,
            InvitationStatus.DECLINED,
            InvitationStatus.REVOKED,
            InvitationStatus.REGISTERED,
            InvitationStatus.REGISTERED,
            InvitationStatus.REGISTERED,
        ],
        strict=True,
    ):
        _invitation(event, person, status)
    _registration(event, people[4], RegistrationStatus.CONFIRMED)
    _registration(event, people[5], RegistrationStatus.CONFIRMED)
    _registration(event, people[6], RegistrationStatus.WAITLISTED, position=1)
    _registration(event, people[3], RegistrationStatus.CANCELLED)
    _login_as(make_user, login, commit, "organiser", event, other)

    html = text_of(client.get("/manage"))

    row = html.split(f'id="event-{event.id}"', 1)[1].split("</tr>", 1)[0]
    assert 'class="count-invited">6<' in row  # the revoked one is not counted
    assert 'class="count-registered">2<' in row
    assert 'class="count-waiting">1<' in row
    assert 'class="count-declined">1<' in row
    quiet = html.split(f'id="event-{other.id}"', 1)[1].split("</tr>", 1)[0]
    assert 'class="count-invited">0<' in quiet


def test_dashboard_counts_cost_the_same_queries_for_more_events(
    client, make_user, make_person, make_event, login, commit, count_queries
):
    """The figures are grouped queries, not one per row: ten more events add no query."""
    user = _login_as(make_user, login, commit, "organiser")
    grant_organiser(user, make_event(title="One"))
    commit()
    with count_queries() as few:
        client.get("/manage")
    for number in range(10):
        event = make_event(title=f"Meeting {number}")
        grant_organiser(user, event)
        _invitation(event, make_person(), InvitationStatus.PENDING)
    commit()
    with count_queries() as many:
        client.get("/manage")
    assert many.count == few.count


def test_attention_items(client, make_user, make_event, login, commit, now):
    with_requests = make_event(title="Asked for", invitation_only=True, registration_closes_at=now + timedelta(days=20))
    closing = make_event(title="Closing soon", registration_closes_at=now + timedelta(days=3))
    with_agenda = make_event(title="Has agenda", registration_closes_at=now + timedelta(days=20))
    publish_agenda(with_agenda, now)
    far_off = make_event(title="Far off", starts_at=now + timedelta(days=90))  # its agenda is not due yet
    for number in range(2):
        db.session.add(InvitationRequest(event_id=with_requests.id, name=f"R {number}", email=f"r{number}@example.org"))
    _failed_email(now, 1)
    _login_as(make_user, login, commit, "organiser", with_requests, closing, with_agenda, far_off)

    html = text_of(client.get("/manage"))

    attention = html.split('id="attention"', 1)[1].split("</section>", 1)[0]
    assert f'href="/events/{with_requests.id}/manage/requests"' in attention
    assert "2 requests for an invitation" in visible_text(attention)
    closing_items = [item.split("</li>", 1)[0] for item in attention.split('class="attention-closing"')[1:]]
    assert [item for item in closing_items if "Closing soon" in item] and not [
        item for item in closing_items if "Has agenda" in item or "Asked for" in item
    ]
    agenda_items = "".join(item.split("</li>", 1)[0] for item in attention.split('class="attention-agenda"')[1:])
    assert f'href="/events/{closing.id}/agenda/edit"' in agenda_items
    assert f"/events/{with_agenda.id}/agenda/edit" not in agenda_items
    assert f"/events/{far_off.id}/agenda/edit" not in agenda_items
    assert "email failed" not in visible_text(attention)  # the outbox is for admins: it holds every series' mail


def test_nothing_needs_attention(client, make_user, login, commit):
    _login_as(make_user, login, commit, "organiser")
    assert "Nothing needs your attention." in visible_text(text_of(client.get("/manage")))


def test_organiser_sees_series_with_links(client, make_user, make_series, login, commit):
    mine = make_series(slug="big-buyers", title="Big Buyers")
    make_series(slug="cospro", title="COSPRO")
    _login_as(make_user, login, commit, "organiser", mine)
    html = text_of(client.get("/manage"))
    assert 'href="/series/big-buyers"' in html
    assert 'href="/series/big-buyers/manage"' in html
    assert "/series/cospro" not in html  # another network's series
    assert 'href="/manage/series/new"' in html
    assert 'href="/admin/users"' not in html


def test_admin_sees_accounts_and_outbox_with_failed_count(client, make_user, login, commit, now):
    _failed_email(now, 1)
    _failed_email(now, 2)
    _login_as(make_user, login, commit, "admin")
    html = text_of(client.get("/manage"))
    admin = html.split('id="administration"', 1)[1].split("</section>", 1)[0]
    assert 'href="/admin/users"' in admin
    assert 'href="/admin/outbox"' in admin
    assert "2 failed" in visible_text(admin)


def test_secretary_sees_their_meetings_with_links(client, make_user, make_series, make_event, login, commit, now):
    mine = make_series(slug="taskforce", title="Taskforce")
    theirs = make_series(slug="cospro", title="COSPRO")
    past = make_event(title="Last meeting", series=mine.slug, starts_at=now - timedelta(days=10))
    soon = make_event(title="Next meeting", series=mine.slug, starts_at=now + timedelta(days=20))
    far = make_event(title="Far meeting", series=mine.slug, starts_at=now + timedelta(days=45))
    other = make_event(title="Not mine", series=theirs.slug, starts_at=now + timedelta(days=5))
    user = make_user("secretary")
    add_series_member(mine, user.email, role="secretary")
    commit()
    login(user)

    html = text_of(client.get("/manage"))

    meetings = html.split('id="meetings"', 1)[1].split("</section>", 1)[0]
    for event in (past, soon):
        assert f'href="/events/{event.id}/agenda/edit"' in meetings
        assert f'href="/events/{event.id}/attendance"' in meetings
        assert f'href="/events/{event.id}/minutes/edit"' in meetings
    assert f"/events/{far.id}/" not in meetings and f"/events/{other.id}/" not in meetings
    assert 'id="events"' not in html  # not an organiser: no event figures
    for event in (past, soon):  # and each link opens for them
        assert client.get(f"/events/{event.id}/minutes/edit").status_code == 200


def test_secretary_without_series_is_told_so(client, make_user, login, commit):
    _login_as(make_user, login, commit, "secretary")
    assert "No meetings of your series" in visible_text(text_of(client.get("/manage")))


# --------------------------------------------------------------------------------------------------------------
# Permissions and the header link
# --------------------------------------------------------------------------------------------------------------

# route -> expected status of a GET per viewer, in MATRIX_VIEWERS order. Members have nothing to manage: a 403 (the
# header does not link the page for them); anonymous visitors are asked to log in. The organiser organises both
# series; the other organiser runs another network's series and sees these (organisers see every series) but may
# not manage them.
MATRIX_VIEWERS = ("anonymous", "member", "secretary", "other_organiser", "organiser", "admin")
EXPECTED = {
    "/manage": (302, 403, 200, 200, 200, 200),
    "/manage/series/new": (302, 403, 403, 200, 200, 200),
    "/series/pub/manage": (302, 403, 403, 403, 200, 200),
    "/series/hidden/manage": (404, 404, 404, 403, 200, 200),  # members-only: hidden from who may not see it
}


@pytest.mark.parametrize("path", EXPECTED)
@pytest.mark.parametrize("viewer", MATRIX_VIEWERS)
def test_permission_matrix(client, make_user, make_series, login, commit, viewer, path):
    public = make_series(slug="pub", title="Public series")
    hidden = make_series(slug="hidden", title="Hidden series", visibility="members")
    managed = (public, hidden) if viewer == "organiser" else (make_series(slug="elsewhere"),)
    _login_as(make_user, login, commit, "organiser" if viewer == "other_organiser" else viewer, *managed)

    response = client.get(path)

    assert response.status_code == EXPECTED[path][MATRIX_VIEWERS.index(viewer)]
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login?next=")


def test_an_organiser_of_another_series_may_not_post_its_settings(client, make_user, make_series, login, commit):
    make_series(slug="cospro", title="COSPRO", description="Old")
    _login_as(make_user, login, commit, "organiser", make_series(slug="bsi"))
    token = csrf_token_from(text_of(client.get("/account")))
    data = {"csrf_token": token, "title": "Taken over", "description": "New", "visibility": "public"}
    assert client.post("/series/cospro/manage", data=data).status_code == 403
    db.session.expire_all()
    assert db.session.scalar(sa.select(Series.title).where(Series.slug == "cospro")) == "COSPRO"


@pytest.mark.parametrize("viewer", ["member", "secretary"])
def test_only_staff_may_post_a_series(client, make_user, login, commit, viewer):
    _login_as(make_user, login, commit, viewer)
    token = csrf_token_from(text_of(client.get("/account")))
    data = {"csrf_token": token, "slug": "sneaky", "title": "Sneaky", "visibility": "public"}
    assert client.post("/manage/series/new", data=data).status_code == 403
    assert db.session.scalar(sa.select(Series).where(Series.slug == "sneaky")) is None


@pytest.mark.parametrize(("viewer", "linked"), [(v, v not in ("anonymous", "member")) for v in VIEWERS])
def test_header_links_the_dashboard_for_roles_above_member(client, make_user, login, commit, viewer, linked):
    _login_as(make_user, login, commit, viewer)
    header = text_of(client.get("/")).split("</header>", 1)[0]
    assert ('href="/manage"' in header) is linked


# --------------------------------------------------------------------------------------------------------------
# Creating and editing a series
# --------------------------------------------------------------------------------------------------------------


def _post(client, path, **data):
    token = csrf_token_from(text_of(client.get(path)))
    return client.post(path, data={"csrf_token": token, **data})


def test_create_series(client, make_user, login, commit):
    _login_as(make_user, login, commit, "organiser")
    response = _post(
        client,
        "/manage/series/new",
        slug="big-buyers",
        title="Big Buyers",
        description="Public buyers working together.",
        visibility="members",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/series/big-buyers"
    series = db.session.scalar(sa.select(Series).where(Series.slug == "big-buyers"))
    assert (series.title, series.description, series.visibility.value) == (
        "Big Buyers",
        "Public buyers working together.",
        "members",
    )
    # Its creator organises it: its management page opens for them, and /manage lists it.
    assert client.get("/series/big-buyers/manage").status_code == 200
    assert 'href="/series/big-buyers/manage"' in text_of(client.get("/manage"))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"slug": "taken", "title": "Another"}, "slug", "already taken"),
        ({"slug": "Not A Slug", "title": "Fine"}, "slug", "lower-case letters"),
        ({"slug": "fine", "title": "x" * 201}, "title", "200"),
        ({"slug": "x" * 81, "title": "Fine"}, "slug", "80"),
        ({"slug": "fine", "title": ""}, "title", "required"),
    ],
)
def test_create_series_errors_next_to_the_field(client, make_user, make_series, login, commit, data, field, message):
    make_series(slug="taken", title="Taken")
    _login_as(make_user, login, commit, "organiser")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Series))

    response = _post(client, "/manage/series/new", visibility="public", **data)

    assert response.status_code == 422
    errors = text_of(response).split(f'id="{field}-errors"', 1)[1].split("</ul>", 1)[0]
    assert message in errors
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Series)) == before


def test_edit_series(client, make_user, make_series, login, commit):
    make_series(slug="cospro", title="COSPRO", description="Old")
    _login_as(make_user, login, commit, "admin")
    page = text_of(client.get("/series/cospro/manage"))
    assert 'value="COSPRO"' in page and "Old" in page and 'name="slug"' not in page

    response = _post(client, "/series/cospro/manage", title="COSPRO network", description="New", visibility="members")

    assert response.status_code == 302
    db.session.expire_all()
    series = db.session.scalar(sa.select(Series).where(Series.slug == "cospro"))
    assert (series.title, series.description, series.visibility.value) == ("COSPRO network", "New", "members")


def test_edit_series_with_a_bad_field_saves_nothing(client, make_user, make_series, login, commit):
    series = make_series(slug="cospro", title="COSPRO", description="Old")
    _login_as(make_user, login, commit, "organiser", series)

    response = _post(client, "/series/cospro/manage", title="y" * 201, description="New", visibility="members")

    assert response.status_code == 422
    assert "200" in text_of(response).split('id="title-errors"', 1)[1].split("</ul>", 1)[0]
    db.session.expire_all()
    series = db.session.scalar(sa.select(Series).where(Series.slug == "cospro"))
    assert (series.title, series.description, series.visibility.value) == ("COSPRO", "Old", "public")


def test_update_series_service_checks_every_field_before_saving(app, make_series):
    from eventhub.errors import ValidationFailed
    from eventhub.events.services import update_series

    series = make_series(slug="s", title="Kept")
    with pytest.raises(ValidationFailed) as raised:
        update_series(series, {"title": "Changed", "visibility": "secret", "slug": "other"})
    assert set(raised.value.fields) == {"slug"}
    with pytest.raises(ValidationFailed) as raised:
        update_series(series, {"title": "", "visibility": "secret"})
    assert set(raised.value.fields) == {"title", "visibility"}
    assert series.title == "Kept"


def test_dashboard_in_danish(client, make_user, login, commit):
    _login_as(make_user, login, commit, "organiser")
    text = visible_text(text_of(client.get("/manage?lang=da")))
    assert "Kræver opmærksomhed" in text and "Intet kræver din opmærksomhed." in text


def test_admin_sees_the_meetings_of_every_series(client, make_user, make_series, make_event, login, commit, now):
    series = make_series(slug="cospro", title="COSPRO")
    meeting = make_event(title="COSPRO call", series=series.slug, starts_at=now + timedelta(days=3))
    _login_as(make_user, login, commit, "admin")
    meetings = text_of(client.get("/manage")).split('id="meetings"', 1)[1].split("</section>", 1)[0]
    assert f'href="/events/{meeting.id}/minutes/edit"' in meetings


def test_organiser_without_secretary_role_gets_no_meeting_list(
    client, make_user, make_series, make_event, login, commit, now
):
    """Organisers may not edit minutes (secretaries' record): the dashboard offers them no minutes links."""
    series = make_series(slug="cospro", title="COSPRO")
    meeting = make_event(title="COSPRO call", series=series.slug, starts_at=now + timedelta(days=3))
    _login_as(make_user, login, commit, "organiser", series)
    html = text_of(client.get("/manage"))
    assert 'id="meetings"' not in html and f"/events/{meeting.id}/minutes/edit" not in html
