"""``flask demo``: load the demo data and show the demo logins."""

import click
from flask.cli import with_appcontext

from eventhub.accounts.cli import unit_of_work
from eventhub.db import utcnow
from eventhub.demo.data import ACCOUNTS
from eventhub.demo.loader import load_demo
from eventhub.events.models import MembershipRole


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo data (running it twice changes nothing) and print the demo accounts."""
    with unit_of_work():
        summary = load_demo(utcnow())
    click.echo(
        f"Demo data loaded: {summary.series_created} series, {summary.events_created} events and "
        f"{summary.accounts_created} accounts created (whatever existed already was left as it was)."
    )
    click.echo("WARNING: these accounts have published demo passwords; they are for demos only, never for production.")
    for account in ACCOUNTS:
        organises = ", ".join(slug for slug, role in account.memberships if role == MembershipRole.ORGANISER)
        runs = f"  (organises {organises})" if organises else ""
        click.echo(f"  {account.email:<28} {account.role.value:<10} password: {account.password}{runs}")
