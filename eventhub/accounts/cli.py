"""``flask users`` and ``flask tokens``: account chores for operators, as thin wrappers around the services.

Each command is one unit of work: it commits once when everything succeeded and writes nothing otherwise.
A broken rule (``DomainError``) becomes a one-line message on stderr and exit status 1, never a traceback.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import click
from flask.cli import AppGroup

from eventhub.accounts import services
from eventhub.accounts.models import Role, User
from eventhub.errors import Conflict, DomainError, NotFound
from eventhub.extensions import db
from eventhub.validation import normalize_email

users_cli = AppGroup("users", help="Manage user accounts.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")

ROLE_CHOICES = ", ".join(role.value for role in Role)


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit what the block did, or roll all of it back; a DomainError exits non-zero with its message."""
    try:
        yield
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def _existing_user(email: str) -> User:
    user = services.find_user_by_email(email)
    if user is None:
        raise NotFound(f"No account for {email!r}.")
    return user


def _ask_password(given: str | None) -> str:
    """The --password value, or one typed twice without echo; checked before anything is written."""
    password = given if given is not None else click.prompt("Password", hide_input=True, confirmation_prompt=True)
    services.check_password_strength(password)
    return password


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


# ---------------------------------------------------------------------------------------------------------
# flask users
# ---------------------------------------------------------------------------------------------------------


@users_cli.command("create")
@click.argument("email")
@click.option("--role", required=True, help=f"One of: {ROLE_CHOICES}.")
@click.option("--password", help="Asked for twice, hidden, when not given.")
@click.option("--name", help="Display name; defaults to the part of the email before the @.")
def create_user_command(email: str, role: str, password: str | None, name: str | None) -> None:
    """Create an account with a role."""
    with unit_of_work():
        parsed_role = services.parse_role(role)
        # Refuse bad input before asking for a password, so nobody types one twice for nothing.
        normalized = normalize_email(email)
        if services.find_user_by_email(normalized) is not None:
            raise Conflict(f"{normalized} already has an account.")
        user = services.create_user(normalized, parsed_role, password=_ask_password(password), name=name)
        summary = f"Created {user.role.value} account for {user.email}."
    click.echo(summary)


@users_cli.command("list")
def list_users_command() -> None:
    """List accounts: email, role, whether active, name."""
    for user in services.list_users():
        status = "active" if user.active else "inactive"
        click.echo(f"{user.email:<40} {user.role.value:<10} {status:<8} {user.person.name}")


@users_cli.command("set-password")
@click.argument("email")
@click.option("--password", help="Asked for twice, hidden, when not given.")
def set_password_command(email: str, password: str | None) -> None:
    """Set a new password for an existing account."""
    with unit_of_work():
        user = _existing_user(email)
        services.set_password(user, _ask_password(password))
        summary = f"Password changed for {user.email}."
    click.echo(summary)


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role")
def set_role_command(email: str, role: str) -> None:
    """Change an account's role (its sessions end: it logs in again with the new role)."""
    with unit_of_work():
        user = _existing_user(email)
        services.set_role(user, services.parse_role(role))
        summary = f"{user.email} is now {user.role.value}."
    click.echo(summary)


@users_cli.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Stop an account: no login, its sessions end, its API tokens and calendar feed stop working."""
    with unit_of_work():
        user = _existing_user(email)
        services.set_active(user, False)
        summary = f"{user.email} is deactivated."
    click.echo(summary)


@users_cli.command("activate")
@click.argument("email")
def activate_command(email: str) -> None:
    """Let a deactivated account log in again."""
    with unit_of_work():
        user = _existing_user(email)
        services.set_active(user, True)
        summary = f"{user.email} is active."
    click.echo(summary)


# ---------------------------------------------------------------------------------------------------------
# flask tokens
# ---------------------------------------------------------------------------------------------------------


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", default="", help="What the token is for, e.g. 'import script'.")
def create_token_command(email: str, name: str) -> None:
    """Issue an API token and print it once: only the token goes to stdout, so scripts can capture it."""
    with unit_of_work():
        token, plaintext = services.create_api_token(_existing_user(email), name=name)
        token_id = token.id
    click.echo(plaintext)
    click.echo(f"Token {token_id} created; it is shown only this once.", err=True)


@tokens_cli.command("list")
@click.argument("email")
def list_tokens_command(email: str) -> None:
    """List an account's tokens (id, prefix, name, created, last used, revoked); never the tokens themselves."""
    with unit_of_work():
        tokens = services.list_api_tokens(_existing_user(email))
        for token in tokens:
            click.echo(
                f"{token.id:>5}  {token.prefix}…  {token.name or '-':<24} created {_when(token.created_at)}"
                f"  last used {_when(token.last_used_at)}  revoked {_when(token.revoked_at)}"
            )


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke_token_command(token_id: int) -> None:
    """Revoke a token by id; revoking one that is already revoked changes nothing."""
    with unit_of_work():
        token = services.get_api_token(token_id)
        if token.revoked_at is not None:
            message = f"Token {token_id} was already revoked at {_when(token.revoked_at)}."
        else:
            services.revoke_api_token(token.id, token.user)
            message = f"Token {token_id} of {token.user.email} revoked."
    click.echo(message)
