"""Accounts: passwords, roles, API tokens hashed at rest, and who may do what."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.accounts import permissions, services
from eventhub.accounts.models import ApiToken, Role, User
from eventhub.errors import Conflict, ValidationFailed
from eventhub.events.services import add_series_member
from eventhub.extensions import db
from eventhub.tokens import hash_token


def test_a_user_logs_in_with_the_right_password_only(make_user, now):
    user = make_user(Role.ORGANISER, email="organiser@example.org", password="a long enough secret")
    assert services.authenticate("Organiser@Example.org", "a long enough secret", now) is user
    assert user.last_login_at == now
    assert services.authenticate("organiser@example.org", "wrong password!", now) is None
    assert services.authenticate("nobody@example.org", "a long enough secret", now) is None


def test_passwords_are_stored_hashed(make_user):
    user = make_user(password="a long enough secret")
    assert "a long enough secret" not in user.password_hash


def test_an_inactive_user_cannot_log_in(make_user, now):
    user = make_user(password="a long enough secret")
    user.active = False
    assert services.authenticate(user.email, "a long enough secret", now) is None


def test_short_passwords_are_refused_and_nothing_is_written(app):
    with pytest.raises(ValidationFailed):
        services.create_user("new@example.org", Role.MEMBER, password="short")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_one_account_per_person(make_user):
    make_user(email="admin@example.org")
    with pytest.raises(Conflict):
        services.create_user("ADMIN@example.org", Role.ADMIN, password="another long secret")


def test_unknown_roles_are_refused_with_the_choices():
    with pytest.raises(ValidationFailed) as error:
        services.parse_role("superuser")
    assert "organiser" in error.value.message


def test_tokens_are_random_hashed_and_resolve_to_their_user(make_user, now):
    user = make_user()
    row, plaintext = services.create_api_token(user, "script", now)
    _, other = services.create_api_token(user, "script", now)
    assert plaintext != other and len(plaintext) > 40
    assert row.token_hash == hash_token(plaintext) and plaintext not in row.token_hash
    assert services.user_for_token(plaintext, now) is user
    assert services.user_for_token(plaintext + "x", now) is None


def test_revoked_tokens_stop_working(make_user, now):
    user = make_user()
    row, plaintext = services.create_api_token(user, "script", now)
    services.revoke_api_token(row.id, user, now)
    assert services.user_for_token(plaintext, now) is None


def test_last_use_is_recorded_at_most_once_a_minute(make_user, now):
    user = make_user()
    row, plaintext = services.create_api_token(user, "script", now)
    services.user_for_token(plaintext, now)
    services.user_for_token(plaintext, now + timedelta(seconds=30))
    assert row.last_used_at == now
    services.user_for_token(plaintext, now + timedelta(minutes=2))
    assert row.last_used_at == now + timedelta(minutes=2)


def test_a_token_of_another_user_cannot_be_revoked(make_user, now):
    owner, stranger = make_user(), make_user()
    row, _ = services.create_api_token(owner, "script", now)
    with pytest.raises(Exception):
        services.revoke_api_token(row.id, stranger, now)
    assert db.session.get(ApiToken, row.id).revoked_at is None


@pytest.mark.parametrize(
    ("role", "staff"),
    [(Role.ADMIN, True), (Role.ORGANISER, True), (Role.SECRETARY, False), (Role.MEMBER, False)],
)
def test_only_admins_and_organisers_manage_events(make_user, role, staff):
    assert permissions.can_manage_events(make_user(role)) is staff


def test_secretaries_keep_the_minutes_of_their_own_series_only(make_user, make_series):
    taskforce, other = make_series(slug="buy-social-taskforce-danmark"), make_series()
    secretary = make_user(Role.SECRETARY)
    add_series_member(taskforce, secretary.email, role="secretary")
    assert permissions.is_secretary_of(secretary, taskforce)
    assert not permissions.is_secretary_of(secretary, other)
    assert permissions.is_secretary_of(make_user(Role.ADMIN), other)


def test_members_only_series_are_visible_to_members_and_staff(make_user, make_series):
    series = make_series(visibility="members")
    member, outsider = make_user(), make_user()
    add_series_member(series, member.email)
    assert permissions.can_view_series(member, series)
    assert not permissions.can_view_series(outsider, series)
    assert not permissions.can_view_series(None, series)
    assert permissions.can_view_series(make_user(Role.ORGANISER), series)
