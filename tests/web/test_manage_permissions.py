"""The permission matrix of the management area: every HTML route under /manage, /admin, /dev, /series/<slug>/manage
and /events/<id>/manage, and the agenda and minutes editors, for every kind of viewer, by GET and (where the route
takes it) POST; every POST form refuses a request without a CSRF token and changes nothing; and a meta-test that
fails when a route in those places (or any POST route outside /api/v1) has no row here.

The rules the rows encode (the viewers: an anonymous visitor, a plain member of the series, its secretary, an
organiser of another series, the series' organiser, an admin):

* Anonymous visitors are sent to log in (302 to /login?next=...), for GET and for a POST carrying a token.
* People who may not manage the series get 403, except on the members page and its actions (the email addresses of a
  series' members: 404, so the list's existence is not given away) and the admins' account pages (404).
* Secretaries keep the agenda, materials, attendance and minutes of their series (200); organisers edit the agenda and
  materials but not the minutes (a secretary's job); an organiser of another series gets 403 everywhere in this series.
* Organisers may open the dashboard and create a series or an event (their own); admins may do everything.
* Admin-only: /admin/* (accounts, the outbox, which holds every series' mail, and anyone's personal data to export or
  erase), /dev/mail, a series' organisers.
* A POST without a CSRF token is a 400 before anything else (CSRFProtect runs before the login check), and the
  database is exactly as before.

"Passes" below means the request got past the permission check: a page (200), a redirect after saving (302), or
the form's own answer to the (empty) input (400, 409, 422).
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from flask import session
from flask_login import login_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy.orm import scoped_session, sessionmaker

from eventhub.accounts.models import User
from eventhub.events.services import add_series_member
from eventhub.extensions import db
from tests.conftest import grant_organiser
from tests.support import BACKENDS, NOW, PG_ENV, make_app

VIEWERS = ("anonymous", "member", "secretary", "other_organiser", "organiser", "admin")
LOGIN, OK = "login", "ok"
PASSED = {200, 302, 400, 409, 422}

# Expected answer per viewer, in VIEWERS order.
SERIES_STAFF = (LOGIN, 403, 403, 403, OK, OK)
MEMBERS = (LOGIN, 404, 404, 404, OK, OK)
ANY_ORGANISER = (LOGIN, 403, 403, OK, OK, OK)
ADMIN_403 = (LOGIN, 403, 403, 403, 403, OK)
ADMIN_404 = (LOGIN, 404, 404, 404, 404, OK)
AGENDA = (LOGIN, 403, OK, 403, OK, OK)
MINUTES = (LOGIN, 403, OK, 403, 403, OK)
DASHBOARD = (LOGIN, 403, OK, OK, OK, OK)


def _build_world(now):
    """The series, event, people and rows every route of the matrix needs, made once per backend (see ``shared``)."""
    from eventhub.accounts.models import Role
    from eventhub.accounts.services import create_user
    from eventhub.events.people import get_or_create_person
    from eventhub.events.services import EventInput, create_event, create_series
    from eventhub.mail.models import OutboxMessage, OutboxStatus, SuppressedAddress, SuppressionReason
    from eventhub.mail.suppression import suppress_address
    from eventhub.materials.services import attach_link
    from eventhub.registration.invitation_requests import RequestInput, submit_request
    from eventhub.registration.invitations import invite_people
    from eventhub.registration.invitee_lists import InviteeRow
    from eventhub.registration.question_translations import set_translation
    from eventhub.registration.questions import add_question
    from eventhub.registration.services import register_invitee

    def make_user(role: str, email: str):
        person = get_or_create_person(email=email, name=email.split("@")[0].title(), organisation=None)
        return create_user(person.email, Role(role), password="correct horse battery")

    series = create_series("wg", "Working group", "", "public")
    other = create_series("other", "Other network", "", "public")
    start = now + timedelta(days=30)
    event = create_event(
        EventInput(
            title="Working group meeting",
            kind="meeting",
            timezone="Europe/Copenhagen",
            starts_at=start,
            ends_at=start + timedelta(minutes=90),
            series="wg",
            number=1,
            invitation_only=True,
            registration_closes_at=now + timedelta(days=20),
        ),
        now=now,
    )
    membership, _ = add_series_member(series, "plain@example.org")
    question = add_question(event, "short_text", "Dietary needs")
    series_question = add_question(series, "short_text", "Organisation type")
    set_translation(question, "da", "Kostbehov")
    set_translation(series_question, "da", "Organisationstype")
    result = invite_people(event, [InviteeRow(1, "anna@example.org", "Anna", "", "")], None, now)
    invitation = result.created[0]
    invited = invite_people(event, [InviteeRow(1, "bo@example.org", "Bo", "", "")], None, now).created[0]
    registration = register_invitee(invited, "Bo", None, {}, now).registration
    request = submit_request(event, RequestInput("Cai", "cai@example.org"), "10.0.0.9", now)
    message = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).first()
    message.status, message.last_error = OutboxStatus.FAILED, "550 no"
    suppress_address("gone@example.org", SuppressionReason.BOUNCED)
    entry = db.session.scalars(sa.select(SuppressedAddress)).one()
    target = make_user("member", "target@example.org")
    organiser = grant_organiser(make_user("organiser", "organiser@example.org"), series)
    other_organiser = grant_organiser(make_user("organiser", "elsewhere@example.org"), other)
    member = make_user("member", "member@example.org")
    add_series_member(series, member.email)
    secretary = make_user("secretary", "secretary@example.org")
    add_series_member(series, secretary.email, role="secretary")
    admin = make_user("admin", "admin@example.org")
    material = attach_link(event, "https://example.org/programme", {"title": "Programme"}, admin, now)
    db.session.commit()
    users = dict(member=member, secretary=secretary, other_organiser=other_organiser, organiser=organiser, admin=admin)
    return SimpleNamespace(
        ids=dict(
            slug="wg",
            event=event.id,
            membership=membership.id,
            question=question.id,
            series_question=series_question.id,
            invitation=invitation.id,
            registration=registration.id,
            request=request.id,
            message=message.id,
            entry=entry.id,
            user=target.id,
            person=organiser.person_id,
            number=1,
            material=material.id,
        ),
        users={viewer: user.id for viewer, user in users.items()},
    )


@pytest.fixture(scope="module", params=BACKENDS)
def shared(request, database_urls, tmp_path_factory):
    """One app and one world per backend for the whole module (the suite's ``app`` fixture makes an app per test:
    about a second each, times the ~370 tests here). The world is committed into an outer transaction that is
    rolled back at the end; each test runs inside a SAVEPOINT of its own (``app`` below), so what a POST changes
    is gone before the next test."""
    if request.param == "postgresql" and not os.environ.get(PG_ENV):
        pytest.skip(f"PostgreSQL run: set {PG_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test) to run it")
    app = make_app(database_urls[request.param], tmp_path_factory.mktemp("matrix"))
    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr("eventhub.clock.now", lambda: NOW)
        connection = db.engine.connect()
        outer = connection.begin()
        original_session = db.session
        db.session = scoped_session(sessionmaker(bind=connection, join_transaction_mode="create_savepoint"))
        try:
            world = _build_world(NOW)
            db.session.remove()
            yield SimpleNamespace(app=app, connection=connection, world=world)
        finally:
            db.session.remove()
            db.session = original_session
            outer.rollback()
            connection.close()
            db.engine.dispose()


@pytest.fixture
def app(shared):
    """The module's app, in a fresh app context and a SAVEPOINT rolled back after the test."""
    with shared.app.app_context():
        savepoint = shared.connection.begin_nested()
        original_session = db.session
        db.session = scoped_session(sessionmaker(bind=shared.connection, join_transaction_mode="create_savepoint"))
        try:
            yield shared.app
        finally:
            db.session.remove()
            db.session = original_session
            if savepoint.is_active:
                savepoint.rollback()


