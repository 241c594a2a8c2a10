"""The sweep: remove stored bytes that no material references, for both storages.

Nothing else removes bytes. A removed or replaced material, a deleted event (its materials go by ``ON DELETE
CASCADE``) and an upload whose transaction rolled back all leave their bytes to this sweep, which runs in the
worker's planner tick and as ``flask materials sweep``.

Bytes last saved less than ``GRACE`` ago are kept whatever the materials say: an upload in flight has saved its
bytes but not committed its row yet. A file is removed only if it was not saved again since the cutoff, checked
at the moment of removal (``Storage.remove_unless_saved_since``), so a sweep running beside an upload of the same
content, or beside another sweep, removes nothing in use and nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.materials.models import Material
from eventhub.materials.storage import Storage, StoredFile, current_storage

GRACE = timedelta(hours=1)


def unreferenced_files(now: datetime, storage: Storage | None = None) -> list[StoredFile]:
    """The stored files no material references, last saved more than ``GRACE`` before ``now``."""
    in_use = set(db.session.scalars(sa.select(Material.file_key).where(Material.file_key.is_not(None)).distinct()))
    stored = (storage or current_storage()).saved_before(now - GRACE)
    return [stored_file for stored_file in stored if stored_file.key not in in_use]


def sweep_files(now: datetime, storage: Storage | None = None) -> list[StoredFile]:
    """Remove the files ``unreferenced_files`` lists, unless one was saved again meanwhile; returns those removed.

    Safe to run twice and beside other sweeps. Removal from the database storage is part of the caller's
    transaction (flushed, never committed); a folder's files go at once."""
    storage = storage or current_storage()
    cutoff = now - GRACE
    return [found for found in unreferenced_files(now, storage) if storage.remove_unless_saved_since(found.key, cutoff)]


def run_materials_sweep(now: datetime) -> int:
    """The planner's step: how many unused files it removed."""
    return len(sweep_files(now))
