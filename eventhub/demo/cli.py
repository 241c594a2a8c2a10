"""``flask demo``: load the demo data."""

import click


@click.command("demo")
def demo_command() -> None:
    """Load the demo data (running it twice changes nothing)."""