@pytest.fixture
def world(app, shared):
    return shared.world


# endpoint -> (path, expected per viewer, form data for the POST without a CSRF token: what a real form sends)
MATRIX: dict[str, tuple[str, tuple[Any, ...], dict[str, str]]] = {
    "manage.dashboard": ("/manage", DASHBOARD, {}),
    "manage.new_series": ("/manage/series/new", ANY_ORGANISER, {"slug": "new", "title": "New"}),
    "manage.edit_series": ("/series/{slug}/manage", SERIES_STAFF, {"slug": "wg", "title": "Renamed"}),
    "members.members": ("/series/{slug}/manage/members", MEMBERS, {}),
    "members.add": ("/series/{slug}/manage/members", MEMBERS, {"email": "new@example.org"}),
    "members.add_list": ("/series/{slug}/manage/members/list", MEMBERS, {"members": "new@example.org"}),
    "members.export": ("/series/{slug}/manage/members.csv", MEMBERS, {}),
    "members.remove": ("/series/{slug}/manage/members/{membership}/remove", MEMBERS, {}),
    "series_organisers.organisers": (
        "/series/{slug}/manage/organisers",
        ADMIN_403,
        {"organiser-email": "elsewhere@example.org"},
    ),
    "series_organisers.remove": ("/series/{slug}/manage/organisers/{person}/remove", ADMIN_403, {}),
    "series_questions.series_questions_page": (
        "/series/{slug}/manage/questions",
        SERIES_STAFF,
        {"kind": "short_text", "label": "Allergies"},
    ),
    "series_questions.remove_series_question": (
        "/series/{slug}/manage/questions/{series_question}/remove",
        SERIES_STAFF,
        {},
    ),
    "series_questions.edit_series_question": (
        "/series/{slug}/manage/questions/{series_question}/edit",
        SERIES_STAFF,
        {"label": "Type of organisation"},
    ),
    "series_questions.add_translation": (
        "/series/{slug}/manage/questions/{series_question}/translations",
        SERIES_STAFF,
        {"q{series_question}-language": "de", "q{series_question}-label": "Art der Organisation"},
    ),
    "series_questions.edit_translation": (
        "/series/{slug}/manage/questions/{series_question}/translations/da",
        SERIES_STAFF,
        {"label": "Type organisation"},
    ),
    "series_questions.remove_translation": (
        "/series/{slug}/manage/questions/{series_question}/translations/da/remove",
        SERIES_STAFF,
        {},
    ),
    "series_questions.series_question_answer_deletion": (
        "/series/{slug}/manage/questions/{series_question}/answer-deletion/on",
        SERIES_STAFF,
        {},
    ),
    "events_manage.new_event": ("/manage/events/new", ANY_ORGANISER, {"title": "New", "series": "wg"}),
    "events_manage.edit_event": ("/events/{event}/manage/edit", SERIES_STAFF, {"title": "Renamed"}),
    "events_manage.cancel_event": ("/events/{event}/manage/cancel", SERIES_STAFF, {}),
    "registration_manage.invitations": ("/events/{event}/manage/invitations", SERIES_STAFF, {}),
    "registration_manage.invite": (
        "/events/{event}/manage/invitations",
        SERIES_STAFF,
        {"invitees": "new@example.org"},
    ),
    "registration_manage.invitation_action": (
        "/events/{event}/manage/invitations/{invitation}/revoke",
        SERIES_STAFF,
        {},
    ),
    "registration_manage.registrations": ("/events/{event}/manage/registrations", SERIES_STAFF, {}),
    "registration_manage.export_csv": ("/events/{event}/manage/registrations.csv", SERIES_STAFF, {}),
    "registration_manage.registration_action": (
        "/events/{event}/manage/registrations/{registration}/cancel",
        SERIES_STAFF,
        {},
    ),
    "registration_manage.questions": (
        "/events/{event}/manage/questions",
        SERIES_STAFF,
        {"kind": "short_text", "label": "Allergies"},
    ),
    "registration_manage.remove_question": ("/events/{event}/manage/questions/{question}/delete", SERIES_STAFF, {}),
    "registration_manage.edit_own_question": (
        "/events/{event}/manage/questions/{question}/edit",
        SERIES_STAFF,
        {"label": "Allergies"},
    ),
    "registration_manage.add_translation": (
        "/events/{event}/manage/questions/{question}/translations",
        SERIES_STAFF,
        {"q{question}-language": "de", "q{question}-label": "Ernährung"},
    ),
    "registration_manage.edit_translation": (
        "/events/{event}/manage/questions/{question}/translations/da",
        SERIES_STAFF,
        {"label": "Mad"},
    ),
    "registration_manage.remove_translation": (
        "/events/{event}/manage/questions/{question}/translations/da/remove",
        SERIES_STAFF,
        {},
    ),
    "registration_manage.question_answer_deletion": (
        "/events/{event}/manage/questions/{question}/answer-deletion/on",
        SERIES_STAFF,
        {},
    ),
    "registration_manage.requests": ("/events/{event}/manage/requests", SERIES_STAFF, {}),
    "registration_manage.request_action": ("/events/{event}/manage/requests/{request}/decline", SERIES_STAFF, {}),
    "audit.event_log": ("/events/{event}/manage/audit", SERIES_STAFF, {}),
    "audit.event_log_csv": ("/events/{event}/manage/audit.csv", SERIES_STAFF, {}),
    "audit.series_log": ("/series/{slug}/manage/audit", SERIES_STAFF, {}),
    "audit.series_log_csv": ("/series/{slug}/manage/audit.csv", SERIES_STAFF, {}),
    "agenda.edit": ("/events/{event}/agenda/edit", AGENDA, {"items-0-title": "Welcome"}),
    "materials.manage": ("/events/{event}/manage/materials", AGENDA, {"title": "Programme", "url": "https://x.org"}),
    "materials.replace": ("/events/{event}/manage/materials/{material}/replace", AGENDA, {}),
    "materials.remove": ("/events/{event}/manage/materials/{material}/remove", AGENDA, {}),
    "minutes.edit": ("/events/{event}/minutes/edit", MINUTES, {"body": "Notes"}),
    "minutes.draft": ("/events/{event}/minutes/draft", MINUTES, {}),
    "minutes.circulate": ("/events/{event}/minutes/circulate", MINUTES, {}),
    "minutes.publish": ("/events/{event}/minutes/publish", MINUTES, {}),
    "minutes.attendance": ("/events/{event}/attendance", MINUTES, {}),
    "admin_users.users": ("/admin/users", ADMIN_404, {}),
    "admin_users.create": (
        "/admin/users/new",
        ADMIN_404,
        {"email": "new@example.org", "name": "New", "role": "admin", "language": "en"},
    ),
    "admin_users.change_role": ("/admin/users/{user}/role", ADMIN_404, {"role": "admin"}),
    "admin_users.deactivate": ("/admin/users/{user}/deactivate", ADMIN_404, {}),
    "admin_users.reactivate": ("/admin/users/{user}/reactivate", ADMIN_404, {}),
    "admin_users.send_set_password_link": ("/admin/users/{user}/set-password-link", ADMIN_404, {}),
    "mail_admin.outbox": ("/admin/outbox", ADMIN_403, {}),
    "mail_admin.retry": ("/admin/outbox/{message}/retry", ADMIN_403, {}),
    "mail_admin.retry_all": ("/admin/outbox/retry-failed", ADMIN_403, {}),
    "mail_admin.lift_suppression": ("/admin/outbox/suppressed/{entry}/lift", ADMIN_403, {}),
    "privacy_admin.page": ("/admin/privacy", ADMIN_403, {}),
    "privacy_admin.export": ("/admin/privacy/export", ADMIN_403, {"email": "target@example.org"}),
    "privacy_admin.erase": ("/admin/privacy/erase", ADMIN_403, {"email": "target@example.org", "confirmed": "yes"}),
    "dev_mail.index": ("/dev/mail", ADMIN_403, {}),
    # An unknown message: the admin gets the page's own 404, everyone else is refused before the lookup.
    "dev_mail.message": ("/dev/mail/unknown.eml", (LOGIN, 403, 403, 403, 403, 404), {}),
}

