"""``flask materials sweep [--dry-run]``: the worker's sweep of unused material files, by hand (the planner runs
it every minute anyway). Prints each file it removed, or would remove."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from eventhub import clock
from eventhub.extensions import db
from eventhub.materials.sweep import GRACE, sweep_files, unreferenced_files

materials_cli = AppGroup("materials", help="Files and links attached to events (README: Materials).")


@materials_cli.command("sweep")
@click.option("--dry-run", is_flag=True, help="Print what would be removed, and remove nothing.")
def sweep_command(dry_run: bool) -> None:
    """Remove the stored files no material references that were last saved over an hour ago."""
    now = clock.now()
    files = unreferenced_files(now) if dry_run else sweep_files(now)
    if not dry_run:
        db.session.commit()
    verb = "would remove" if dry_run else "removed"
    for stored_file in files:
        click.echo(f"{verb} {stored_file.key} ({stored_file.size} bytes)")
    click.echo(
        f"{verb} {_count(len(files), 'unused file')}, {_count(sum(f.size for f in files), 'byte')} (files saved in"
        f" the last {_grace()} are kept)."
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _grace() -> str:
    """``GRACE`` in words: "hour" (not "1 hours"), "2 hours", "30 minutes"."""
    minutes = int(GRACE.total_seconds() // 60)
    if minutes % 60:
        return _count(minutes, "minute")
    return "hour" if minutes == 60 else _count(minutes // 60, "hour")
