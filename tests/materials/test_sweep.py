"""The sweep of unused material files, on each storage and database: what it removes, what it keeps (files in
use, files saved within the grace period, files saved again while it runs), and ``flask materials sweep``.

Ages come from the injected ``now``: a save sets the folder file's mtime (or the blob's ``created_at``) to the
caller's ``now``, never the OS clock, so no test sleeps."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.materials import services
from eventhub.materials.services import Upload
from eventhub.materials.storage import current_storage
from eventhub.materials.sweep import GRACE, sweep_files, unreferenced_files
from tests.materials.conftest import PDF, PNG

LATER = GRACE + timedelta(seconds=1)


def _orphan(event, actor, attach, now, data=PDF):
    """A file whose only material was removed at ``now``: its bytes are still stored."""
    material = attach(event, actor, data=data)
    key = material.file_key
    services.remove_material(material, actor, now)
    db.session.commit()
    return key


def test_unused_bytes_are_kept_for_the_grace_period_then_removed_once(taskforce, attach, stored_files, swept, now):
    key = _orphan(taskforce.meeting3, taskforce.secretary, attach, now)
    assert swept(GRACE - timedelta(seconds=1)) == [] and stored_files() == 1
    assert swept(LATER) == [key] and stored_files() == 0
    assert swept(LATER) == []  # safe to run twice


def test_files_in_use_are_never_removed_however_old(taskforce, attach, stored_files, swept, now):
    material = attach(taskforce.meeting3, taskforce.secretary)
    assert swept(timedelta(days=3650)) == [] and services.read_file(material) == PDF


def test_an_upload_rolled_back_leaves_at_most_what_the_sweep_collects(taskforce, stored_files, swept, now):
    services.attach_file(taskforce.meeting3, Upload(PDF, "slides.pdf"), {"title": "Slides"}, taskforce.secretary, now)
    db.session.rollback()  # the folder keeps the file it wrote; the database storage's row is gone with the rest
    swept()
    assert stored_files() == 0


def test_deleting_an_event_leaves_its_unshared_bytes_to_the_sweep(taskforce, attach, stored_files, swept):
    own = attach(taskforce.meeting3, taskforce.secretary, data=PNG, name="photo.png").file_key
    shared = attach(taskforce.meeting3, taskforce.secretary).file_key
    elsewhere = attach(taskforce.meeting4, taskforce.secretary)
    db.session.execute(sa.delete(Event).where(Event.id == taskforce.meeting3.id))  # materials go by CASCADE
    db.session.commit()
    assert swept() == [own] and shared == elsewhere.file_key
    assert stored_files() == 1 and services.read_file(elsewhere) == PDF


def test_bytes_saved_again_while_the_sweep_runs_are_kept(taskforce, attach, stored_files, now):
    """The sweep listed the file as unused; an upload of the same content saves it again before the sweep
    removes it (and commits its row after): the file stays, for the upload's material to use."""
    key = _orphan(taskforce.meeting3, taskforce.secretary, attach, now)
    later = now + LATER
    assert [found.key for found in unreferenced_files(later)] == [key]
    material = services.attach_file(
        taskforce.meeting4, Upload(PDF, "again.pdf"), {"title": "Again"}, taskforce.secretary, later
    )
    assert current_storage().remove_unless_saved_since(key, later - GRACE) is False
    db.session.commit()
    assert services.read_file(material) == PDF and stored_files() == 1


def test_two_sweeps_at_once_remove_each_file_once(taskforce, attach, stored_files, now):
    key = _orphan(taskforce.meeting3, taskforce.secretary, attach, now)
    later = now + LATER
    listed_by_the_other = unreferenced_files(later)
    assert [found.key for found in sweep_files(later)] == [key]
    assert [current_storage().remove_unless_saved_since(f.key, later - GRACE) for f in listed_by_the_other] == [False]
    db.session.commit()
    assert stored_files() == 0


def test_an_upload_after_the_sweep_stores_the_bytes_again(taskforce, attach, swept, now):
    _orphan(taskforce.meeting3, taskforce.secretary, attach, now)
    swept()
    material = services.attach_file(
        taskforce.meeting4, Upload(PDF, "again.pdf"), {"title": "Again"}, taskforce.secretary, now + LATER
    )
    db.session.commit()
    assert services.read_file(material) == PDF


@pytest.mark.parametrize("storage_kind", ["folder"])  # the folder storage only
def test_the_folder_sweep_leaves_other_files_alone(app, taskforce, attach, swept, now, storage_kind, materials_storage):
    key = _orphan(taskforce.meeting3, taskforce.secretary, attach, now)
    strangers = [materials_storage / key[:2] / "notes.txt", materials_storage / "README"]
    for stranger in strangers:
        stranger.write_text("not eventhub's")
    assert swept() == [key]
    assert all(stranger.exists() for stranger in strangers)


def test_an_unknown_storage_stops_the_app_at_start_up_not_the_planner(database_urls, tmp_path):
    from tests.support import make_app

    with pytest.raises(RuntimeError, match="EVENTHUB_MATERIALS_STORAGE must be one of folder, database"):
        make_app(database_urls["sqlite"], tmp_path, MATERIALS_STORAGE="s3")


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def test_the_command_prints_what_it_would_remove_then_removes_it(
    taskforce, attach, stored_files, cli, frozen_clock, now
):
    key = _orphan(taskforce.meeting3, taskforce.secretary, attach, now)
    nothing = cli("materials", "sweep", "--dry-run").output
    assert "would remove 0 unused files, 0 bytes (files saved in the last hour are kept)." in nothing
    frozen_clock.set(now + LATER)
    dry = cli("materials", "sweep", "--dry-run")
    assert dry.exit_code == 0 and f"would remove {key} ({len(PDF)} bytes)" in dry.output and stored_files() == 1
    done = cli("materials", "sweep")
    assert done.exit_code == 0 and f"removed {key} ({len(PDF)} bytes)" in done.output
    assert f"removed 1 unused file, {len(PDF)} bytes" in done.output and stored_files() == 0


def test_the_planner_sweeps(taskforce, attach, stored_files, now):
    from eventhub.scheduler.planning import run_planning

    _orphan(taskforce.meeting3, taskforce.secretary, attach, now)
    assert run_planning(now)["unused material files removed"] == 0
    assert run_planning(now + LATER)["unused material files removed"] == 1
    db.session.commit()
    assert stored_files() == 0