# POST routes outside the management area: personal (the signed-in person's own account), public (login, the sign-in
# link, invitees and recipients holding a token). They need no rows above, but every one refuses a POST without a
# CSRF token (test_every_other_post_form_needs_a_csrf_token).
OTHER_POST_FORMS = {
    "accounts.login": "/login",
    "accounts.logout": "/logout",
    "accounts.choose_language": "/language",
    "accounts.change_password": "/account/password",
    "accounts.create_token": "/account/tokens",
    "accounts.revoke_token": "/account/tokens/1/revoke",
    "calendar.rotate_feed_token": "/account/feed/rotate",
    "minutes.comments": "/events/{event}/minutes/comments",
    "privacy.notice": "/privacy",
    "privacy.download": "/privacy/some-token/download",
    "privacy.erase": "/privacy/some-token/erase",
    "registration.cancel": "/registrations/some-token/cancel",
    "registration.decline": "/invitations/some-token/decline",
    "registration.invitation": "/invitations/some-token",
    "registration.manage": "/registrations/some-token",
    "registration.request_invitation": "/events/{event}/request-invitation",
    "sign_in.request_link": "/login/link",
    "sign_in.set_password": "/set-password/some-token",
    "sign_in.use_link": "/sign-in/some-token",
}
# One-click unsubscribe (RFC 8058): mail clients POST to the link without a page, so these take no CSRF token; the
# unguessable token in the address is the proof (an unknown one is a 404 and changes nothing).
NO_CSRF_BY_DESIGN = {
    "mail_lists.unsubscribe": "/mail/unsubscribe/some-token",
    "reminders.unsubscribe": "/reminders/unsubscribe/some-token",
}
MANAGEMENT = re.compile(
    r"^/(manage|admin|dev)(/|$)|^/series/<slug>/manage|^/events/<int:event_id>/(manage|agenda|minutes/(edit|draft|circulate|publish)$|attendance)"
)


