"""``flask outbox flush|status|retry``: the outbox for operators, as thin wrappers around sender and services."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.mail import services, suppression
from eventhub.mail.bounces import read_bounces
from eventhub.mail.models import SuppressionReason
from eventhub.mail.sender import new_worker_id, send_all_due
from eventhub.metrics import record_send_report

outbox_cli = AppGroup("outbox", help="Send, inspect and retry queued email.")
mail_cli = AppGroup("mail", help="The do-not-send list: feed in bounces, lift a suppression.")


@outbox_cli.command("flush")
def flush_command() -> None:
    """Send everything due now, then exit (prints what happened)."""
    config = current_app.config
    report = send_all_due(
        utcnow,
        new_worker_id(),
        batch_size=int(config["MAIL_BATCH_SIZE"]),
        lease=timedelta(seconds=float(config["MAIL_LEASE_SECONDS"])),
    )
    record_send_report(report)
    db.session.commit()
    click.echo(f"sent {report.sent}, retrying later {report.retrying}, failed {report.failed}")


@outbox_cli.command("status")
def status_command() -> None:
    """Print how many messages are in each status."""
    for status, count in services.count_by_status().items():
        click.echo(f"{status.value:<10} {count}")


@outbox_cli.command("retry")
@click.argument("message_id", type=int, required=False)
@click.option("--all-failed", is_flag=True, help="Queue every failed message again.")
def retry_command(message_id: int | None, all_failed: bool) -> None:
    """Queue a failed message again (by id), or all failed ones."""
    if (message_id is None) == (not all_failed):
        raise click.UsageError("give a message ID or --all-failed, not both")
    try:
        count = services.retry_failed(utcnow()) if all_failed else bool(services.retry_message(message_id, utcnow()))
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"queued again: {int(count)}")


@mail_cli.command("bounces")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def bounces_command(path: Path) -> None:
    """Suppress the addresses that the delivery status notifications in PATH (mbox or one message) report as
    failed for good (Action: failed, Status 5.x.x)."""
    bounces = read_bounces(path)
    added = sum(
        suppression.suppress_address(bounce.email, SuppressionReason.BOUNCED, bounce.detail) for bounce in bounces
    )
    db.session.commit()
    for bounce in bounces:
        click.echo(f"{bounce.email}: {bounce.detail}")
    click.echo(f"permanent failures: {len(bounces)}, newly suppressed: {added}")


@mail_cli.command("unsuppress")
@click.argument("email")
def unsuppress_command(email: str) -> None:
    """Take EMAIL off the do-not-send list: mail to it is sent again."""
    try:
        suppression.lift_suppression(email)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"{email.strip().lower()} may receive mail again")
