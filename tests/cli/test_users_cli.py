"""``flask users``: accounts are created only from good input, and a refusal writes nothing."""

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from eventhub.accounts.models import Role, User
from eventhub.accounts.services import authenticate, find_user_by_email
from eventhub.events.models import Person
from eventhub.extensions import db


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args, **kwargs: runner.invoke(args=list(args), **kwargs)


def test_create_user_with_a_password_option(cli):
    result = cli(
        "users",
        "create",
        "Organiser@Example.org",
        "--role",
        "organiser",
        "--password",
        "long enough pw",
        "--name",
        "Ida Holm",
    )
    assert result.exit_code == 0, result.output
    user = find_user_by_email("organiser@example.org")
    assert (user.role, user.person.name) == (Role.ORGANISER, "Ida Holm")
    assert authenticate("organiser@example.org", "long enough pw") is user


def test_create_user_asks_for_the_password_twice_without_echo(cli):
    result = cli("users", "create", "ida@example.org", "--role", "member", input="typed password\ntyped password\n")
    assert result.exit_code == 0, result.output
    assert "typed password" not in result.output
    assert check_password_hash(find_user_by_email("ida@example.org").password_hash, "typed password")


def test_create_user_refuses_two_different_typed_passwords(cli):
    result = cli("users", "create", "ida@example.org", "--role", "member", input="typed password\nother password\n")
    assert result.exit_code != 0
    assert (count(User), count(Person)) == (0, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["ida@example.org", "--role", "superuser", "--password", "long enough pw"],
            "admin, organiser, secretary, member",
        ),
        (["ida@example.org", "--role", "member", "--password", "short"], "at least 10 characters"),
        (["not-an-email", "--role", "member", "--password", "long enough pw"], "not an email address"),
    ],
    ids=["unknown-role", "short-password", "bad-email"],
)
def test_bad_input_exits_non_zero_and_writes_nothing(cli, args, message):
    result = cli("users", "create", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert (count(User), count(Person)) == (0, 0)


def test_a_short_typed_password_is_refused(cli):
    result = cli("users", "create", "ida@example.org", "--role", "member", input="short\nshort\n")
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    assert (count(User), count(Person)) == (0, 0)


def test_an_existing_account_is_not_created_twice(cli, make_user):
    make_user("member", email="ida@example.org")
    db.session.commit()
    result = cli("users", "create", "IDA@example.org", "--role", "admin", "--password", "long enough pw")
    assert result.exit_code != 0
    assert "ida@example.org already has an account" in result.output
    assert count(User) == 1
    assert find_user_by_email("ida@example.org").role == Role.MEMBER


def test_list_users_shows_email_role_and_name(cli, make_user):
    make_user("secretary", email="sofie@example.org", name="Sofie Lund")
    result = cli("users", "list")
    assert result.exit_code == 0
    assert "sofie@example.org" in result.output and "secretary" in result.output and "Sofie Lund" in result.output


def test_set_password_changes_the_password(cli, make_user):
    make_user("member", email="ida@example.org")
    result = cli("users", "set-password", "ida@example.org", input="a new password\na new password\n")
    assert result.exit_code == 0, result.output
    assert authenticate("ida@example.org", "a new password") is not None
    assert authenticate("ida@example.org", "correct horse battery") is None


def test_set_password_refuses_a_short_one_and_keeps_the_old(cli, make_user):
    make_user("member", email="ida@example.org")
    db.session.commit()
    result = cli("users", "set-password", "ida@example.org", "--password", "short")
    assert result.exit_code != 0
    assert authenticate("ida@example.org", "correct horse battery") is not None


def test_set_password_for_an_unknown_account_fails(cli):
    result = cli("users", "set-password", "nobody@example.org", "--password", "long enough pw")
    assert result.exit_code != 0
    assert "No account" in result.output