def _methods(app, endpoint: str) -> set[str]:
    return next(rule.methods for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)


def _log_in(client, app, world, viewer: str) -> str:
    """Sign the test client in as ``viewer`` (anonymous: nobody) and return a valid CSRF token of its session: made
    as the login view makes it (``login_user``, whose session id carries the session version ``auth.load_user``
    checks), without posting the form (tested elsewhere; three requests a test here)."""
    with app.test_request_context(environ_base=client.environ_base):
        if viewer != "anonymous":
            assert login_user(db.session.get(User, world.users[viewer]))
        token = generate_csrf()
        values = dict(session)
    with client.session_transaction() as client_session:
        client_session.update(values)
    return token


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the test's world is small): equal snapshots mean nothing changed."""
    db.session.expire_all()
    return {
        table.name: sorted(
            (tuple(repr(value) for value in row) for row in db.session.execute(sa.select(table))), key=repr
        )
        for table in db.metadata.sorted_tables
    }


def _check(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response.headers["Location"].startswith("/login"), response.headers["Location"]
    elif expected == OK:
        assert response.status_code in PASSED, response.status_code
    else:
        assert response.status_code == expected, response.status_code


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("endpoint", MATRIX)
def test_permission_matrix(app, client, world, endpoint, viewer):
    path, expected_by_viewer, _data = MATRIX[endpoint]
    path, expected = path.format(**world.ids), expected_by_viewer[VIEWERS.index(viewer)]
    token = _log_in(client, app, world, viewer)
    methods = _methods(app, endpoint)
    if "GET" in methods:
        _check(client.get(path), 200 if expected == OK else expected)
    if "POST" in methods:
        before = _snapshot() if expected != OK else None
        data = {"csrf_token": token, "organiser-csrf_token": token}
        _check(client.post(path, data=data), expected)
        if before is not None:
            assert _snapshot() == before, "a refused POST changed the database"


def _allowed_viewer(endpoint: str) -> str:
    expected = MATRIX[endpoint][1]
    return next(viewer for viewer in ("organiser", "secretary", "admin") if expected[VIEWERS.index(viewer)] == OK)


def _rows_taking_post() -> list[str]:
    """The MATRIX rows whose route takes POST, read at collection time from the URL map of an app that never opens
    its database: GET-only rows are not collected, rather than collected and skipped."""
    with tempfile.TemporaryDirectory(prefix="eventhub-routes-") as folder:
        url_map = make_app("sqlite://", Path(folder)).url_map
    posting = {rule.endpoint for rule in url_map.iter_rules() if "POST" in (rule.methods or ())}
    return [endpoint for endpoint in MATRIX if endpoint in posting]


@pytest.mark.parametrize("endpoint", _rows_taking_post())
def test_posts_without_a_csrf_token_are_refused_and_change_nothing(app, client, world, endpoint):
    path, _expected, data = MATRIX[endpoint]
    _log_in(client, app, world, _allowed_viewer(endpoint))
    before = _snapshot()

    data = {key.format(**world.ids): value for key, value in data.items()}  # a per-question form's prefixed fields
    response = client.post(path.format(**world.ids), data=data)

    assert response.status_code == 400
    assert _snapshot() == before


@pytest.mark.parametrize("endpoint", OTHER_POST_FORMS)
def test_every_other_post_form_needs_a_csrf_token(app, client, world, endpoint):
    _log_in(client, app, world, "member")
    before = _snapshot()
    response = client.post(OTHER_POST_FORMS[endpoint].format(**world.ids), data={"email": "member@example.org"})
    assert response.status_code == 400
    assert _snapshot() == before


@pytest.mark.parametrize("endpoint", NO_CSRF_BY_DESIGN)
def test_one_click_unsubscribe_needs_its_token_instead(client, world, endpoint):
    before = _snapshot()
    assert client.post(NO_CSRF_BY_DESIGN[endpoint]).status_code == 404
    assert _snapshot() == before


def test_every_management_route_and_post_form_has_a_row(app):
    """A new route under the management prefixes, or a new POST form anywhere outside the API, must be added to
    MATRIX (or, for a personal or public form, to OTHER_POST_FORMS) before the suite passes."""
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or rule.endpoint == "static":
            continue
        posts = "POST" in (rule.methods or ())
        if (
            MANAGEMENT.search(rule.rule) or posts
        ) and rule.endpoint not in MATRIX | OTHER_POST_FORMS | NO_CSRF_BY_DESIGN:
            missing.append(f"{rule.endpoint} {rule.rule}")
    assert missing == [], "routes without a row in the permission matrix"
    known = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(MATRIX) | set(OTHER_POST_FORMS) | set(NO_CSRF_BY_DESIGN) <= known, "rows for routes that no longer exist"
