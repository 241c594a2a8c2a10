"""``flask retention apply [--dry-run]``: by hand, what the planner does; a dry run says what it would change and
changes nothing at all (every row of every table compared before and after)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from tests.fixtures.scan import rows_mentioning
from tests.privacy.conftest import ANNA


def every_row() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: the whole database as the session sees it."""
    db.session.expire_all()
    return {
        table.name: [tuple(row) for row in db.session.execute(sa.select(table).order_by(*table.primary_key.columns))]
        for table in db.metadata.sorted_tables
    }


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def test_a_dry_run_prints_the_counts_and_changes_nothing(world, cli, frozen_clock):
    frozen_clock.set(world.due)
    before = every_row()

    result = cli("retention", "apply", "--dry-run")

    assert result.exit_code == 0, result.output
    assert f'event {world.meeting.id} "{world.meeting.title}"' in result.output
    assert "kept 365 days" in result.output
    assert (
        "would change registrations 3, invitations 3, attendances 2, answers 3, requests 1, comments 1" in result.output
    )
    assert "people replaced 4, people deleted 3" in result.output
    assert "Dry run: nothing was changed." in result.output
    assert every_row() == before
    assert rows_mentioning(ANNA[0])


def test_applying_by_hand_anonymises_and_reports_the_same_counts(world, cli, frozen_clock):
    frozen_clock.set(world.due)
    dry = cli("retention", "apply", "--dry-run").output

    result = cli("retention", "apply")

    assert result.exit_code == 0, result.output
    assert result.output.replace("changed", "would change") == dry.replace("Dry run: nothing was changed.\n", "")
    assert rows_mentioning(ANNA[0]) == []
    assert cli("retention", "apply").output == "No event's retention period has passed.\n"


def test_nothing_is_due_before_the_period_has_passed(world, cli, frozen_clock):
    assert cli("retention", "apply").output == "No event's retention period has passed.\n"
    assert rows_mentioning(ANNA[0])
