"""``flask tokens``: a token is printed once, alone on stdout, and then authenticates until revoked."""

import sqlalchemy as sa

from eventhub.accounts.models import ApiToken
from eventhub.accounts.services import user_for_token
from eventhub.extensions import db


def test_create_prints_only_a_token_that_authenticates(app, make_user, now):
    user = make_user("organiser", email="ida@example.org")
    result = app.test_cli_runner().invoke(args=["tokens", "create", "IDA@example.org", "--name", "import script"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert "\n" not in token and token.startswith("ehk_")
    assert user_for_token(token, now=now) is user
    assert db.session.scalar(sa.select(ApiToken.name)) == "import script"


def test_create_for_an_unknown_email_fails_and_writes_nothing(app):
    result = app.test_cli_runner().invoke(args=["tokens", "create", "nobody@example.org"])
    assert result.exit_code != 0
    assert "No account for 'nobody@example.org'" in result.output
    assert result.stdout == ""
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_list_shows_prefixes_never_tokens(app, make_user):
    make_user("organiser", email="ida@example.org")
    runner = app.test_cli_runner()
    token = runner.invoke(args=["tokens", "create", "ida@example.org", "--name", "nightly"]).stdout.strip()
    result = runner.invoke(args=["tokens", "list", "ida@example.org"])
    assert result.exit_code == 0
    assert token[:12] in result.output and "nightly" in result.output
    assert token not in result.output


def test_revoke_stops_the_token_from_authenticating(app, make_user, now):
    make_user("organiser", email="ida@example.org")
    runner = app.test_cli_runner()
    token = runner.invoke(args=["tokens", "create", "ida@example.org"]).stdout.strip()
    token_id = db.session.scalar(sa.select(ApiToken.id))
    result = runner.invoke(args=["tokens", "revoke", str(token_id)])
    assert result.exit_code == 0, result.output
    assert user_for_token(token, now=now) is None
    assert "already revoked" in runner.invoke(args=["tokens", "revoke", str(token_id)]).output


def test_revoke_an_unknown_token_fails(app):
    result = app.test_cli_runner().invoke(args=["tokens", "revoke", "4711"])
    assert result.exit_code != 0
    assert "No API token 4711" in result.output
