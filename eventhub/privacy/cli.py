"""``flask retention apply [--dry-run]``: the retention job by hand, for operators (the worker's planner runs it
every minute anyway). Prints, per event whose retention period has passed, what was (or would be) changed."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from eventhub import clock
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.privacy.retention import RetentionCounts, anonymise_event, events_due, retention_days_of

retention_cli = AppGroup("retention", help="Personal data kept only as long as needed (README: Personal data).")


@retention_cli.command("apply")
@click.option("--dry-run", is_flag=True, help="Print what would change, and change nothing.")
def apply_command(dry_run: bool) -> None:
    """Anonymise every event whose retention period has passed; each event is committed on its own.

    A dry run does exactly the same work and rolls all of it back, so its counts are what a real run would
    report (events sharing people included), and nothing is changed."""
    now = clock.now()
    events = events_due(now)
    if not events:
        click.echo("No event's retention period has passed.")
    for event in events:
        heading = _heading(event)
        counts = anonymise_event(event, now)
        if not dry_run:
            db.session.commit()
        click.echo(f"{heading}: {'would change' if dry_run else 'changed'} {_describe(counts)}")
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was changed.")


def _heading(event: Event) -> str:
    ended = event.local_end.date().isoformat()
    return f'event {event.id} "{event.title}" (ended {ended}, kept {retention_days_of(event)} days)'


def _describe(counts: RetentionCounts) -> str:
    return ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in counts.as_dict().items())
